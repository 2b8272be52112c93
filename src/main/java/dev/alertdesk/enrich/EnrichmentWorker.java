package dev.alertdesk.enrich;

import static net.logstash.logback.argument.StructuredArguments.kv;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import dev.alertdesk.schedule.WorkerLoop;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs due {@link EnrichmentJob}s on one background thread, whether Slack delivery is on or off:
 * claims up to 10 at a time with a lease and has {@link IncidentCharts} render and store each.
 * Woken after each committed notification; otherwise polls. A failing pass (database down) is
 * retried with a growing pause, logged once and then about once a minute.
 */
public final class EnrichmentWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EnrichmentWorker.class);
  private static final int BATCH = 10;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private final EnrichmentJobs jobs;
  private final IncidentCharts charts;
  private final Clock clock;
  private final Duration pollInterval;
  private final String workerId = "enrich-" + UUID.randomUUID();
  private volatile @Nullable WorkerLoop loop;

  /**
   * @param jobs the enrichment jobs
   * @param charts renders and stores each job's value line and chart
   * @param clock the source of "now" for due times
   * @param pollInterval how often to look for due jobs when not woken; e.g. 1 s
   */
  public EnrichmentWorker(EnrichmentJobs jobs, IncidentCharts charts, Clock clock,
      Duration pollInterval) {
    this.jobs = jobs;
    this.charts = charts;
    this.clock = clock;
    this.pollInterval = pollInterval;
  }

  /** Starts the background thread. Idempotent. */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    loop = WorkerLoop.start("enrichment", pollInterval, STOP_TIMEOUT, this::runOnce);
  }

  /** Wakes the worker now, for example right after a notification committed a new job. */
  public void wake() {
    WorkerLoop l = loop;
    if (l != null) {
      l.wake();
    }
  }

  /** Stops the thread after the render in progress; waits up to 20 s. */
  @Override
  public synchronized void close() {
    WorkerLoop l = loop;
    if (l != null) {
      l.close();
    }
  }

  /**
   * Runs one pass: claims due jobs and renders each.
   *
   * @return how many jobs ran
   * @throws dev.alertdesk.incident.StorageException when the database fails
   */
  public int runOnce() {
    Instant now = clock.instant();
    List<EnrichmentJob> due = jobs.claimDue(now, IncidentCharts.LEASE, workerId, BATCH);
    int ran = 0;
    for (EnrichmentJob job : due) {
      if (loop != null && loop.stopping()) {
        jobs.release(job.id());
        continue;
      }
      charts.run(job);
      ran++;
    }
    return ran;
  }
}
