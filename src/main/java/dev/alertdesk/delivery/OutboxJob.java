package dev.alertdesk.delivery;

import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One claimed intent from the outbox, composed into a Slack message when it is sent.
 *
 * @param id the outbox row id; jobs of one incident run in ascending id order
 * @param incidentId the incident it belongs to (for a reply in a related incident's thread, that
 *     incident)
 * @param intent what to send, where, and why
 * @param storedPayloadJson for {@link dev.alertdesk.incident.MessageKind#PRERENDERED} jobs (pending
 *     at the upgrade to intents) the message as it was rendered then; else null
 * @param attempts failed attempts so far
 * @param createdAt when it was enqueued
 * @param unknownOutcome true when an earlier claim of this job expired without the job being
 *     settled or released: a worker died or stalled holding it, perhaps after Slack had already
 *     taken the message. A parent post then looks for the message it may have posted before
 *     posting again ({@link SlackGateway#findParent}).
 */
public record OutboxJob(
    long id,
    long incidentId,
    OutgoingMessage intent,
    @Nullable String storedPayloadJson,
    int attempts,
    Instant createdAt,
    boolean unknownOutcome) {
  /** A job whose outcome is known: claimed for the first time since it was last settled. */
  public OutboxJob(long id, long incidentId, OutgoingMessage intent,
      @Nullable String storedPayloadJson, int attempts, Instant createdAt) {
    this(id, incidentId, intent, storedPayloadJson, attempts, createdAt, false);
  }

  /** Returns this job marked as claimed after a previous claim expired unsettled. */
  public OutboxJob withUnknownOutcome(boolean unknown) {
    return new OutboxJob(id, incidentId, intent, storedPayloadJson, attempts, createdAt, unknown);
  }

  /** The channel as configured (name or ID). */
  public String channel() {
    return intent.channel();
  }

  /** The Slack call: post the parent, update it, reply in its thread, or upload a graph. */
  public SlackIntent.Kind kind() {
    return intent.kind();
  }
}
