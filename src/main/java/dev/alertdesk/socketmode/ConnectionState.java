package dev.alertdesk.socketmode;

import java.util.Locale;

/** Where the Socket Mode connection stands; shown on {@code /api/status} and as a metric. */
public enum ConnectionState {
  /** Opening the first connection. */
  CONNECTING,
  /** Slack said {@code hello} on the current connection: envelopes arrive. */
  CONNECTED,
  /** The connection was dropped, refused or refreshed; a new one is being opened (with backoff). */
  RECONNECTING,
  /** Closed at shutdown. */
  STOPPED;

  /** The lower-case name, as shown. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
