package dev.alertdesk.action;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.alertmanager.AlertmanagerClient;
import dev.alertdesk.alertmanager.AlertmanagerException;
import dev.alertdesk.audit.AuditResult;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.schedule.PeriodicJob;
import dev.alertdesk.slack.IncidentActionBlocks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled job that expires "until resolved" silences ({@link
 * dev.alertdesk.slack.SilenceChoice#UNTIL_RESOLVED}) once their incident has resolved: when
 * Alertdesk saw it resolve, or when Alertmanager holds no unresolved alert matching the silence
 * any more. The second case matters because Alertmanager mutes the resolved notification of a
 * silenced alert too; expiring the silence before the group's next flush lets that notification
 * through. Each expiry is recorded as Alertdesk's own unsilence ({@value ActionRequest#SYSTEM_USER}),
 * with an audit row, a timeline event and the Slack updates. Failures are retried at the next run.
 */
public final class SilenceExpiry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SilenceExpiry.class);

  private final ActionStore store;
  private final AlertmanagerClient alertmanager;
  private final ActionWriter writer;
  private final Clock clock;
  private @Nullable PeriodicJob job;

  /**
   * @param store finds the incidents holding an "until resolved" silence
   * @param alertmanager counts the alerts a silence matches, and expires it
   * @param writer writes the unsilence
   * @param clock the source of "now"
   */
  public SilenceExpiry(ActionStore store, AlertmanagerClient alertmanager, ActionWriter writer,
      Clock clock) {
    this.store = store;
    this.alertmanager = alertmanager;
    this.writer = writer;
    this.clock = clock;
  }

  /**
   * Runs {@link #run()} every {@code interval}, the first time after one interval, on the
   * {@link PeriodicJob} {@code silence-expiry}. Idempotent.
   *
   * @param interval the delay between the end of one run and the start of the next, positive
   * @throws IllegalArgumentException when {@code interval} is not positive
   */
  public synchronized void start(Duration interval) {
    if (job == null) {
      job = PeriodicJob.start("silence-expiry", interval, interval, interval, this::run);
    }
  }

  /**
   * Checks every incident holding an "until resolved" silence (at most 100 per run, oldest first)
   * and expires the silences due. Never throws: a failure is logged and retried at the next run.
   */
  public void run() {
    try {
      for (ActionContext ctx : store.untilResolvedSilences()) {
        expireIfResolved(ctx);
      }
    } catch (RuntimeException e) {
      log.warn("silence expiry check failed, will retry: {}", e.getMessage());
    }
  }

  private void expireIfResolved(ActionContext ctx) {
    IncidentResponse.Silence silence = ctx.response().silence();
    if (silence == null) {
      return;
    }
    long incidentId = ctx.response().incidentId();
    String reason;
    try {
      if (ctx.incident().status() == IncidentStatus.RESOLVED) {
        reason = "incident resolved";
      } else if (alertmanager.countUnresolvedAlerts(silence.matchers()) == 0) {
        reason = "no alert matches in Alertmanager";
      } else {
        return;
      }
      alertmanager.expireSilence(silence.id());
    } catch (AlertmanagerException e) {
      if (!e.isNotFound()) {
        log.warn("could not check or expire silence, will retry {} {}: {}",
            kv("incident_id", incidentId), kv("silence_id", silence.id()), e.getMessage());
        return;
      }
      reason = "silence gone from Alertmanager";
    }
    Instant now = clock.instant();
    Map<String, Object> target = Map.of("matchers", silence.matchers(), "silence_id", silence.id());
    ActionRequest system = ActionRequest.bySystem(IncidentActionBlocks.UNSILENCE, incidentId);
    String why = reason;
    writer.commit(system, current -> {
      IncidentResponse.Silence stored = current.response().silence();
      if (stored == null || !stored.id().equals(silence.id())) {
        return ActionChange.tellOnly("");
      }
      return writer.change(current, current.response().withSilence(null), EventKind.UNSILENCED,
          now, system, Map.of("silence_id", silence.id(), "reason", why),
          ActionWriter.entry(system, now, "unsilence", target, Map.of("reason", why),
              AuditResult.SUCCESS, null),
          ":loud_sound: Resolved: Alertdesk expired silence `" + silence.id()
              + "` (until resolved, created by <@" + silence.userId() + ">; " + why + ")");
    });
  }

  /**
   * Stops the job: no new run starts, and a run in progress may finish for up to 10 s ({@link
   * PeriodicJob#close()}). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (job != null) {
      job.close();
    }
  }
}
