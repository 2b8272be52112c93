package dev.alertdesk.audit;

import java.util.Locale;

/** The outcome of an audited action. Stored by {@link #wire()}, so names never change. */
public enum AuditResult {
  /** The action changed state as asked. */
  SUCCESS,
  /** The action failed; the entry's error says why. */
  FAILURE,
  /**
   * RBAC refused the action before anything changed; the entry's error says why, its parameters
   * record the roles and user-group memberships resolved.
   */
  DENIED;

  /** Returns the lower-case form stored and shown in the API. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
