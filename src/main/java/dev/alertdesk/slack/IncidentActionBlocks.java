package dev.alertdesk.slack;

import static dev.alertdesk.slack.BlockKitLimits.clip;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.model.block.element.StaticSelectElement;
import dev.alertdesk.alert.Matcher;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The interactive part of an open incident's parent message (docs.slack.dev/reference/block-kit):
 * Acknowledge or Unacknowledge, a Silence select (1h, 4h, 24h, until resolved) whose confirm
 * dialog lists the silence's matchers, or Unsilence, and a Snooze select. Button values carry the
 * incident id; select option values are {@code {incident id}:{choice}} ({@link ActionValue}),
 * the choices being {@link SilenceChoice} and {@link SnoozeChoice}. Pure.
 */
public final class IncidentActionBlocks {
  /** {@code action_id} of the Acknowledge button. */
  public static final String ACKNOWLEDGE = "incident_acknowledge";
  /** {@code action_id} of the Unacknowledge button. */
  public static final String UNACKNOWLEDGE = "incident_unacknowledge";
  /** {@code action_id} of the Silence select. */
  public static final String SILENCE = "incident_silence";
  /** {@code action_id} of the Unsilence button. */
  public static final String UNSILENCE = "incident_unsilence";
  /** {@code action_id} of the Snooze select. */
  public static final String SNOOZE = "incident_snooze";
  /** Prefix of the link buttons' action ids (Slack sends a click on them too; nothing to do). */
  public static final String LINK_PREFIX = "link_";

  /** Slack's limit on a confirm dialog's text. */
  private static final int MAX_CONFIRM_TEXT_CHARS = 300;

  private IncidentActionBlocks() {}

  /**
   * Builds the actions block for an open incident.
   *
   * @param incident the incident, with its id
   * @param response how people responded so far
   * @param now the current time (an expired silence offers Silence again)
   */
  static ActionsBlock actions(Incident incident, IncidentResponse response, Instant now) {
    return actions(incident, response, now, List.of());
  }

  /**
   * Builds the actions block for an open incident with the remediation request buttons after
   * the others.
   *
   * @param remediations the request buttons ({@link RemediationMessageRenderer#offers})
   */
  static ActionsBlock actions(Incident incident, IncidentResponse response, Instant now,
      List<BlockElement> remediations) {
    long incidentId = incident.id();
    String id = ActionValue.button(incidentId);
    List<BlockElement> elements = new ArrayList<>();
    if (response.acknowledged()) {
      elements.add(button(UNACKNOWLEDGE, ":leftwards_arrow_with_hook: Unacknowledge", id, null));
    } else {
      elements.add(button(ACKNOWLEDGE, ":eyes: Acknowledge", id, "primary"));
    }
    if (response.silencedAt(now)) {
      elements.add(button(UNSILENCE, ":loud_sound: Unsilence", id, null));
    } else {
      List<Matcher> matchers = IncidentResponse.silenceMatchers(incident);
      if (!matchers.isEmpty()) {
        elements.add(StaticSelectElement.builder()
            .actionId(SILENCE)
            .placeholder(plain(":mute: Silence…"))
            .options(options(incidentId, SilenceChoice.values(), SilenceChoice::value,
                SilenceChoice::label))
            .confirm(ConfirmationDialogObject.builder()
                .title(plain("Create an Alertmanager silence?"))
                .text(MarkdownTextObject.builder().text(clip("Alertmanager will mute every alert "
                    + "matching:\n" + matcherList(matchers), MAX_CONFIRM_TEXT_CHARS)).build())
                .confirm(plain("Silence"))
                .deny(plain("Cancel"))
                .style("danger")
                .build())
            .build());
      }
    }
    elements.add(StaticSelectElement.builder()
        .actionId(SNOOZE)
        .placeholder(plain(":zzz: Snooze…"))
        .options(options(incidentId, SnoozeChoice.values(), SnoozeChoice::value,
            SnoozeChoice::label))
        .build());
    // Slack allows at most 25 elements in an actions block; at most 3 remediation buttons.
    elements.addAll(remediations);
    return ActionsBlock.builder().blockId("incident_actions").elements(elements).build();
  }

  /**
   * Returns the line saying who acknowledged and until when it is silenced, or null when neither.
   *
   * @param response how people responded
   * @param now the current time
   */
  static @Nullable String responseLine(IncidentResponse response, Instant now) {
    List<String> parts = new ArrayList<>();
    IncidentResponse.Acknowledgement ack = response.acknowledgement();
    if (ack != null) {
      parts.add(":eyes: Acknowledged by <@" + ack.userId() + "> "
          + IncidentMessageRenderer.slackDate(ack.at()));
    }
    IncidentResponse.Silence silence = response.silence();
    if (silence != null && response.silencedAt(now)) {
      parts.add(":mute: Silenced " + (silence.untilResolved() ? "until resolved" : "until "
          + slackTime(silence.endsAt())) + " by <@" + silence.userId() + ">");
    }
    return parts.isEmpty() ? null : String.join(" · ", parts);
  }

  /** The matchers as Alertmanager shows them, {@code name="value"}, one per line in code spans. */
  static String matcherList(List<Matcher> matchers) {
    List<String> lines = new ArrayList<>();
    matchers.forEach(m -> lines.add("`" + IncidentMessageRenderer.escape(m.toString()) + "`"));
    return String.join("\n", lines);
  }

  /**
   * A Slack date token showing the time, {@code 14:05} in each reader's zone, with a UTC
   * fallback (docs.slack.dev, "Formatting text": date formatting).
   *
   * @param t the instant
   */
  public static String slackTimeOf(Instant t) {
    return slackTime(t);
  }

  static String slackTime(Instant t) {
    return "<!date^" + t.getEpochSecond() + "^{time}|" + t.toString().substring(11, 16) + " UTC>";
  }

  private static ButtonElement button(String actionId, String text, String value,
      @Nullable String style) {
    return ButtonElement.builder().actionId(actionId).text(plain(text)).value(value).style(style)
        .build();
  }

  private static <C> List<OptionObject> options(long incidentId, C[] choices,
      Function<C, String> value, Function<C, String> label) {
    List<OptionObject> options = new ArrayList<>();
    for (C choice : choices) {
      options.add(OptionObject.builder().text(plain(label.apply(choice)))
          .value(ActionValue.option(incidentId, value.apply(choice))).build());
    }
    return options;
  }

  private static PlainTextObject plain(String text) {
    return PlainTextObject.builder().text(clip(text, BlockKitLimits.MAX_BUTTON_TEXT_CHARS))
        .emoji(true).build();
  }
}
