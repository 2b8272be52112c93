package dev.alertdesk.alert;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One Alertmanager alert as it appears in a webhook notification.
 *
 * @param fingerprint Alertmanager's fingerprint of {@code labels}: 16 hex digits
 * @param status firing or resolved
 * @param labels the identifying labels; {@code alertname} is normally among them
 * @param annotations the descriptive annotations ({@code summary}, {@code runbook_url}, …)
 * @param startsAt when the alert started firing (UTC)
 * @param endsAt when it ended; null while firing (Alertmanager sends {@code 0001-01-01T00:00:00Z})
 * @param generatorUrl link to the rule that produced it (Prometheus graph URL), or null
 */
public record Alert(
    String fingerprint,
    AlertStatus status,
    Labels labels,
    Labels annotations,
    Instant startsAt,
    @Nullable Instant endsAt,
    @Nullable String generatorUrl) {

  /**
   * The earliest time Alertdesk accepts anywhere ({@code 0001-01-01T00:00:00Z}, Go's zero time,
   * which Alertmanager sends as the {@code endsAt} of a firing alert). Earlier times are invalid
   * input: answered 400 at the edge, never stored.
   */
  public static final Instant EARLIEST_TIME = Instant.parse("0001-01-01T00:00:00Z");

  /**
   * The latest time Alertdesk accepts anywhere ({@code 9999-12-31T23:59:59.999Z}); later times,
   * such as {@code +300000000-01-01}, would overflow milliseconds since the epoch.
   */
  public static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59.999Z");

  /** Returns true when {@code t} lies within {@link #EARLIEST_TIME} and {@link #LATEST_TIME}. */
  public static boolean isStorableTime(Instant t) {
    return !t.isBefore(EARLIEST_TIME) && !t.isAfter(LATEST_TIME);
  }

  /** Returns the {@code alertname} label, or {@code "(no alertname)"} when it is missing. */
  public String alertname() {
    String name = labels.get("alertname");
    return name == null ? "(no alertname)" : name;
  }

  /** Returns true when {@link #status()} is {@link AlertStatus#FIRING}. */
  public boolean isFiring() {
    return status == AlertStatus.FIRING;
  }
}
