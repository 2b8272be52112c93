package dev.alertdesk.remediation;

/**
 * The outcome of one execution.
 *
 * @param outcome what happened
 * @param detail a short, plain-text detail for the thread and the audit row (the new state, the
 *     executor's clipped response, or the error); never a secret; untrusted text
 */
public record RemediationResult(Outcome outcome, String detail) {

  /** What an execution did. */
  public enum Outcome {
    /** The change was made. */
    SUCCEEDED,
    /** The change was refused or failed; nothing is known to have changed. */
    FAILED,
    /** The target changed since the preview (another resourceVersion): nothing was changed. */
    STALE
  }
}
