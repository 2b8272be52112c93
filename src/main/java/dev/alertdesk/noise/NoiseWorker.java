package dev.alertdesk.noise;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.schedule.PeriodicJob;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link NoiseGate#tick} on one background thread ({@link PeriodicJob} {@code
 * noise-deadlines}) every poll interval, so deadlines fire
 * without a new webhook: delayed incidents are posted at {@code startsAt + min_firing},
 * reminders go out, flapping clears and storms end. After a pass that queued Slack calls it runs
 * {@code onWork} (wakes the outbox worker). Failures (database down) are logged and retried.
 */
public final class NoiseWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NoiseWorker.class);

  private final NoiseGate gate;
  private final NoiseStore store;
  private final Clock clock;
  private final Duration pollInterval;
  private final Runnable onWork;
  private @Nullable PeriodicJob job;
  private int failures;

  /**
   * @param gate the rules
   * @param store where their state lives
   * @param clock the source of "now"
   * @param pollInterval how often deadlines are checked, e.g. 1 s
   * @param onWork run after a pass that did something
   */
  public NoiseWorker(NoiseGate gate, NoiseStore store, Clock clock, Duration pollInterval,
      Runnable onWork) {
    this.gate = gate;
    this.store = store;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.onWork = onWork;
  }

  /** Starts the background thread: a pass now, then one poll interval after each. Idempotent. */
  public synchronized void start() {
    if (job == null) {
      job = PeriodicJob.start("noise-deadlines", Duration.ZERO, pollInterval, pollInterval,
          this::pass);
    }
  }

  /**
   * Runs one pass now.
   *
   * @return how many deadlines did something
   * @throws dev.alertdesk.incident.StorageException when the database fails
   */
  public int runOnce() {
    int work = gate.tick(store, clock.instant());
    if (work > 0) {
      onWork.run();
    }
    return work;
  }

  /** One scheduled pass; a failure is logged and retried at the next pass, never rethrown. */
  private void pass() {
    try {
      int work = runOnce();
      if (work > 0) {
        log.debug("noise deadlines handled {}", kv("count", work));
      }
      failures = 0;
    } catch (RuntimeException e) {
      failures++;
      if (failures == 1 || failures % 30 == 0) {
        log.warn("noise deadline pass failed, will retry {}: {}", kv("failures", failures),
            e.getMessage());
      }
    }
  }

  /** Stops the thread after the pass in progress; waits up to 10 s. Idempotent. */
  @Override
  public synchronized void close() {
    if (job != null) {
      job.close();
    }
  }
}
