package dev.alertdesk.incident;

import java.util.Locale;

/** What one notification did to the incident store; also the {@code outcome} metric tag. */
public enum NotificationOutcome {
  /** A new incident opened. */
  OPENED,
  /** Members of an open incident joined, fired again or resolved. */
  UPDATED,
  /** The last firing member resolved. */
  RESOLVED,
  /** A resolved incident fired again within the reopen window. */
  REOPENED,
  /** Nothing changed: a repeat, an HA replica's copy or a retry. No Slack call follows. */
  DUPLICATE,
  /** Only resolved alerts for a group with no open incident: kept as a raw notification only. */
  NO_INCIDENT;

  /** Returns the lower-case form used in metrics, logs and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
