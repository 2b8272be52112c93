package dev.alertdesk.status;

import dev.alertdesk.delivery.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outbox of Slack calls: how many wait and how old the oldest is. A warning when the oldest
 * has waited longer than {@link #STUCK_AFTER} (Slack down, rate-limited for long, or no worker).
 */
final class OutboxSection implements StatusSection {
  /** Waiting this long makes the outbox a warning: 5 minutes. */
  static final Duration STUCK_AFTER = Duration.ofMinutes(5);

  private final Outbox outbox;
  private final Clock clock;

  /**
   * @param outbox the queue of Slack calls
   * @param clock the source of "now"
   */
  OutboxSection(Outbox outbox, Clock clock) {
    this.outbox = outbox;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "outbox";
  }

  @Override
  public SectionStatus check() {
    Outbox.Depth d;
    try {
      d = outbox.depth();
    } catch (RuntimeException e) {
      return new SectionStatus(SectionStatus.Level.ERROR, "unreadable: the database failed",
          Map.of());
    }
    long age = d.oldestCreatedAt() == null ? 0
        : Math.max(0, Duration.between(d.oldestCreatedAt(), clock.instant()).toSeconds());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("pending", d.pending());
    details.put("oldest_job_age_seconds", age);
    String summary = d.pending() + " waiting" + (d.pending() == 0 ? "" : ", oldest " + age + " s");
    return age > STUCK_AFTER.toSeconds()
        ? new SectionStatus(SectionStatus.Level.WARNING, summary, details)
        : SectionStatus.ok(summary, details);
  }
}
