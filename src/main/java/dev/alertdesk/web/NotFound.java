package dev.alertdesk.web;

import dev.alertdesk.AlertdeskException;

/** The resource a path names does not exist; answered 404 with the message. */
final class NotFound extends AlertdeskException {
  private static final long serialVersionUID = 1L;

  NotFound(String message) {
    super(message);
  }
}
