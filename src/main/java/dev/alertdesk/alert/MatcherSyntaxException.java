package dev.alertdesk.alert;

import dev.alertdesk.AlertdeskException;

/**
 * Thrown when a matcher or matcher list cannot be parsed, or its regular expression is not valid
 * RE2 syntax. The message names the problem and quotes the input.
 */
public final class MatcherSyntaxException extends AlertdeskException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public MatcherSyntaxException(String message) {
    super(message);
  }
}
