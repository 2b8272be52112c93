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
 */
public record OutboxJob(
    long id,
    long incidentId,
    OutgoingMessage intent,
    @Nullable String storedPayloadJson,
    int attempts,
    Instant createdAt) {
  /** The channel as configured (name or ID). */
  public String channel() {
    return intent.channel();
  }

  /** The Slack call: post the parent, update it, reply in its thread, or upload a graph. */
  public SlackIntent.Kind kind() {
    return intent.kind();
  }
}
