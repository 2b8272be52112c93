package dev.alertdesk.delivery;

import dev.alertdesk.incident.SlackIntent;
import java.time.Instant;

/**
 * One claimed Slack call from the outbox.
 *
 * @param id the outbox row id; jobs of one incident run in ascending id order
 * @param incidentId the incident it belongs to
 * @param channel the channel as configured (name or ID)
 * @param kind post the parent, update it, or reply in its thread
 * @param payloadJson the rendered message ({@code text}, {@code blocks}, {@code attachments})
 * @param attempts failed attempts so far
 * @param createdAt when it was enqueued
 */
public record OutboxJob(
    long id,
    long incidentId,
    String channel,
    SlackIntent.Kind kind,
    String payloadJson,
    int attempts,
    Instant createdAt) {}
