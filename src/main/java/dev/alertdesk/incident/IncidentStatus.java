package dev.alertdesk.incident;

import java.util.Locale;

/** The lifecycle state of an incident. */
public enum IncidentStatus {
  /** At least one member alert fires. */
  FIRING,
  /** Every member alert is resolved; the incident may still reopen within the reopen window. */
  RESOLVED;

  /** Returns the lower-case form used in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the lower-case form.
   *
   * @throws IllegalArgumentException for an unknown value
   */
  public static IncidentStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
