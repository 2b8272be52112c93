package dev.alertdesk.ingest;

import dev.alertdesk.AlertdeskException;

/**
 * Thrown when a webhook body is not a valid Alertmanager version-4 payload. The message names
 * the problem and, where there is one, the JSON path of the bad field ({@code alerts[3].labels}).
 * It is answered with HTTP 400, which Alertmanager does not retry.
 */
public final class InvalidPayloadException extends AlertdeskException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong, naming the field; never contains secrets */
  public InvalidPayloadException(String message) {
    super(message);
  }
}
