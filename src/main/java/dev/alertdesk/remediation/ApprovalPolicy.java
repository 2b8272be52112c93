package dev.alertdesk.remediation;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Who must approve an action before it runs.
 *
 * @param approvers the roles (from {@code rbac.roles}) an approver must hold one of; not empty
 *     when approval is required
 * @param count how many distinct approvers, none of them the requester; default 1
 * @param ttl how long a request may wait for approval and execution; default 15 minutes
 * @param required whether approval is needed at all
 */
public record ApprovalPolicy(List<String> approvers, int count, Duration ttl, Required required) {
  /** The default time to live of a request. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

  /** Copies the roles and checks the bounds. */
  public ApprovalPolicy {
    approvers = List.copyOf(approvers);
    if (count < 1 || count > 10) {
      throw new IllegalArgumentException("count must be 1-10");
    }
    if (required == Required.ALWAYS && approvers.isEmpty()) {
      throw new IllegalArgumentException("approvers must name at least one role");
    }
  }

  /** How many approvals a request of this policy needs: {@link #count} or 0 for never. */
  public int approvalsNeeded() {
    return required == Required.ALWAYS ? count : 0;
  }

  /** Whether approval is required. */
  public enum Required {
    /** A distinct, authorised person must approve each request. */
    ALWAYS,
    /** The requester's own grant suffices. */
    NEVER;

    /** The lower-case form used in {@code CONFIG_FILE}. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
