package dev.alertdesk.remediation;

/**
 * What the state machine decided for one event.
 *
 * @param before the request as it was
 * @param after the request to store; equal to {@code before} when refused
 * @param event the audit action's suffix, such as {@code approved}, {@code approval},
 *     {@code self_approval_refused}
 * @param refused true when nothing changes: the user is told {@code message} and a
 *     {@code denied} audit row is written
 * @param message what happened, in plain words, for the user and the audit row; may quote
 *     untrusted text
 */
public record Step(RemediationRequest before, RemediationRequest after, String event,
    boolean refused, String message) {

  /** Returns true when the state or the approvals change (a compare-and-set is needed). */
  public boolean changes() {
    return !refused;
  }

  static Step refuse(RemediationRequest r, String event, String message) {
    return new Step(r, r, event, true, message);
  }

  static Step move(RemediationRequest before, RemediationRequest after, String event,
      String message) {
    return new Step(before, after, event, false, message);
  }
}
