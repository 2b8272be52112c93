package dev.alertdesk.slack;

import dev.alertdesk.AlertdeskException;

/** A Slack interaction payload that cannot be read; the HTTP layer answers 400 with the message. */
public final class MalformedInteractionException extends AlertdeskException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong, safe to return to the caller */
  public MalformedInteractionException(String message) {
    super(message);
  }
}
