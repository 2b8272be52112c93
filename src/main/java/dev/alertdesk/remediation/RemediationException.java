package dev.alertdesk.remediation;

import dev.alertdesk.AlertdeskException;

/** A remediation that cannot go on; the message is safe to show to users (no secret). */
public class RemediationException extends AlertdeskException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, safe to show */
  public RemediationException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong, safe to show
   * @param cause the underlying error
   */
  public RemediationException(String message, Throwable cause) {
    super(message, cause);
  }
}
