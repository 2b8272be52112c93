package dev.alertdesk.delivery;

import dev.alertdesk.incident.DeliveryTarget;
import dev.alertdesk.incident.IncidentRepository.SlackMessageRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The durable queue of intents ({@link OutboxJob}, each with its {@link OutboxStatus}) for every
 * {@link DeliveryTarget}. Rows are written in the same transaction as the change that caused
 * them; this role lets workers claim and settle them. Each target's worker claims only its own
 * target's rows, in order per incident within that target.
 * Safe for several workers and replicas: a claim is a lease that expires.
 *
 * <p>All methods throw {@link dev.alertdesk.incident.StorageException} when the database fails.
 */
public interface Outbox {
  /**
   * Claims due jobs: for each incident only its oldest unfinished job, and only when that job is
   * due and not leased by another worker. Graph jobs ({@link
   * dev.alertdesk.incident.SlackIntent.Kind#GRAPH}) are left out when finding the oldest job of a
   * text message: an upload being retried never holds back the parent update or thread reply
   * after it.
   *
   * @param now the current time
   * @param lease how long the claim holds before another worker may take the job
   * @param workerId identifies the claimer in the row
   * @param limit at most this many jobs
   * @return claimed jobs: parent posts ({@link
   *     dev.alertdesk.incident.SlackIntent.Kind#PARENT_POST}) first, then the rest, each oldest
   *     first; a job whose previous claim expired unsettled is marked
   *     {@link OutboxJob#unknownOutcome()}
   */
  default java.util.List<OutboxJob> claimDue(Instant now, Duration lease, String workerId,
      int limit) {
    return claimDue(DeliveryTarget.SLACK, now, lease, workerId, limit);
  }

  /**
   * Claims due jobs of one delivery target, as {@link #claimDue(Instant, Duration, String, int)}
   * does for Slack: for each incident only its oldest unfinished job of that target (jobs of
   * other targets never hold it back), when due and not leased.
   *
   * @param target whose jobs to claim
   * @param now the current time
   * @param lease how long the claim holds before another worker may take the job
   * @param workerId identifies the claimer in the row
   * @param limit at most this many jobs
   * @return claimed jobs, oldest first
   */
  java.util.List<OutboxJob> claimDue(DeliveryTarget target, Instant now, Duration lease,
      String workerId, int limit);

  /**
   * Renews this worker's claim on a job right before it is sent. A pass sends its claimed jobs
   * one after another, so a slow Slack can outlast the lease taken at claim time; once it has
   * expired another worker may have claimed the job, and sending it again would duplicate it.
   *
   * @param job a job this worker claimed
   * @param workerId the claimer named in {@link #claimDue}
   * @param now the current time
   * @param lease how long the renewed claim holds
   * @return true when the job is still pending and claimed by {@code workerId}, now until
   *     {@code now + lease}; false when another worker claimed it or it was settled: skip it
   */
  boolean renew(OutboxJob job, String workerId, Instant now, Duration lease);

  /** Returns the incident's parent message in {@code channel}, if it was posted. */
  Optional<SlackMessageRef> parentMessage(long incidentId, String channel);

  /**
   * Returns the ID of a channel as configured: the channel itself when it is an ID, else the ID
   * Slack answered for an earlier parent post to it. Slack methods that read a channel
   * ({@code conversations.history}) take only IDs.
   *
   * @param channel the channel as configured (name or ID)
   * @return the ID, or empty when it is a name nothing has been posted to yet (the default)
   */
  default Optional<String> channelId(String channel) {
    return Optional.empty();
  }

  /**
   * Adopts, as the incident's parent message in {@code channel}, the Slack message that the
   * autometrics slack-app posted for one of the incident's alerts while it was still firing at
   * cut-over (an imported {@code alerts} row with the same fingerprint, unresolved, not adopted
   * before). The message is stored as if Alertdesk had posted it, so the parent is updated
   * with {@code chat.update} instead of posted again. Each imported message is adopted once.
   *
   * @param now stored as the time the parent was posted
   * @return the adopted message, or empty when no imported message fits (the default)
   */
  default Optional<SlackMessageRef> adoptSlackAppMessage(long incidentId, String channel,
      Instant now) {
    return Optional.empty();
  }

  /**
   * Marks a job delivered. When {@code posted} is given (a parent post), its ts is stored in the
   * same transaction, so a restart updates instead of posting twice.
   */
  default void markDelivered(OutboxJob job, Instant now, @Nullable SlackMessageRef posted) {
    markDelivered(job, now, posted, null);
  }

  /**
   * Marks a job delivered, as {@link #markDelivered(OutboxJob, Instant, SlackMessageRef)}, and
   * keeps the message as it was composed and sent, so the message preview shows it as Slack got
   * it (with its current value, or the graph that was uploaded).
   *
   * @param sentPayloadJson the payload sent, or null when nothing was sent (nothing left to say)
   */
  void markDelivered(OutboxJob job, Instant now, @Nullable SlackMessageRef posted,
      @Nullable String sentPayloadJson);

  /** Returns a job to the queue to retry at {@code nextAttemptAt}, counting one more attempt. */
  void reschedule(OutboxJob job, Instant nextAttemptAt, String error);

  /**
   * Returns a job to the queue to retry at {@code nextAttemptAt} without counting an attempt:
   * Slack answered 429 and said when to come back, which is not a failure.
   */
  void postpone(OutboxJob job, Instant nextAttemptAt, String error);

  /** Returns a job to the queue unchanged, without counting an attempt (rate limit). */
  void release(OutboxJob job);

  /**
   * Marks a job failed for good and adds an event to its incident: {@code slack_failed} for a
   * Slack job, {@code delivery_failed} (with the target) for any other.
   */
  void markFailed(OutboxJob job, Instant now, String error);

  /**
   * Returns the number of unfinished Slack jobs and the creation time of the oldest, or null
   * when none.
   */
  default Depth depth() {
    return depth(DeliveryTarget.SLACK);
  }

  /**
   * Returns the number of unfinished jobs of one target and the creation time of the oldest.
   *
   * @param target whose jobs to count
   */
  Depth depth(DeliveryTarget target);

  /**
   * Outbox depth.
   *
   * @param pending unfinished jobs
   * @param oldestCreatedAt creation time of the oldest unfinished job, or null when none
   */
  record Depth(long pending, @Nullable Instant oldestCreatedAt) {}
}
