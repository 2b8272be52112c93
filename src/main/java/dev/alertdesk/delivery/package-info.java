/**
 * The outbox of typed Slack intents and its worker: composes each job when it sends it
 * ({@link dev.alertdesk.delivery.MessageComposer}), in order per incident, with retry, backoff,
 * per-channel rate limits and {@link dev.alertdesk.delivery.OutboxStatus}.
 */
@NullMarked
package dev.alertdesk.delivery;

import org.jspecify.annotations.NullMarked;
