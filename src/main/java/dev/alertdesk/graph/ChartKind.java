package dev.alertdesk.graph;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

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

  /**
   * Parses {@link #wire()}, tolerating kinds this version does not know (a newer version wrote
   * them).
   *
   * @param wire the stored kind, e.g. {@code firing}
   * @return the kind, or empty when {@code wire} names none of this version's kinds
   */
  public static Optional<ChartKind> known(String wire) {
    return Arrays.stream(values()).filter(k -> k.wire().equals(wire)).findFirst();
  }
}
