package dev.alertdesk.status;

import dev.alertdesk.delivery.DeliveryOutcome;
import dev.alertdesk.delivery.Outbox;
import dev.alertdesk.delivery.TargetWorker;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A delivery target other than Slack (e-mail, …): its configuration as its sender describes it
 * (never secrets), how many of its jobs wait and how old the oldest is, and how the last
 * delivery ended. An error when the last delivery failed for good; a warning while deliveries
 * are being retried or the oldest job has waited longer than 5 minutes.
 */
final class DeliveryTargetSection implements StatusSection {
  private final TargetWorker worker;
  private final Clock clock;

  DeliveryTargetSection(TargetWorker worker, Clock clock) {
    this.worker = worker;
    this.clock = clock;
  }

  @Override
  public String name() {
    return worker.target().wire();
  }

  @Override
  public SectionStatus check() {
    Map<String, Object> details = new LinkedHashMap<>(worker.sender().describe());
    Outbox.Depth d;
    try {
      d = worker.outbox().depth(worker.target());
    } catch (RuntimeException e) {
      return new SectionStatus(SectionStatus.Level.ERROR, "unreadable: the database failed",
          details);
    }
    long age = d.oldestCreatedAt() == null ? 0
        : Math.max(0, Duration.between(d.oldestCreatedAt(), clock.instant()).toSeconds());
    details.put("pending", d.pending());
    details.put("oldest_job_age_seconds", age);
    TargetWorker.Health h = worker.health();
    String summary = d.pending() + " waiting" + (d.pending() == 0 ? "" : ", oldest " + age + " s");
    SectionStatus.Level level = SectionStatus.Level.OK;
    if (h != null) {
      details.put("last_outcome", h.outcome().name().toLowerCase(Locale.ROOT));
      details.put("last_at", h.at().toString());
      if (h.error() != null) {
        details.put("last_error", h.error());
      }
      details.put("consecutive_failures", h.consecutiveFailures());
      if (h.outcome() == DeliveryOutcome.FAILED) {
        level = SectionStatus.Level.ERROR;
        summary = "last delivery failed for good: " + h.error() + "; " + summary;
      } else if (h.outcome() != DeliveryOutcome.DELIVERED) {
        level = SectionStatus.Level.WARNING;
        summary = "retrying: " + h.error() + "; " + summary;
      }
    }
    if (level == SectionStatus.Level.OK && age > OutboxSection.STUCK_AFTER.toSeconds()) {
      level = SectionStatus.Level.WARNING;
    }
    return new SectionStatus(level, summary, details);
  }
}
