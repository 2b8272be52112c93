package dev.alertdesk.incident;

import dev.alertdesk.AlertdeskException;

/**
 * The incident store could not complete an operation (database down, lock timeout, disk full).
 * The webhook answers it with 503 so that Alertmanager retries; nothing was written.
 */
public final class StorageException extends AlertdeskException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, without secrets
   * @param cause the underlying exception
   */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
