package dev.alertdesk.remediation;

import dev.alertdesk.rbac.AccessDecision;
import java.util.Map;

/**
 * What is checked again right before an execution, read then and not from any cache.
 *
 * @param frozen true when the kill switch is on ({@code REMEDIATION_ENABLED=false} or
 *     {@code alertdesk freeze})
 * @param requester the requester's {@code remediate:<id>} decision, with fresh membership
 * @param approvers per approver (Slack user ID), their {@code approve:<id>} decision, with fresh
 *     membership
 */
public record ExecutionChecks(boolean frozen, AccessDecision requester,
    Map<String, AccessDecision> approvers) {
  /** Copies the map. */
  public ExecutionChecks {
    approvers = Map.copyOf(approvers);
  }
}
