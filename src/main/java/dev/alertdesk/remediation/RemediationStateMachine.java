package dev.alertdesk.remediation;

import dev.alertdesk.rbac.AccessDecision;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The remediation request's rules, pure, with an injected {@link Clock}. Each method takes the
 * request as stored and returns a {@link Step}; the caller stores {@code after} with a
 * compare-and-set on {@code before.version()} and its audit row in one transaction.
 *
 * <ol>
 *   <li>REQUESTED → PREVIEWED with the executor's preview and its hash; a failed preview → FAILED.
 *   <li>PREVIEWED → PENDING_APPROVAL when approval is required, else → APPROVED.
 *   <li>Approve, only while PENDING_APPROVAL and before {@code expiresAt} (after it: → EXPIRED):
 *       refused for the requester (compared by Slack user ID), for a second approval by the same
 *       person, for a user the authorizer denies, and for a user holding none of the policy's
 *       approver roles. Otherwise the approval is added; with {@code count} approvals →
 *       APPROVED.
 *   <li>Reject: as approve's checks, → REJECTED. Cancel: the requester only, before APPROVED,
 *       → CANCELLED. Expire: an open or approved request past {@code expiresAt} → EXPIRED.
 *   <li>Start execution, only from APPROVED, checking everything again: kill switch → BLOCKED;
 *       past {@code expiresAt} → EXPIRED; the requester's grant (fresh) → DENIED; each
 *       approver again distinct, not the requester, granted (fresh) and in an approver role,
 *       and as many as needed → else DENIED; otherwise → EXECUTING. Limits are drawn by the
 *       store in the same transaction ({@link #blockedByLimit}).
 *   <li>EXECUTING → SUCCEEDED, FAILED or STALE with the executor's result.
 * </ol>
 * Terminal states never change. Thread-safe.
 */
public final class RemediationStateMachine {
  private final Clock clock;

  /** @param clock the source of "now" */
  public RemediationStateMachine(Clock clock) {
    this.clock = clock;
  }

  /**
   * A new request in REQUESTED.
   *
   * @param id the opaque id
   * @param incidentId the incident
   * @param action the catalogue action
   * @param target its checked target
   * @param userId the requester's Slack user ID
   * @param userName the requester's name
   * @param channel the channel of the incident's thread
   */
  public RemediationRequest request(String id, long incidentId, RemediationAction action,
      RemediationTarget target, String userId, String userName, String channel) {
    Instant now = clock.instant();
    return new RemediationRequest(id, incidentId, action.id(), target,
        RemediationState.REQUESTED, 0, userId, userName, channel, now,
        now.plus(action.approval().ttl()), now, null, null,
        action.approval().approvalsNeeded(), List.of(), null, null);
  }

  /** REQUESTED → PREVIEWED with the preview. */
  public Step previewed(RemediationRequest r, RemediationPreview preview) {
    if (r.state() != RemediationState.REQUESTED) {
      return Step.refuse(r, "preview_refused", "the request is " + r.state().wire());
    }
    RemediationRequest after = r.withPreview(preview, previewHash(preview))
        .moved(RemediationState.PREVIEWED, clock.instant(), null);
    return Step.move(r, after, "previewed", "previewed: " + preview.summary());
  }

  /** REQUESTED → FAILED: no preview could be made. */
  public Step previewFailed(RemediationRequest r, String why) {
    if (r.state() != RemediationState.REQUESTED) {
      return Step.refuse(r, "preview_refused", "the request is " + r.state().wire());
    }
    return Step.move(r, r.moved(RemediationState.FAILED, clock.instant(), why),
        "preview_failed", "no preview: " + why);
  }

  /** PREVIEWED → PENDING_APPROVAL, or → APPROVED when the policy needs no approval. */
  public Step awaitApproval(RemediationRequest r, ApprovalPolicy policy) {
    if (r.state() != RemediationState.PREVIEWED) {
      return Step.refuse(r, "await_refused", "the request is " + r.state().wire());
    }
    if (policy.approvalsNeeded() == 0) {
      return Step.move(r, r.moved(RemediationState.APPROVED, clock.instant(), null), "approved",
          "no approval required");
    }
    return Step.move(r, r.moved(RemediationState.PENDING_APPROVAL, clock.instant(), null),
        "pending_approval", "waiting for " + policy.count() + " approval(s) by "
            + String.join(" or ", policy.approvers()));
  }

  /**
   * An approval by {@code userId}.
   *
   * @param decision the authorizer's answer for {@code approve:<id>} (cached membership)
   */
  public Step approve(RemediationRequest r, ApprovalPolicy policy, String userId,
      String userName, AccessDecision decision) {
    Step refused = approverRefusal(r, policy, userId, decision, "approve");
    if (refused != null) {
      return refused;
    }
    Instant now = clock.instant();
    RemediationRequest added = r.withApproval(
        new RemediationRequest.Approval(userId, userName, now, decision.roles()));
    if (added.approvals().size() >= r.approvalsNeeded()) {
      return Step.move(r, added.moved(RemediationState.APPROVED, now, null), "approved",
          "approved by " + String.join(", ", added.approverIds()));
    }
    return Step.move(r, added.moved(RemediationState.PENDING_APPROVAL, now, null), "approval",
        "approval " + added.approvals().size() + " of " + r.approvalsNeeded());
  }

  /** A rejection by {@code userId}: the same checks as an approval. */
  public Step reject(RemediationRequest r, ApprovalPolicy policy, String userId,
      AccessDecision decision) {
    Step refused = approverRefusal(r, policy, userId, decision, "reject");
    if (refused != null) {
      return refused;
    }
    return Step.move(r, r.moved(RemediationState.REJECTED, clock.instant(), null).decidedBy(userId),
        "rejected", "rejected by " + userId);
  }

  private Step approverRefusal(RemediationRequest r, ApprovalPolicy policy, String userId,
      AccessDecision decision, String verb) {
    if (r.state() != RemediationState.PENDING_APPROVAL) {
      return Step.refuse(r, verb + "_refused", "the request is already " + r.state().wire());
    }
    if (expired(r)) {
      return Step.move(r, r.moved(RemediationState.EXPIRED, clock.instant(), "expired"),
          "expired", "the request expired at " + r.expiresAt());
    }
    if (userId.equals(r.requestedById())) {
      return Step.refuse(r, "self_" + verb + "_refused",
          "you requested it; another person must " + verb + " it");
    }
    if (r.approvedBy(userId)) {
      return Step.refuse(r, verb + "_refused", "you already approved it; another person must");
    }
    if (!decision.allowed()) {
      return Step.refuse(r, verb + "_denied", "not allowed: " + decision.reason());
    }
    if (decision.roles().stream().noneMatch(policy.approvers()::contains)) {
      return Step.refuse(r, verb + "_denied", "not allowed: needs role "
          + String.join(" or ", policy.approvers()));
    }
    return null;
  }

  /** A cancellation by {@code userId}: the requester only, before APPROVED. */
  public Step cancel(RemediationRequest r, String userId) {
    if (!r.state().open()) {
      return Step.refuse(r, "cancel_refused", "the request is already " + r.state().wire());
    }
    if (!userId.equals(r.requestedById())) {
      return Step.refuse(r, "cancel_refused", "only the requester can cancel it");
    }
    return Step.move(r, r.moved(RemediationState.CANCELLED, clock.instant(), null).decidedBy(userId),
        "cancelled", "cancelled by the requester");
  }

  /** An open or approved request past {@code expiresAt} → EXPIRED; else refused. */
  public Step expire(RemediationRequest r) {
    if (!(r.state().open() || r.state() == RemediationState.APPROVED) || !expired(r)) {
      return Step.refuse(r, "expire_refused", "not expired");
    }
    return Step.move(r, r.moved(RemediationState.EXPIRED, clock.instant(), "expired"),
        "expired", "not approved and executed within its ttl");
  }

  /**
   * APPROVED → EXECUTING after checking everything again, or to BLOCKED, EXPIRED or DENIED.
   *
   * @param checks the kill switch and fresh access decisions
   */
  public Step startExecution(RemediationRequest r, ApprovalPolicy policy,
      ExecutionChecks checks) {
    Instant now = clock.instant();
    if (r.state() != RemediationState.APPROVED) {
      return Step.refuse(r, "execute_refused", "the request is " + r.state().wire());
    }
    if (checks.frozen()) {
      return Step.move(r, r.moved(RemediationState.BLOCKED, now, "kill switch on"), "blocked",
          "remediation is frozen (kill switch)");
    }
    if (expired(r)) {
      return Step.move(r, r.moved(RemediationState.EXPIRED, now, "expired"), "expired",
          "the approval expired before execution");
    }
    if (!checks.requester().allowed()) {
      String why = "requester not allowed: " + checks.requester().reason();
      return Step.move(r, r.moved(RemediationState.DENIED, now, why), "denied", why);
    }
    Set<String> seen = new HashSet<>();
    int valid = 0;
    for (RemediationRequest.Approval a : r.approvals()) {
      AccessDecision d = checks.approvers().get(a.userId());
      String why = null;
      if (a.userId().equals(r.requestedById()) || !seen.add(a.userId())) {
        why = "approval by " + a.userId() + " is not by a distinct person";
      } else if (d == null || !d.allowed()) {
        why = "approver " + a.userId() + " not allowed: " + (d == null ? "not checked" : d.reason());
      } else if (d.roles().stream().noneMatch(policy.approvers()::contains)) {
        why = "approver " + a.userId() + " no longer holds role "
            + String.join(" or ", policy.approvers());
      }
      if (why != null) {
        return Step.move(r, r.moved(RemediationState.DENIED, now, why), "denied", why);
      }
      valid++;
    }
    int needed = Math.max(r.approvalsNeeded(), policy.approvalsNeeded());
    if (valid < needed) {
      String why = valid + " of " + needed + " approvals";
      return Step.move(r, r.moved(RemediationState.DENIED, now, why), "denied", why);
    }
    return Step.move(r, r.moved(RemediationState.EXECUTING, now, null), "executing",
        "executing");
  }

  /** APPROVED → BLOCKED: the store found no token in {@code bucket}. */
  public Step blockedByLimit(RemediationRequest r, String bucket) {
    String why = "limit reached (" + bucket + ")";
    return Step.move(r, r.moved(RemediationState.BLOCKED, clock.instant(), why), "blocked", why);
  }

  /** EXECUTING → SUCCEEDED, FAILED or STALE. */
  public Step finished(RemediationRequest r, RemediationResult result) {
    if (r.state() != RemediationState.EXECUTING) {
      return Step.refuse(r, "finish_refused", "the request is " + r.state().wire());
    }
    RemediationState to = switch (result.outcome()) {
      case SUCCEEDED -> RemediationState.SUCCEEDED;
      case FAILED -> RemediationState.FAILED;
      case STALE -> RemediationState.STALE;
    };
    return Step.move(r, r.moved(to, clock.instant(), result.detail()), to.wire(),
        result.detail());
  }

  /** Returns true when the request is past its expiry now. */
  public boolean expired(RemediationRequest r) {
    return clock.instant().isAfter(r.expiresAt());
  }

  /**
   * SHA-256 (hex) of a preview: its summary, resourceVersion and generation, so an audit row
   * proves which preview was approved.
   */
  public static String previewHash(RemediationPreview p) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((p.summary() + "\n" + p.resourceVersion() + "\n" + p.generation())
          .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
