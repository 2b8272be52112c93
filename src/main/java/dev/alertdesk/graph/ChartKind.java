package dev.alertdesk.graph;

import java.util.Locale;

/** Why a chart was drawn. Stored by name, so names never change. */
public enum ChartKind {
  /** While the incident fires: the lookback before {@code startsAt} up to now. */
  FIRING,
  /** After the incident resolved: the recovery, with the {@code endsAt} marker. */
  RESOLVED;

  /** Returns the lower-case form used in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@link #wire()}.
   *
   * @throws IllegalArgumentException for an unknown value
   */
  public static ChartKind fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
