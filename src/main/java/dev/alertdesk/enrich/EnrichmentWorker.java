package dev.alertdesk.enrich;

import static net.logstash.logback.argument.StructuredArguments.kv;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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
  private static final Duration MAX_IDLE_AFTER_FAILURE = Duration.ofSeconds(30);

  private final EnrichmentJobs jobs;
  private final IncidentCharts charts;
  private final Clock clock;
  private final Duration pollInterval;
  private final String workerId = "enrich-" + UUID.randomUUID();
  private final Object wakeup = new Object();
  private volatile boolean running;
  private @Nullable Thread thread;

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
    if (running) {
      return;
    }
    running = true;
    Thread t = new Thread(this::loop, "alertdesk-enrichment");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** Wakes the worker now, for example right after a notification committed a new job. */
  public void wake() {
    synchronized (wakeup) {
      wakeup.notifyAll();
    }
  }

  /** Stops the thread after the render in progress; waits up to 20 s. */
  @Override
  public synchronized void close() {
    running = false;
    wake();
    Thread t = thread;
    if (t != null) {
      try {
        t.join(STOP_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    int failures = 0;
    while (running) {
      int worked = 0;
      try {
        worked = runOnce();
        failures = 0;
      } catch (RuntimeException e) {
        failures++;
        if (failures == 1 || failures % 10 == 0) {
          log.warn("enrichment pass failed, will retry {}: {}", kv("failures", failures),
              e.getMessage());
        }
      }
      if (worked == 0 && running) {
        long idleMillis = failures == 0 ? pollInterval.toMillis()
            : Math.min(MAX_IDLE_AFTER_FAILURE.toMillis(),
                pollInterval.toMillis() << Math.min(failures, 10));
        synchronized (wakeup) {
          try {
            wakeup.wait(idleMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
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
      if (!running && thread != null) {
        jobs.release(job.id());
        continue;
      }
      charts.run(job);
      ran++;
    }
    return ran;
  }
}
