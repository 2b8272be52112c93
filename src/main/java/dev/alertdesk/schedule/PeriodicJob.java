package dev.alertdesk.schedule;

import static net.logstash.logback.argument.StructuredArguments.kv;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one named job on its own daemon thread ({@code alertdesk-NAME}), again and again: after
 * {@code initialDelay}, then {@code delay} after each run that returned, or {@code retryDelay}
 * after each run that threw. Runs never overlap. A failed run is logged at warn, with the
 * {@code job} name and the count of consecutive {@code failures}, on the 1st, 2nd, 4th, 8th …
 * consecutive failure, so a database that stays down does not flood the log; the first success
 * after failures is logged at info. {@link #close()} stops it cleanly.
 *
 * <p>Add a periodic job by calling {@link #start} from the class that owns the work, and closing
 * the returned job in that class's {@code close()}.
 */
public final class PeriodicJob implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeriodicJob.class);
  /** How long {@link #close()} waits for a run in progress. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final Duration delay;
  private final Duration retryDelay;
  private final Runnable task;
  private final ScheduledThreadPoolExecutor executor;
  private int failures;

  private PeriodicJob(String name, Duration delay, Duration retryDelay, Runnable task) {
    this.name = name;
    this.delay = delay;
    this.retryDelay = retryDelay;
    this.task = task;
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "alertdesk-" + name);
      t.setDaemon(true);
      return t;
    });
    // On close, the next run is dropped; the run in progress finishes.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Starts a job.
   *
   * @param name a short stable name for logs and the thread, e.g. {@code retention-purge}
   * @param initialDelay before the first run; zero runs it at once (on the job's thread)
   * @param delay between the end of a run that returned and the next run; positive
   * @param retryDelay between the end of a run that threw and the next run; positive
   * @param task one run; a {@link RuntimeException} it throws counts as a failed run
   * @return the running job
   * @throws IllegalArgumentException when {@code delay} or {@code retryDelay} is not positive,
   *     or {@code initialDelay} is negative
   */
  public static PeriodicJob start(String name, Duration initialDelay, Duration delay,
      Duration retryDelay, Runnable task) {
    if (delay.isZero() || delay.isNegative() || retryDelay.isZero() || retryDelay.isNegative()
        || initialDelay.isNegative()) {
      throw new IllegalArgumentException("delays must be positive, and the initial delay not "
          + "negative");
    }
    PeriodicJob job = new PeriodicJob(name, delay, retryDelay, task);
    job.schedule(initialDelay);
    return job;
  }

  /** Returns the name given at {@link #start}. */
  public String name() {
    return name;
  }

  private void schedule(Duration after) {
    try {
      executor.schedule(this::runOnce, after.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closed meanwhile: nothing more to run.
    }
  }

  private void runOnce() {
    Duration next = delay;
    try {
      task.run();
      if (failures > 0) {
        log.info("job recovered {} {}", kv("job", name), kv("failures", failures));
      }
      failures = 0;
    } catch (RuntimeException e) {
      failures++;
      next = retryDelay;
      if (Integer.bitCount(failures) == 1) {
        log.warn("job failed, will retry {} {} {}: {}", kv("job", name), kv("failures", failures),
            kv("retry_in_ms", next.toMillis()), e.getMessage());
      }
    }
    if (!executor.isShutdown()) {
      schedule(next);
    }
  }

  /**
   * Stops the job: no new run starts, and a run in progress may finish for up to 10 s before it
   * is interrupted. Idempotent.
   */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }
}
