package dev.alertdesk.delivery;

import java.util.Locale;

/**
 * Where an outbox job stands. Stored by {@link #wire()}, so names never change. Delivery owns it:
 * only delivery moves a job out of {@link #PENDING}.
 */
public enum OutboxStatus {
  /** Waiting to be sent (or being sent under a lease). */
  PENDING,
  /** Not sent because Slack delivery is off ({@code SLACK_BOT_TOKEN} unset); kept as a preview. */
  SKIPPED,
  /** Sent; the row keeps the payload Slack got. */
  DELIVERED,
  /** Given up for good; a {@code slack_failed} event says why. */
  FAILED;

  /** Returns the lower-case form stored in the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status a new job gets: pending when Slack delivery is on, else skipped. */
  public static OutboxStatus initial(boolean slackEnabled) {
    return slackEnabled ? PENDING : SKIPPED;
  }

  /**
   * Parses {@link #wire()}.
   *
   * @throws IllegalArgumentException for an unknown value
   */
  public static OutboxStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
