package dev.alertdesk.web;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.command.MalformedCommandException;
import dev.alertdesk.command.SlashCommand;
import dev.alertdesk.command.SlashCommands;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.slack.SlackSignatureVerifier;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /slack/commands}: the {@code /alertdesk} slash command over HTTP
 * (docs.slack.dev/interactivity/implementing-slash-commands). Every request must carry a valid v0
 * signature ({@link SlackSignatureVerifier}); one that does not is answered 401 and has no other
 * effect. The form is read into a {@link SlashCommand} (400 naming a missing field) and handed to
 * {@link SlashCommands#accept}, which records and queues it; the answer is 200 at once with an
 * empty body, and the command's own answer follows through its {@code response_url}. When too many
 * commands wait or the database cannot record it, the 200 carries an ephemeral message saying so.
 * 404 when {@code SLACK_SIGNING_SECRET} is unset (Socket Mode carries commands without it).
 */
final class SlackCommandsHandler implements Handler {
  private static final Logger log = LoggerFactory.getLogger(SlackCommandsHandler.class);

  private final @Nullable SlackSignatureVerifier verifier;
  private final @Nullable SlashCommands commands;

  /**
   * @param verifier checks signatures, or null when {@code SLACK_SIGNING_SECRET} is unset
   * @param commands answers the command, or null when interactivity is off
   */
  SlackCommandsHandler(@Nullable SlackSignatureVerifier verifier,
      @Nullable SlashCommands commands) {
    this.verifier = verifier;
    this.commands = commands;
  }

  @Override
  public void handle(Context ctx) {
    if (verifier == null || commands == null) {
      JsonResponses.error(ctx, 404, "Slack commands over HTTP are off: SLACK_SIGNING_SECRET "
          + "is not set");
      return;
    }
    byte[] body = ctx.bodyAsBytes();
    SlackSignatureVerifier.Verdict verdict = verifier.verify(
        ctx.header("X-Slack-Request-Timestamp"), ctx.header("X-Slack-Signature"), body);
    if (verdict != SlackSignatureVerifier.Verdict.VALID) {
      log.warn("slack command refused {} {}", kv("reason", verdict.name().toLowerCase(
          Locale.ROOT)), kv("remote", ctx.ip()));
      JsonResponses.error(ctx, 401, "invalid Slack request signature");
      return;
    }
    Map<String, String> fields = form(new String(body, StandardCharsets.UTF_8));
    if (fields == null) {
      JsonResponses.error(ctx, 400, "the body is not a valid form");
      return;
    }
    SlashCommand command;
    try {
      command = SlashCommand.fromMap(fields);
    } catch (MalformedCommandException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    SlashCommands.Acceptance acceptance;
    try {
      acceptance = commands.accept(command);
    } catch (StorageException e) {
      log.warn("slash command not recorded {}: {}", kv("user_id", command.userId()),
          e.getMessage());
      ephemeral(ctx, ":warning: Alertdesk could not record this command (storage "
          + "unavailable). Please try again.");
      return;
    }
    if (acceptance == SlashCommands.Acceptance.BUSY) {
      ephemeral(ctx, SlashCommands.BUSY_TEXT);
      return;
    }
    ctx.status(200).result("");
  }

  private static void ephemeral(Context ctx, String text) {
    JsonResponses.json(ctx, 200, Map.of("response_type", "ephemeral", "text", text));
  }

  /** Reads an {@code application/x-www-form-urlencoded} body; null when it cannot be decoded. */
  static @Nullable Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return fields;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
            StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
            StandardCharsets.UTF_8);
        fields.putIfAbsent(key, value);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return fields;
  }
}
