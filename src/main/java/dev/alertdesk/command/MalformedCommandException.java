package dev.alertdesk.command;

import dev.alertdesk.AlertdeskException;

/** A slash command request that lacks a field Slack always sends; answered 400 over HTTP. */
public final class MalformedCommandException extends AlertdeskException {
  private static final long serialVersionUID = 1L;

  /** @param message which field is missing, safe to return to the caller */
  public MalformedCommandException(String message) {
    super(message);
  }
}
