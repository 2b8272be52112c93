package dev.alertdesk.rbac;

import dev.alertdesk.AlertdeskException;

/**
 * A Slack user group's members could not be read: Slack's free plan
 * ({@code plan_upgrade_required}), a token without {@code usergroups:read}
 * ({@code missing_scope}), an unknown group, rate limiting or an outage. Access that depends on
 * it is denied (fails closed), and the message says why. Never carries a secret.
 */
public final class MembershipUnreadableException extends AlertdeskException {
  private static final long serialVersionUID = 1L;

  private final String code;

  /**
   * @param code a short, stable cause such as Slack's error code ({@code plan_upgrade_required},
   *     {@code missing_scope}), {@code http_503}, {@code timeout} or {@code unreachable}
   * @param message the cause in plain words, for the user and the audit row
   */
  public MembershipUnreadableException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** Returns the short cause, e.g. {@code plan_upgrade_required}. */
  public String code() {
    return code;
  }
}
