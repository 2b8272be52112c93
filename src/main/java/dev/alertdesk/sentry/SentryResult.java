package dev.alertdesk.sentry;

import dev.alertdesk.delivery.DeliveryOutcome;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How one call to Sentry ended, classified once for the outbox worker.
 *
 * @param outcome delivered, retry with backoff, retry after a delay, or failed for good
 * @param retryAfter for {@link DeliveryOutcome#RETRY_AFTER}, the delay Sentry asked for; else null
 * @param error what went wrong, without any secret; null when delivered
 * @param status the HTTP status Sentry answered, or 0 when none (network error, dropped)
 */
public record SentryResult(DeliveryOutcome outcome, @Nullable Duration retryAfter,
    @Nullable String error, int status) {

  /** Sentry accepted the call. */
  public static SentryResult delivered(int status) {
    return new SentryResult(DeliveryOutcome.DELIVERED, null, null, status);
  }

  /** A network error, a timeout or a 5xx: retry with backoff. */
  public static SentryResult retry(String error, int status) {
    return new SentryResult(DeliveryOutcome.RETRY, null, error, status);
  }

  /** HTTP 429: retry after {@code delay}. */
  public static SentryResult retryAfter(Duration delay, String error) {
    return new SentryResult(DeliveryOutcome.RETRY_AFTER, delay, error, 429);
  }

  /** Retrying cannot help (a refused DSN or token, a malformed or too large request). */
  public static SentryResult failed(String error, int status) {
    return new SentryResult(DeliveryOutcome.FAILED, null, error, status);
  }

  /** The outcome as a metric tag: {@code delivered}, {@code retry}, {@code retry_after}, {@code failed}. */
  public String tag() {
    return outcome.name().toLowerCase(java.util.Locale.ROOT);
  }
}
