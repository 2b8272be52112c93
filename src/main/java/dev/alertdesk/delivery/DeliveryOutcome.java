package dev.alertdesk.delivery;

/** How one Slack call ended, classified once for the worker (cf. Alertmanager's Retrier.Check). */
public enum DeliveryOutcome {
  /** Slack answered {@code ok: true}. */
  DELIVERED,
  /** A network error, an HTTP 5xx or a transient Slack error: retry with backoff. */
  RETRY,
  /** HTTP 429: retry after the {@code Retry-After} delay. */
  RETRY_AFTER,
  /** Any other error ({@code channel_not_found}, {@code invalid_auth}, …): retrying cannot help. */
  FAILED
}
