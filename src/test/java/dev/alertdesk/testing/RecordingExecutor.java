package dev.alertdesk.testing;

import dev.alertdesk.remediation.RemediationException;
import dev.alertdesk.remediation.RemediationExecutor;
import dev.alertdesk.remediation.RemediationPreview;
import dev.alertdesk.remediation.RemediationResult;
import dev.alertdesk.remediation.RemediationTarget;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written {@link RemediationExecutor} for tests: previews name the target and a
 * resourceVersion; executions are recorded; the next outcome and a preview failure can be set.
 */
public final class RecordingExecutor implements RemediationExecutor {
  private final List<String> executions = new CopyOnWriteArrayList<>();
  private final AtomicInteger previews = new AtomicInteger();
  private volatile RemediationResult.Outcome outcome = RemediationResult.Outcome.SUCCEEDED;
  private volatile String previewFailure;

  /** The executions, as {@code operation namespace/name request-id approvers}. */
  public List<String> executions() {
    return List.copyOf(executions);
  }

  /** How many previews were made. */
  public int previews() {
    return previews.get();
  }

  /** Sets the outcome of later executions. */
  public void outcome(RemediationResult.Outcome next) {
    outcome = next;
  }

  /** Makes later previews fail with {@code message}, or succeed again with null. */
  public void failPreviews(String message) {
    previewFailure = message;
  }

  @Override
  public RemediationPreview preview(String operation, RemediationTarget target) {
    previews.incrementAndGet();
    if (previewFailure != null) {
      throw new RemediationException(previewFailure);
    }
    return new RemediationPreview("deployment " + target.namespace() + "/" + target.name()
        + ": " + operation + " (dry run)", "rv-100", 3L);
  }

  @Override
  public RemediationResult execute(String operation, RemediationTarget target,
      RemediationPreview preview, ExecutionContext context) {
    executions.add(operation + " " + target.namespace() + "/" + target.name() + " "
        + context.requestId() + " " + context.approvedBy());
    return new RemediationResult(outcome, outcome == RemediationResult.Outcome.SUCCEEDED
        ? "restartedAt set" : outcome == RemediationResult.Outcome.STALE
        ? "resourceVersion rv-101 != rv-100" : "forbidden");
  }
}
