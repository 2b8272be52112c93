package dev.alertdesk.remediation;

import org.jspecify.annotations.Nullable;

/**
 * What an operation would change, found without changing anything (for Kubernetes, a server-side
 * dry run, {@code dryRun=All}).
 *
 * @param summary a short, plain-text description of the change for the request message, such as
 *     {@code deployment checkout/payments-api: restartedAt 2026-12-04T14:05:00Z, 3 replicas};
 *     clipped by the caller; untrusted text (escape it for every output)
 * @param resourceVersion the target's {@code metadata.resourceVersion} at preview time, or null
 *     when the executor has none (the {@code http} executor); execution compares it and reports
 *     {@link RemediationResult.Outcome#STALE} on a change
 * @param generation the target's {@code metadata.generation}, or null when it has none
 */
public record RemediationPreview(String summary, @Nullable String resourceVersion,
    @Nullable Long generation) {
}
