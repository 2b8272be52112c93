/**
 * Remediation from Slack: the action catalogue, the request state machine (pure), the approval
 * policy, and the executors that change the world ({@code kubernetes} through fabric8,
 * {@code http} to a separate remediation-executor service), each behind
 * {@link dev.alertdesk.remediation.RemediationExecutor}.
 */
@NullMarked
package dev.alertdesk.remediation;

import org.jspecify.annotations.NullMarked;
