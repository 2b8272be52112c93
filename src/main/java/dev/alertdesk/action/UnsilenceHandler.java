package dev.alertdesk.action;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.alertmanager.AlertmanagerClient;
import dev.alertdesk.alertmanager.AlertmanagerException;
import dev.alertdesk.audit.AuditResult;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.slack.IncidentMessageRenderer;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unsilence: expires the incident's silence in Alertmanager, then records that. A silence that
 * Alertmanager no longer knows (its storage was wiped) is cleared here too; any other
 * Alertmanager error is shown to the user and audited as a failure.
 */
public final class UnsilenceHandler implements ActionHandler {
  private static final Logger log = LoggerFactory.getLogger(UnsilenceHandler.class);

  private final ActionWriter writer;
  private final AlertmanagerClient alertmanager;
  private final Clock clock;

  /**
   * @param writer writes the change and answers the user
   * @param alertmanager expires the silence
   * @param clock the source of "now"
   */
  public UnsilenceHandler(ActionWriter writer, AlertmanagerClient alertmanager, Clock clock) {
    this.writer = writer;
    this.alertmanager = alertmanager;
    this.clock = clock;
  }

  @Override
  public String actionId() {
    return IncidentActionBlocks.UNSILENCE;
  }

  /** Returns {@code unsilence}. */
  @Override
  public String grant(ActionRequest request) {
    return "unsilence";
  }

  @Override
  public void handle(ActionRequest who) {
    long incidentId = who.incidentId();
    Instant now = clock.instant();
    Optional<ActionContext> loaded = writer.load(incidentId);
    if (loaded.isEmpty()) {
      writer.tell(who, ActionWriter.noSuchIncident(incidentId));
      return;
    }
    IncidentResponse.Silence silence = loaded.get().response().silence();
    if (silence == null) {
      writer.tell(who, "Incident #" + incidentId + " has no silence to expire.");
      return;
    }
    Map<String, Object> target = Map.of("matchers", silence.matchers(), "silence_id", silence.id());
    try {
      alertmanager.expireSilence(silence.id());
    } catch (AlertmanagerException e) {
      if (!e.isNotFound()) {
        writer.auditFailure(ActionWriter.entry(who, now, "unsilence", target, Map.of(),
            AuditResult.FAILURE, e.getMessage()));
        writer.tell(who, ":warning: Alertmanager did not expire silence `" + silence.id() + "`: "
            + IncidentMessageRenderer.escapeText(String.valueOf(e.getMessage())));
        return;
      }
      // Alertmanager no longer knows it (its storage was wiped): nothing mutes any more.
      log.warn("silence unknown to Alertmanager, clearing it here {} {}",
          kv("incident_id", incidentId), kv("silence_id", silence.id()));
    }
    writer.commit(who, ctx -> {
      IncidentResponse.Silence current = ctx.response().silence();
      if (current == null || !current.id().equals(silence.id())) {
        return ActionChange.tellOnly("Silence `" + silence.id() + "` was already expired.");
      }
      return writer.change(ctx, ctx.response().withSilence(null), EventKind.UNSILENCED, now, who,
          Map.of("silence_id", silence.id(), "reason", "user"),
          ActionWriter.entry(who, now, "unsilence", target, Map.of(), AuditResult.SUCCESS, null),
          ":loud_sound: <@" + who.userId() + "> expired silence `" + silence.id() + "`");
    });
  }
}
