package dev.alertdesk.action;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.alert.Matcher;
import dev.alertdesk.alertmanager.AlertmanagerClient;
import dev.alertdesk.alertmanager.AlertmanagerException;
import dev.alertdesk.audit.AuditEntry;
import dev.alertdesk.audit.AuditResult;
import dev.alertdesk.config.Durations;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.slack.IncidentMessageRenderer;
import dev.alertdesk.slack.SilenceChoice;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Silence: creates a real Alertmanager silence with equality matchers on the incident's group
 * labels, for a {@link SilenceChoice}, then records it. Refused for a resolved incident, one
 * already silenced, and one without group labels (the silence would mute every alert).
 * Alertmanager's error is shown to the user and audited as a failure. If the silence cannot be
 * recorded, or another was recorded first, the one just created is expired again.
 * "Until resolved" silences are expired by {@link SilenceExpiry}.
 */
public final class SilenceHandler implements ActionHandler {
  private static final Logger log = LoggerFactory.getLogger(SilenceHandler.class);

  private final ActionWriter writer;
  private final AlertmanagerClient alertmanager;
  private final Clock clock;

  /**
   * @param writer writes the change and answers the user
   * @param alertmanager creates (and on a lost race expires) the silence
   * @param clock the source of "now"
   */
  public SilenceHandler(ActionWriter writer, AlertmanagerClient alertmanager, Clock clock) {
    this.writer = writer;
    this.alertmanager = alertmanager;
    this.clock = clock;
  }

  @Override
  public String actionId() {
    return IncidentActionBlocks.SILENCE;
  }

  /** Returns {@code silence}. */
  @Override
  public String grant(ActionRequest request) {
    return "silence";
  }

  @Override
  public void handle(ActionRequest who) {
    long incidentId = who.incidentId();
    Optional<SilenceChoice> parsed = SilenceChoice.parse(who.choice());
    if (parsed.isEmpty()) {
      writer.tell(who, "Sorry, Alertdesk does not know the silence duration `"
          + IncidentMessageRenderer.escapeText(String.valueOf(who.choice())) + "`.");
      return;
    }
    SilenceChoice choice = parsed.get();
    Instant now = clock.instant();
    Optional<ActionContext> loaded = writer.load(incidentId);
    if (loaded.isEmpty()) {
      writer.tell(who, ActionWriter.noSuchIncident(incidentId));
      return;
    }
    String refusal = refusal(loaded.get(), now);
    if (refusal != null) {
      writer.tell(who, refusal);
      return;
    }
    List<Matcher> matchers = IncidentResponse.silenceMatchers(loaded.get().incident());
    List<String> matcherText = matchers.stream().map(Matcher::toString).toList();
    Instant endsAt = now.plus(choice.duration());
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("duration", choice.value());
    parameters.put("ends_at", endsAt.toString());
    String comment = "Silenced from Slack by @" + who.userName() + " for incident #" + incidentId;
    String silenceId;
    try {
      silenceId = alertmanager.createSilence(matchers, now, endsAt, who.userName(), comment);
    } catch (AlertmanagerException e) {
      writer.auditFailure(ActionWriter.entry(who, now, "silence",
          Map.of("matchers", matcherText), parameters, AuditResult.FAILURE, e.getMessage()));
      writer.tell(who, ":warning: Alertmanager did not create the silence: "
          + IncidentMessageRenderer.escapeText(String.valueOf(e.getMessage())));
      return;
    }
    IncidentResponse.Silence silence = new IncidentResponse.Silence(silenceId, matcherText, endsAt,
        who.userId(), who.userName(), choice.untilResolved());
    Map<String, Object> target = Map.of("matchers", matcherText, "silence_id", silenceId);
    AuditEntry audit = ActionWriter.entry(who, now, "silence", target, parameters,
        AuditResult.SUCCESS, null);
    Optional<ActionChange> written;
    try {
      written = writer.apply(incidentId, current -> {
        String late = refusal(current, now);
        if (late != null) {
          return ActionChange.tellOnly(late);
        }
        Map<String, Object> details = new LinkedHashMap<>(target);
        details.putAll(parameters);
        details.put("until_resolved", choice.untilResolved());
        return writer.change(current, current.response().withSilence(silence), EventKind.SILENCED,
            now, who, details, audit, silenced(who, choice, endsAt, matcherText, silenceId));
      });
    } catch (RuntimeException e) {
      expireQuietly(silenceId, "could not be recorded");
      throw e;
    }
    if (written.isPresent() && written.get().audit() == null) {
      // Someone else silenced it between the check and the commit: undo ours.
      expireQuietly(silenceId, "another silence was recorded first");
    }
    writer.finish(who, written);
  }

  /** Why the incident cannot be silenced now, or null when it can. */
  private static @Nullable String refusal(ActionContext ctx, Instant now) {
    long incidentId = ctx.response().incidentId();
    if (ctx.incident().status() == IncidentStatus.RESOLVED) {
      return ActionWriter.alreadyResolved(incidentId);
    }
    IncidentResponse.Silence existing = ctx.response().silence();
    if (existing != null && ctx.response().silencedAt(now)) {
      return "Incident #" + incidentId + " is already silenced by <@" + existing.userId() + "> "
          + (existing.untilResolved() ? "until it resolves"
          : "until " + IncidentActionBlocks.slackTimeOf(existing.endsAt()))
          + " (silence `" + existing.id() + "`).";
    }
    if (IncidentResponse.silenceMatchers(ctx.incident()).isEmpty()) {
      return "Incident #" + incidentId + " has no group labels to match, so a silence would mute "
          + "every alert. Create it in Alertmanager instead.";
    }
    return null;
  }

  private static String silenced(ActionRequest who, SilenceChoice choice, Instant endsAt,
      List<String> matcherText, String silenceId) {
    return ":mute: <@" + who.userId() + "> silenced this incident in Alertmanager "
        + (choice.untilResolved() ? "until it resolves" : "for "
        + Durations.humanize(choice.duration()) + " (until "
        + IncidentActionBlocks.slackTimeOf(endsAt) + ")")
        + "\nMatchers: " + String.join(", ", matcherText.stream()
            .map(m -> "`" + IncidentMessageRenderer.escapeText(m) + "`").toList())
        + " · silence `" + silenceId + "`";
  }

  private void expireQuietly(String silenceId, String why) {
    try {
      alertmanager.expireSilence(silenceId);
      log.warn("expired silence again because it {} {}", why, kv("silence_id", silenceId));
    } catch (AlertmanagerException e) {
      log.error("silence {} and could not be expired; expire it in Alertmanager {}: {}",
          why, kv("silence_id", silenceId), e.getMessage());
    }
  }
}
