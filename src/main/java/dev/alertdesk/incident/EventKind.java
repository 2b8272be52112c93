package dev.alertdesk.incident;

import java.util.Locale;

/** What an {@link IncidentEvent} records. Stored by name, so names never change. */
public enum EventKind {
  /** A new incident opened with its first firing alerts. Details: {@code firing}, {@code
   * fingerprints} (the first 50), {@code truncated_alerts} when Alertmanager left some out. */
  OPENED,
  /**
   * Alerts joined the group or fired again. Details: {@code count}, {@code fingerprints} (the
   * first 50).
   */
  ALERTS_FIRING,
  /**
   * Member alerts resolved; when they were the last ones, {@link #RESOLVED} follows. Details:
   * {@code count}, {@code fingerprints} (the first 50), and {@code
   * absent_from_resolved_notification} for members a complete resolved notification left out.
   */
  ALERTS_RESOLVED,
  /** Every member resolved. Details: {@code duration_seconds}. */
  RESOLVED,
  /** The group fired again within the reopen window. Details: {@code reopen_count}. */
  REOPENED,
  /** Alertmanager's {@code truncatedAlerts} count changed. Details: {@code from}, {@code to}. */
  TRUNCATED_ALERTS_CHANGED,
  /** The parent message was posted to Slack. Details: {@code channel}, {@code ts}. */
  SLACK_POSTED,
  /**
   * A Slack call failed for good. Details: {@code call} ({@code parent_post}, {@code
   * parent_update} or {@code thread_reply}), {@code error}.
   */
  SLACK_FAILED,
  /**
   * Someone acknowledged the incident from Slack. Details: {@code user_id}, {@code user_name},
   * {@code mtta_seconds}.
   */
  ACKNOWLEDGED,
  /** Someone withdrew the acknowledgement. Details: {@code user_id}, {@code user_name}. */
  UNACKNOWLEDGED,
  /**
   * An Alertmanager silence was created from Slack. Details: {@code user_id}, {@code user_name},
   * {@code silence_id}, {@code matchers}, {@code ends_at}, {@code until_resolved}.
   */
  SILENCED,
  /**
   * The silence was expired, by a user or because the incident resolved. Details: {@code
   * user_id}, {@code user_name}, {@code silence_id}, {@code reason}.
   */
  UNSILENCED,
  /**
   * Thread replies about some fingerprints were snoozed. Details: {@code user_id}, {@code
   * user_name}, {@code fingerprints}, {@code until} or {@code firings}.
   */
  SNOOZED;

  /** Returns the lower-case form used in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
