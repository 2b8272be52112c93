package dev.alertdesk.history;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.micrometer.core.instrument.Counter;
import dev.alertdesk.schedule.PeriodicJob;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes incidents that resolved longer than {@code RETENTION} ago, once a day (and once shortly
 * after start). Each purge is logged at info and counted in the metrics
 * {@code alertdesk_retention_purged_incidents_total} and
 * {@code alertdesk_retention_purged_notifications_total}. Audit records are not touched.
 */
public final class RetentionPurge implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);
  /** How often the purge runs. */
  public static final Duration PERIOD = Duration.ofDays(1);

  private final HistoryRepository repository;
  private final Duration retention;
  private final Clock clock;
  private final Counter purgedIncidents;
  private final Counter purgedNotifications;
  private @Nullable PeriodicJob job;

  /**
   * @param repository where history lives
   * @param retention how long resolved incidents are kept; positive
   * @param clock the current time
   * @param metrics where the purge counters are registered
   * @throws IllegalArgumentException when {@code retention} is zero or negative
   */
  public RetentionPurge(HistoryRepository repository, Duration retention, Clock clock,
      MeterRegistry metrics) {
    if (retention.isZero() || retention.isNegative()) {
      throw new IllegalArgumentException("retention must be positive");
    }
    this.repository = repository;
    this.retention = retention;
    this.clock = clock;
    this.purgedIncidents = Counter.builder("alertdesk_retention_purged_incidents")
        .description("Incidents deleted by the retention purge").register(metrics);
    this.purgedNotifications = Counter.builder("alertdesk_retention_purged_notifications")
        .description("Raw notifications deleted by the retention purge").register(metrics);
  }

  /**
   * Purges once now: everything that resolved before {@code now - retention}.
   *
   * @return what was deleted
   * @throws dev.alertdesk.incident.StorageException when the database fails
   */
  public HistoryRepository.PurgeResult runOnce() {
    Instant cutoff = clock.instant().minus(retention);
    HistoryRepository.PurgeResult result = repository.purge(cutoff);
    purgedIncidents.increment(result.incidents());
    purgedNotifications.increment(result.notifications());
    log.info("retention purge: deleted {} {} {} {}", kv("incidents", result.incidents()),
        kv("notifications", result.notifications()), kv("charts", result.charts()),
        kv("resolved_before", cutoff));
    return result;
  }

  /**
   * Runs the purge after {@code initialDelay} and then every {@link #PERIOD}. A failed run (for
   * example while the database is unreachable) is logged at warn and retried after
   * {@link #RETRY_DELAY} ({@link PeriodicJob}). Idempotent.
   */
  public synchronized void start(Duration initialDelay) {
    if (job == null) {
      job = PeriodicJob.start("retention", initialDelay, PERIOD, RETRY_DELAY, this::runOnce);
    }
  }

  /** How long a failed purge waits before it is tried again. */
  public static final Duration RETRY_DELAY = Duration.ofMinutes(5);

  /** Stops the schedule; a purge in progress finishes its current batch transaction. */
  @Override
  public synchronized void close() {
    if (job != null) {
      job.close();
    }
  }
}
