package dev.alertdesk.web;

import dev.alertdesk.AlertdeskException;

/** A query or path parameter is invalid; answered 400 with the message, which names it. */
final class BadRequest extends AlertdeskException {
  private static final long serialVersionUID = 1L;

  BadRequest(String message) {
    super(message);
  }
}
