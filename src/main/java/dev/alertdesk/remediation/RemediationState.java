package dev.alertdesk.remediation;

import java.util.Locale;

/**
 * The states of a remediation request. The path is REQUESTED → PREVIEWED → PENDING_APPROVAL →
 * APPROVED → EXECUTING → SUCCEEDED or FAILED; DENIED, REJECTED, EXPIRED, CANCELLED, BLOCKED and
 * STALE end a request early. Stored by {@link #wire()}, so names never change.
 */
public enum RemediationState {
  /** Asked for from Slack; no preview yet. */
  REQUESTED,
  /** The executor showed what would change. */
  PREVIEWED,
  /** Waiting for approvers. */
  PENDING_APPROVAL,
  /** Enough distinct, authorised approvers agreed (or the action needs no approval). */
  APPROVED,
  /** The one execution of this approval runs. */
  EXECUTING,
  /** The change was made. */
  SUCCEEDED,
  /** The preview or the change failed. */
  FAILED,
  /** The requester (or, at execution, an approver) is not allowed, or the target was refused. */
  DENIED,
  /** An approver rejected it. */
  REJECTED,
  /** Not approved and executed within the policy's ttl. */
  EXPIRED,
  /** The requester withdrew it. */
  CANCELLED,
  /** The kill switch is on, or a limit was reached. */
  BLOCKED,
  /** The target changed after the preview; nothing was changed. */
  STALE;

  /** Returns true for states no transition leaves. */
  public boolean terminal() {
    return switch (this) {
      case SUCCEEDED, FAILED, DENIED, REJECTED, EXPIRED, CANCELLED, BLOCKED, STALE -> true;
      default -> false;
    };
  }

  /** Returns true while the request waits for people (it can still expire or be cancelled). */
  public boolean open() {
    return this == REQUESTED || this == PREVIEWED || this == PENDING_APPROVAL;
  }

  /** Returns the lower-case form stored in the database and shown in the API. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@link #wire()}.
   *
   * @throws IllegalArgumentException for an unknown value
   */
  public static RemediationState fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
