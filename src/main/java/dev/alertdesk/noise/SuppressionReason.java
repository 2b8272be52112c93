package dev.alertdesk.noise;

/**
 * Why noise control held a Slack message back, delayed it, folded it into another message or
 * added one: the {@code reason} detail of every event noise control writes
 * ({@code notification_suppressed}, {@code notification_delayed}, {@code rolled_up},
 * {@code storm_ended}, {@code correlated}, {@code flapping_started}, {@code flapping_cleared},
 * {@code reminder_sent}). Stored and shown by {@link #wire()} name; the history insights count
 * suppressions per wire name.
 */
public enum SuppressionReason {
  /** A route said {@code slack: false}: history only. */
  HISTORY_ONLY("history_only"),
  /** Resolved before {@code notify_after.min_firing} elapsed: never posted. */
  RESOLVED_BEFORE_NOTIFY_AFTER("resolved_before_notify_after"),
  /** The parent waits for {@code notify_after.min_firing}. */
  NOTIFY_AFTER("notify_after"),
  /** The alerts it is about are flapping: replies are held back, the parent says so. */
  FLAPPING("flapping"),
  /** The channel's storm limit: rolled up into the "Alert storm" message. */
  STORM("storm"),
  /** Equal {@code correlate_by} labels: a reply in the related incident's thread. */
  CORRELATED("correlate_by"),
  /** A reminder: still unacknowledged after {@code reminders.unacknowledged_after}. */
  UNACKNOWLEDGED("unacknowledged");

  private final String wire;

  SuppressionReason(String wire) {
    this.wire = wire;
  }

  /** Returns the stored and displayed name, e.g. {@code correlate_by}. */
  public String wire() {
    return wire;
  }
}
