package dev.alertdesk.alert;

import java.util.Locale;

/** The status of one alert or of a whole notification, as Alertmanager reports it. */
public enum AlertStatus {
  /** The alert is active ({@code "firing"} in the webhook payload). */
  FIRING,
  /** The alert has ended ({@code "resolved"} in the webhook payload). */
  RESOLVED;

  /**
   * Parses Alertmanager's lower-case wire form.
   *
   * @param wire {@code "firing"} or {@code "resolved"}, case-insensitive
   * @return the status
   * @throws IllegalArgumentException for any other value
   */
  public static AlertStatus fromWire(String wire) {
    return switch (wire.toLowerCase(Locale.ROOT)) {
      case "firing" -> FIRING;
      case "resolved" -> RESOLVED;
      default -> throw new IllegalArgumentException(
          "status must be \"firing\" or \"resolved\", got \"" + wire + "\"");
    };
  }

  /** Returns Alertmanager's lower-case wire form, {@code "firing"} or {@code "resolved"}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
