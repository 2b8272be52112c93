package dev.alertdesk.store;

import dev.alertdesk.delivery.ChannelRateLimit;
import dev.alertdesk.delivery.LocalChannelRateLimit;
import dev.alertdesk.incident.StorageException;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ChannelRateLimit} shared by every replica on one PostgreSQL database: each channel's
 * token bucket is a row of {@code slack_rate_limit} (migration V9), read and written by
 * Bucket4j's PostgreSQL backend ({@code bucket4j_jdk17-postgresql}, {@code SELECT … FOR UPDATE}
 * in one short transaction per call; bucket4j.com, "PostgreSQL integration"). The budget is the
 * same as {@link LocalChannelRateLimit}'s, so N replicas together send what one would.
 *
 * <p>Bucket4j computes refills from the replicas' own clocks (nanosecond wall time); replicas
 * whose clocks differ by more than a second share the budget less exactly.
 */
public final class PostgresChannelRateLimit implements ChannelRateLimit {
  private static final String KEY_PREFIX = "slack-channel:";
  /** A channel name is at most 80 characters; an ID is shorter. */
  private static final int MAX_CHANNEL_CHARS = 200;

  private final ProxyManager<String> buckets;
  private final BucketConfiguration configuration = BucketConfiguration.builder()
      .addLimit(LocalChannelRateLimit.bandwidth()).build();
  private final Map<String, BucketProxy> proxies = new ConcurrentHashMap<>();

  /** @param database a migrated PostgreSQL database */
  public PostgresChannelRateLimit(Database database) {
    if (!database.isPostgres()) {
      throw new IllegalArgumentException("a shared rate limit needs PostgreSQL");
    }
    this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(database.dataSource())
        .primaryKeyMapper(PrimaryKeyMapper.STRING)
        .table("slack_rate_limit")
        .idColumn("id")
        .stateColumn("state")
        .build();
  }

  /**
   * The rate limit for {@code database}: shared through the database on PostgreSQL, in this
   * process on SQLite (one replica).
   *
   * @param database a migrated database
   */
  public static ChannelRateLimit forDatabase(Database database) {
    return database.isPostgres() ? new PostgresChannelRateLimit(database)
        : new LocalChannelRateLimit();
  }

  @Override
  public boolean tryAcquire(String channel, boolean parent) {
    String key = KEY_PREFIX + (channel.length() <= MAX_CHANNEL_CHARS ? channel
        : channel.substring(0, MAX_CHANNEL_CHARS));
    BucketProxy bucket = proxies.computeIfAbsent(key,
        k -> buckets.builder().build(k, () -> configuration));
    try {
      return LocalChannelRateLimit.take(bucket, parent);
    } catch (RuntimeException e) {
      // Bucket4j wraps SQL errors in its own runtime exceptions.
      throw new StorageException("could not read the shared Slack rate limit", e);
    }
  }
}
