package dev.alertdesk.socketmode;

import dev.alertdesk.AlertdeskException;

/** A Socket Mode connection could not be opened; the message names Slack's error, never the token. */
public final class SocketModeException extends AlertdeskException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed, without secrets */
  public SocketModeException(String message) {
    super(message);
  }
}
