package dev.alertdesk.action;

import dev.alertdesk.audit.AuditResult;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.slack.IncidentMessageRenderer;
import dev.alertdesk.slack.SnoozeChoice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Snooze: for a {@link SnoozeChoice}, stops thread replies about the incident's firing alerts
 * (all its alerts when none fires), per fingerprint ({@link FingerprintSnooze}). Alertmanager is
 * untouched and the history still records every firing. Only a thread reply is posted; the parent
 * message does not change.
 */
public final class SnoozeHandler implements ActionHandler {
  private final ActionWriter writer;
  private final Clock clock;

  /**
   * @param writer writes the change and answers the user
   * @param clock the source of "now"
   */
  public SnoozeHandler(ActionWriter writer, Clock clock) {
    this.writer = writer;
    this.clock = clock;
  }

  @Override
  public String actionId() {
    return IncidentActionBlocks.SNOOZE;
  }

  /** Returns {@code snooze}. */
  @Override
  public String grant(ActionRequest request) {
    return "snooze";
  }

  @Override
  public void handle(ActionRequest who) {
    long incidentId = who.incidentId();
    Optional<SnoozeChoice> parsed = SnoozeChoice.parse(who.choice());
    if (parsed.isEmpty()) {
      writer.tell(who, "Sorry, Alertdesk does not know the snooze choice `"
          + IncidentMessageRenderer.escapeText(who.choice() == null ? "" : who.choice()) + "`.");
      return;
    }
    Duration duration = parsed.get().duration();
    Integer firings = parsed.get().firings();
    Instant now = clock.instant();
    writer.commit(who, ctx -> {
      Incident incident = ctx.incident();
      if (incident.status() == IncidentStatus.RESOLVED) {
        return ActionChange.tellOnly(ActionWriter.alreadyResolved(incidentId));
      }
      List<String> fingerprints = incident.members().stream()
          .filter(a -> a.isFiring()).map(a -> a.fingerprint()).toList();
      if (fingerprints.isEmpty()) {
        fingerprints = incident.members().stream().map(a -> a.fingerprint()).toList();
      }
      List<FingerprintSnooze> snoozes = new ArrayList<>();
      for (String fp : fingerprints) {
        snoozes.add(new FingerprintSnooze(fp, incidentId, duration == null ? null : now.plus(duration),
            firings == null ? null : ctx.occurrenceCounts().getOrDefault(fp, 0) + firings,
            who.userId(), who.userName(), now));
      }
      Map<String, Object> parameters = new LinkedHashMap<>();
      if (duration != null) {
        parameters.put("until", now.plus(duration).toString());
      } else {
        parameters.put("firings", firings);
      }
      Map<String, Object> details = new LinkedHashMap<>(parameters);
      details.put("fingerprints", fingerprints);
      String how = duration != null
          ? "until " + IncidentActionBlocks.slackTimeOf(now.plus(duration))
          : "for their next " + firings + " firings";
      ActionChange base = writer.change(ctx, null, EventKind.SNOOZED, now, who, details,
          ActionWriter.entry(who, now, "snooze", Map.of("fingerprints", fingerprints), parameters,
              AuditResult.SUCCESS, null),
          ":zzz: <@" + who.userId() + "> snoozed " + fingerprints.size() + " alert"
              + (fingerprints.size() == 1 ? "" : "s") + " " + how + ": no thread replies about "
              + (fingerprints.size() == 1 ? "it" : "them") + " until then. Alertmanager is "
              + "untouched and the history still records every firing.");
      return new ActionChange(null, base.events(), base.audit(),
          base.messages().stream().filter(m -> m.kind() == SlackIntent.Kind.THREAD_REPLY).toList(),
          snoozes, null);
    });
  }
}
