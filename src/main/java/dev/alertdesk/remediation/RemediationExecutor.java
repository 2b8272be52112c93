package dev.alertdesk.remediation;

/**
 * Carries out one remediation operation: {@code kubernetes} (fabric8) or {@code http} (a signed
 * POST to a remediation-executor service). Built from configuration by an explicit factory; one
 * instance per executor kind, thread-safe.
 */
public interface RemediationExecutor {
  /**
   * Shows what {@code operation} would change on {@code target}, changing nothing.
   *
   * @param operation the catalogue's operation, such as {@code rollout-restart}, {@code scale}
   *     or {@code delete-pod} for Kubernetes
   * @param target the checked target
   * @return the preview
   * @throws RemediationException when no preview can be made (not found, forbidden, paused
   *     Deployment, executor unreachable); its message is safe to show
   */
  RemediationPreview preview(String operation, RemediationTarget target);

  /**
   * Carries out {@code operation}, first checking that the target still matches
   * {@code preview} (and for Kubernetes, with a {@code SelfSubjectAccessReview}, that the
   * executor may do it). Never throws for a failed change: the outcome says so.
   *
   * @param operation the operation, as for {@link #preview}
   * @param target the checked target
   * @param preview the preview the approver saw
   * @param context who asked and approved, for executors that pass it on
   * @return the outcome
   */
  RemediationResult execute(String operation, RemediationTarget target,
      RemediationPreview preview, ExecutionContext context);

  /**
   * Who and what an execution is for.
   *
   * @param requestId the remediation request's opaque id
   * @param actionId the catalogue action's id
   * @param incidentId the incident
   * @param requestedBy the requester's Slack user ID
   * @param approvedBy the approvers' Slack user IDs, possibly empty when no approval is required
   */
  record ExecutionContext(String requestId, String actionId, long incidentId, String requestedBy,
      java.util.List<String> approvedBy) {
    /** Copies the approvers. */
    public ExecutionContext {
      approvedBy = java.util.List.copyOf(approvedBy);
    }
  }
}
