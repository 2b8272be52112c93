package dev.alertdesk.alertmanager;

import dev.alertdesk.AlertdeskException;

/**
 * Alertmanager refused a request or could not be reached. The message is safe to show to the
 * user who acted: it is Alertmanager's own error text (or the network error), never a credential.
 */
public final class AlertmanagerException extends AlertdeskException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status the HTTP status Alertmanager answered, or 0 when it was not reached
   * @param message Alertmanager's error text, or a description of the network failure
   */
  public AlertmanagerException(int status, String message) {
    super(message);
    this.status = status;
  }

  /**
   * Returns true when Alertmanager does not know the silence: 404, or the 500 with "silence not
   * found" that Alertmanager 0.25 answers to {@code DELETE /api/v2/silence/{id}}.
   */
  public boolean isNotFound() {
    return status == 404 || (status == 500 && String.valueOf(getMessage()).contains("not found"));
  }

  /** Returns the HTTP status, or 0 when Alertmanager was not reached. */
  public int status() {
    return status;
  }
}
