/** The outbox worker that sends Slack calls in order per incident, with retry, backoff and per-channel rate limits. */
@NullMarked
package dev.alertdesk.delivery;

import org.jspecify.annotations.NullMarked;
