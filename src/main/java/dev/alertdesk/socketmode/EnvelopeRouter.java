package dev.alertdesk.socketmode;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.action.ActionDispatcher;
import dev.alertdesk.command.MalformedCommandException;
import dev.alertdesk.command.SlashCommand;
import dev.alertdesk.command.SlashCommands;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.slack.MalformedInteractionException;
import dev.alertdesk.slack.ResponseUrlResponder;
import dev.alertdesk.slack.SlackInteraction;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each acknowledged Socket Mode envelope to the service the HTTP endpoints use:
 * {@code interactive} to {@link ActionDispatcher#accept} (as {@code POST /slack/events} does, so
 * the same idempotency key, channel check, access check, handler and audit row),
 * {@code slash_commands} to {@link SlashCommands#accept} (as {@code POST /slack/commands} does);
 * {@code events_api} callbacks are not used by Alertdesk and are ignored. A payload that cannot
 * be read is logged and dropped (it is already acknowledged, so Slack does not resend it). When
 * the database cannot record the request, the user is told so through its {@code response_url}.
 */
public final class EnvelopeRouter implements EnvelopeHandler {
  private static final Logger log = LoggerFactory.getLogger(EnvelopeRouter.class);

  private final ActionDispatcher actions;
  private final SlashCommands commands;
  private final ResponseUrlResponder responder;

  /**
   * @param actions records clicks and runs their handlers
   * @param commands records slash commands and answers them
   * @param responder tells a user that their request could not be recorded
   */
  public EnvelopeRouter(ActionDispatcher actions, SlashCommands commands,
      ResponseUrlResponder responder) {
    this.actions = actions;
    this.commands = commands;
    this.responder = responder;
  }

  @Override
  public void handle(String type, String envelopeId, JsonNode payload) {
    switch (type) {
      case "interactive" -> interactive(envelopeId, payload);
      case "slash_commands" -> command(envelopeId, payload);
      default -> log.debug("slack socket mode envelope ignored {} {}", kv("type", type),
          kv("envelope_id", envelopeId));
    }
  }

  private void interactive(String envelopeId, JsonNode payload) {
    String json = payload.toString();
    SlackInteraction interaction;
    try {
      interaction = SlackInteraction.parse(json);
    } catch (MalformedInteractionException e) {
      log.warn("slack socket mode interaction unreadable {}: {}", kv("envelope_id", envelopeId),
          e.getMessage());
      return;
    }
    try {
      ActionDispatcher.Acceptance acceptance = actions.accept(interaction, json);
      log.debug("slack interaction {} {} {} {}", acceptance.name().toLowerCase(Locale.ROOT),
          kv("transport", "socket_mode"), kv("type", interaction.type()),
          kv("user_id", interaction.userId()));
    } catch (StorageException e) {
      log.warn("slack interaction not recorded {} {}: {}", kv("envelope_id", envelopeId),
          kv("user_id", interaction.userId()), e.getMessage());
      tell(interaction.responseUrl(), ":warning: Alertdesk could not record this action "
          + "(storage unavailable). Please try again.");
    }
  }

  private void command(String envelopeId, JsonNode payload) {
    SlashCommand command;
    try {
      command = SlashCommand.fromJson(payload);
    } catch (MalformedCommandException e) {
      log.warn("slack socket mode slash command unreadable {}: {}",
          kv("envelope_id", envelopeId), e.getMessage());
      return;
    }
    try {
      if (commands.accept(command) == SlashCommands.Acceptance.BUSY) {
        tell(command.responseUrl(), SlashCommands.BUSY_TEXT);
      }
    } catch (StorageException e) {
      log.warn("slash command not recorded {} {}: {}", kv("envelope_id", envelopeId),
          kv("user_id", command.userId()), e.getMessage());
      tell(command.responseUrl(), ":warning: Alertdesk could not record this command "
          + "(storage unavailable). Please try again.");
    }
  }

  private void tell(@Nullable String responseUrl, String mrkdwn) {
    if (responseUrl != null) {
      responder.ephemeral(responseUrl, mrkdwn);
    }
  }
}
