package dev.alertdesk.remediation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One remediation request as stored: immutable; the state machine returns changed copies with
 * {@link #version} one higher, which the store writes with a compare-and-set on the old version.
 *
 * @param id the opaque request id (random, URL-safe), the only thing its buttons carry
 * @param incidentId the incident it was requested on
 * @param actionId the catalogue action
 * @param target the checked target
 * @param state the current state
 * @param version increases by one with every stored change
 * @param requestedById the requester's Slack user ID
 * @param requestedByName the requester's Slack user name
 * @param channel the channel the request message is in (as the outbox names it)
 * @param createdAt when it was requested
 * @param expiresAt when it expires unless executed (created plus the policy's ttl)
 * @param updatedAt when it last changed
 * @param preview what the executor said would change, or null before the preview
 * @param previewHash SHA-256 (hex) of the preview, or null before the preview
 * @param approvalsNeeded distinct approvals it needs, 0 when none
 * @param approvals approvals so far, in order, each by a distinct user
 * @param decidedById who rejected or cancelled it, or null
 * @param detail the last outcome's detail (refusal, error, executor's response), untrusted
 *     text, or null
 */
public record RemediationRequest(
    String id,
    long incidentId,
    String actionId,
    RemediationTarget target,
    RemediationState state,
    int version,
    String requestedById,
    String requestedByName,
    String channel,
    Instant createdAt,
    Instant expiresAt,
    Instant updatedAt,
    @Nullable RemediationPreview preview,
    @Nullable String previewHash,
    int approvalsNeeded,
    List<Approval> approvals,
    @Nullable String decidedById,
    @Nullable String detail) {

  /** Copies the approvals. */
  public RemediationRequest {
    approvals = List.copyOf(approvals);
  }

  /**
   * One approval.
   *
   * @param userId the approver's Slack user ID
   * @param userName their Slack user name
   * @param at when they approved
   * @param roles the roles they held then
   */
  public record Approval(String userId, String userName, Instant at, List<String> roles) {
    /** Copies the roles. */
    public Approval {
      roles = List.copyOf(roles);
    }
  }

  /** Returns true when {@code userId} approved it. */
  public boolean approvedBy(String userId) {
    return approvals.stream().anyMatch(a -> a.userId().equals(userId));
  }

  /** The approvers' Slack user IDs, in order. */
  public List<String> approverIds() {
    return approvals.stream().map(Approval::userId).toList();
  }

  RemediationRequest moved(RemediationState to, Instant now, @Nullable String newDetail) {
    return new RemediationRequest(id, incidentId, actionId, target, to, version + 1,
        requestedById, requestedByName, channel, createdAt, expiresAt, now, preview,
        previewHash, approvalsNeeded, approvals, decidedById, newDetail);
  }

  RemediationRequest decidedBy(String userId) {
    return new RemediationRequest(id, incidentId, actionId, target, state, version,
        requestedById, requestedByName, channel, createdAt, expiresAt, updatedAt, preview,
        previewHash, approvalsNeeded, approvals, userId, detail);
  }

  RemediationRequest withPreview(RemediationPreview p, String hash) {
    return new RemediationRequest(id, incidentId, actionId, target, state, version,
        requestedById, requestedByName, channel, createdAt, expiresAt, updatedAt, p, hash,
        approvalsNeeded, approvals, decidedById, detail);
  }

  RemediationRequest withApproval(Approval a) {
    List<Approval> more = new ArrayList<>(approvals);
    more.add(a);
    return new RemediationRequest(id, incidentId, actionId, target, state, version,
        requestedById, requestedByName, channel, createdAt, expiresAt, updatedAt, preview,
        previewHash, approvalsNeeded, more, decidedById, detail);
  }
}
