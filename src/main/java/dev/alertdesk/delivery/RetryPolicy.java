package dev.alertdesk.delivery;

import java.time.Duration;

/**
 * How a {@link TargetWorker} retries transient failures ({@link DeliveryOutcome#RETRY}) of one
 * target: exponential backoff from {@code firstBackoff}, doubling up to {@code maxBackoff}, and
 * failed for good at the {@code maxAttempts}-th failed attempt.
 *
 * @param maxAttempts failed attempts before the job is marked failed; at least 1
 * @param firstBackoff the wait after the first failure; positive
 * @param maxBackoff the longest wait; at least {@code firstBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
  /** Slack's policy: 12 attempts, 1 s doubling to 5 min (about 35 min in all). */
  public static final RetryPolicy DEFAULT = new RetryPolicy(12, Duration.ofSeconds(1),
      Duration.ofMinutes(5));

  /** Checks the bounds. */
  public RetryPolicy {
    if (maxAttempts < 1 || firstBackoff.isZero() || firstBackoff.isNegative()
        || maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException("invalid retry policy");
    }
  }

  /**
   * Returns the wait before retry number {@code attempts + 1}.
   *
   * @param attempts failed attempts so far (0 after the first failure was not counted yet)
   */
  public Duration backoff(int attempts) {
    Duration d = firstBackoff.multipliedBy(1L << Math.min(Math.max(attempts, 0), 20));
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}
