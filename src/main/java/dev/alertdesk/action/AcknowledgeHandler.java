package dev.alertdesk.action;

import dev.alertdesk.audit.AuditResult;
import dev.alertdesk.config.Durations;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.slack.IncidentActionBlocks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Acknowledge: records who acknowledged an open incident and when, and its time to acknowledge
 * (MTTA, from the first alert firing to the first acknowledgement). A second click changes
 * nothing and says who acknowledged first.
 */
public final class AcknowledgeHandler implements ActionHandler {
  /** The window of {@code alertdesk_time_to_acknowledge_seconds_max}: 24 hours. */
  static final Duration MTTA_MAX_WINDOW = Duration.ofHours(24);

  private final ActionWriter writer;
  private final Clock clock;
  private final Timer timeToAcknowledge;

  /**
   * @param writer writes the change and answers the user
   * @param clock the source of "now"
   * @param metrics where {@code alertdesk_time_to_acknowledge_seconds} (one MTTA sample per
   *     incident) is recorded
   */
  public AcknowledgeHandler(ActionWriter writer, Clock clock, MeterRegistry metrics) {
    this.writer = writer;
    this.clock = clock;
    this.timeToAcknowledge = timeToAcknowledge(metrics);
  }

  /**
   * Registers {@code alertdesk_time_to_acknowledge_seconds}: one sample per incident, from its
   * first alert firing ({@code startsAt}) to its first acknowledgement (MTTA is sum / count). Its
   * {@code _max} is the longest sample of the last {@link #MTTA_MAX_WINDOW} (Micrometer's
   * decaying maximum, here over a day rather than its default 2 minutes, so a scrape minutes after
   * an acknowledgement still shows it).
   */
  static Timer timeToAcknowledge(MeterRegistry metrics) {
    return Timer.builder("alertdesk_time_to_acknowledge")
        .description("From an incident's first alert firing (startsAt) to its first "
            + "acknowledgement (MTTA)")
        .distributionStatisticExpiry(MTTA_MAX_WINDOW)
        .distributionStatisticBufferLength(24)
        .register(metrics);
  }

  @Override
  public String actionId() {
    return IncidentActionBlocks.ACKNOWLEDGE;
  }

  /** Returns {@code acknowledge}. */
  @Override
  public String grant(ActionRequest request) {
    return "acknowledge";
  }

  @Override
  public void handle(ActionRequest who) {
    long incidentId = who.incidentId();
    Instant now = clock.instant();
    Optional<ActionChange> written = writer.apply(incidentId, ctx -> {
      Incident incident = ctx.incident();
      if (incident.status() == IncidentStatus.RESOLVED) {
        return ActionChange.tellOnly(ActionWriter.alreadyResolved(incidentId));
      }
      IncidentResponse.Acknowledgement ack = ctx.response().acknowledgement();
      if (ack != null) {
        return ActionChange.tellOnly(alreadyAcknowledged(who, ack));
      }
      IncidentResponse.Acknowledgement mine =
          new IncidentResponse.Acknowledgement(who.userId(), who.userName(), now);
      IncidentResponse next = ctx.response().withAcknowledgement(mine);
      if (ctx.acknowledgedBefore()) {
        // MTTA runs to the first acknowledgement only; a later one is no new sample.
        return writer.change(ctx, next, EventKind.ACKNOWLEDGED, now, who, Map.of(),
            ActionWriter.entry(who, now, "acknowledge", Map.of(), Map.of(),
                AuditResult.SUCCESS, null),
            ":eyes: Acknowledged again by <@" + who.userId() + ">");
      }
      Duration mtta = mine.timeToAcknowledge(incident);
      return writer.change(ctx, next, EventKind.ACKNOWLEDGED, now, who,
          Map.of("mtta_seconds", mtta.toSeconds()),
          ActionWriter.entry(who, now, "acknowledge", Map.of(),
              Map.of("mtta_seconds", mtta.toSeconds()), AuditResult.SUCCESS, null),
          ":eyes: Acknowledged by <@" + who.userId() + "> · time to acknowledge "
              + Durations.humanize(mtta) + " (since the first alert fired)");
    });
    written.map(ActionChange::audit)
        .filter(audit -> audit.parameters().get("mtta_seconds") instanceof Number)
        .ifPresent(audit -> timeToAcknowledge.record(
            Duration.ofSeconds(((Number) audit.parameters().get("mtta_seconds")).longValue())));
    writer.finish(who, written);
  }

  private static String alreadyAcknowledged(ActionRequest who,
      IncidentResponse.Acknowledgement ack) {
    return (ack.userId().equals(who.userId()) ? "You" : "<@" + ack.userId() + ">")
        + " already acknowledged incident #" + who.incidentId() + " at "
        + IncidentActionBlocks.slackTimeOf(ack.at()) + ".";
  }
}
