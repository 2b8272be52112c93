package dev.alertdesk.delivery;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ChannelRateLimit} in this process: one Bucket4j token bucket per channel, {@value
 * ChannelRateLimit#BURST} tokens refilled greedily at 1 per second. Right for one replica
 * (SQLite); replicas on PostgreSQL share one budget instead ({@code store.PostgresChannelRateLimit}).
 * The map holds one small bucket per channel ever used; channels come from configuration
 * (routes), so it is bounded by it.
 */
public final class LocalChannelRateLimit implements ChannelRateLimit {
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  @Override
  public boolean tryAcquire(String channel, boolean parent) {
    Bucket bucket = buckets.computeIfAbsent(channel, c -> Bucket.builder()
        .addLimit(bandwidth()).build());
    return take(bucket, parent);
  }

  /** The bandwidth of every channel bucket: {@value ChannelRateLimit#BURST}, then 1/s. */
  public static Bandwidth bandwidth() {
    return Bandwidth.builder().capacity(BURST).refillGreedy(1, Duration.ofSeconds(1)).build();
  }

  /**
   * Takes a token from {@code bucket}, keeping {@value ChannelRateLimit#PARENT_RESERVE} for
   * parents: a non-parent call takes {@code 1 + reserve} tokens and gives the reserve back, so
   * it succeeds only when the reserve would remain.
   *
   * @param bucket a channel's bucket, local or a proxy of a shared one
   * @param parent true for a parent post
   * @return true when a token was taken
   */
  public static boolean take(Bucket bucket, boolean parent) {
    if (parent) {
      return bucket.tryConsume(1);
    }
    if (!bucket.tryConsume(1 + PARENT_RESERVE)) {
      return false;
    }
    bucket.addTokens(PARENT_RESERVE);
    return true;
  }
}
