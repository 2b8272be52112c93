package dev.alertdesk.remediation;

import java.time.Instant;

/**
 * Token-bucket arithmetic for {@link RateLimit}s whose state lives in the database, so that
 * every replica draws from the same bucket. Tokens are counted in thousandths, so the refill of
 * a fraction of a token is not lost. A new bucket is full. Pure.
 */
public final class TokenBucket {
  /** Thousandths per token. */
  public static final long MILLI = 1000;

  private TokenBucket() {}

  /**
   * The bucket's tokens at {@code now}.
   *
   * @param limit the limit
   * @param milliTokens the stored tokens, in thousandths
   * @param updatedAt when they were stored
   * @param now the current time
   * @return the tokens now, in thousandths, at most the capacity
   */
  public static long refill(RateLimit limit, long milliTokens, Instant updatedAt, Instant now) {
    long capacity = limit.count() * MILLI;
    long elapsedMillis = Math.max(0, now.toEpochMilli() - updatedAt.toEpochMilli());
    long periodMillis = Math.max(1, limit.period().toMillis());
    // refill per millisecond = capacity / period; multiply first, guarding overflow
    double added = (double) elapsedMillis * capacity / periodMillis;
    return (long) Math.min(capacity, milliTokens + Math.floor(added));
  }

  /** The tokens of a bucket never used: full. */
  public static long full(RateLimit limit) {
    return limit.count() * MILLI;
  }
}
