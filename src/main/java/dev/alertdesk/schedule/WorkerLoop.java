package dev.alertdesk.schedule;

import static net.logstash.logback.argument.StructuredArguments.kv;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A wake-able worker loop on its own daemon thread ({@code alertdesk-NAME}): runs a pass again
 * and again while passes find work; when a pass finds none, waits up to the poll interval or
 * until {@link #wake()} (a wake that arrives during a pass runs another pass at once). A pass that throws is retried after a pause that doubles from the poll
 * interval up to 30 s, logged at warn on the 1st and every 10th consecutive failure (about once a
 * minute when the database stays down), and the first success after failures at info. The
 * outbox workers of every delivery target and the enrichment worker run on it.
 *
 * <p>Compared with {@link PeriodicJob}: a periodic job runs at a fixed delay; a worker loop runs
 * back to back while there is work and can be woken when new work is committed.
 */
public final class WorkerLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerLoop.class);
  private static final Duration MAX_IDLE_AFTER_FAILURE = Duration.ofSeconds(30);

  /** One pass of a worker. */
  @FunctionalInterface
  public interface Pass {
    /**
     * Does the work due now.
     *
     * @return how much was done; 0 makes the loop wait for the poll interval or a wake-up
     * @throws RuntimeException when the pass failed; the loop pauses and tries again
     */
    int run();
  }

  private final String name;
  private final Duration pollInterval;
  private final Duration stopTimeout;
  private final Pass pass;
  private final Object wakeup = new Object();
  /** Set by {@link #wake()}, cleared when a pass starts: a wake during a pass is not lost. */
  private boolean wakeRequested;
  private volatile boolean running;
  private @Nullable Thread thread;

  private WorkerLoop(String name, Duration pollInterval, Duration stopTimeout, Pass pass) {
    this.name = name;
    this.pollInterval = pollInterval;
    this.stopTimeout = stopTimeout;
    this.pass = pass;
  }

  /**
   * Starts a loop.
   *
   * @param name a short stable name for logs and the thread, e.g. {@code outbox}
   * @param pollInterval how long to wait for a wake-up after a pass without work; positive
   * @param stopTimeout how long {@link #close()} waits for the pass in progress, e.g. longer
   *     than one remote call may take
   * @param pass one pass
   * @return the running loop
   * @throws IllegalArgumentException when {@code pollInterval} is not positive
   */
  public static WorkerLoop start(String name, Duration pollInterval, Duration stopTimeout,
      Pass pass) {
    if (pollInterval.isZero() || pollInterval.isNegative()) {
      throw new IllegalArgumentException("the poll interval must be positive");
    }
    WorkerLoop loop = new WorkerLoop(name, pollInterval, stopTimeout, pass);
    loop.running = true;
    Thread t = new Thread(loop::loop, "alertdesk-" + name);
    t.setDaemon(true);
    loop.thread = t;
    t.start();
    return loop;
  }

  /** Returns the name given at {@link #start}. */
  public String name() {
    return name;
  }

  /**
   * Returns true once {@link #close()} was called: a pass in progress should hand back the work
   * it claimed and has not started instead of starting it.
   */
  public boolean stopping() {
    return !running;
  }

  /** Wakes the loop now, for example right after new work was committed. */
  public void wake() {
    synchronized (wakeup) {
      wakeRequested = true;
      wakeup.notifyAll();
    }
  }

  /** Stops the loop after the pass in progress, waiting for it up to the stop timeout. */
  @Override
  public void close() {
    running = false;
    wake();
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(stopTimeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    int failures = 0;
    while (running) {
      int worked = 0;
      synchronized (wakeup) {
        wakeRequested = false;
      }
      try {
        worked = pass.run();
        if (failures > 0) {
          log.info("worker passes work again {} {}", kv("worker", name), kv("failures", failures));
        }
        failures = 0;
      } catch (RuntimeException e) {
        failures++;
        // The first failure, then about once a minute, not every poll (database down).
        if (failures == 1 || failures % 10 == 0) {
          log.warn("worker pass failed, will retry {} {}: {}", kv("worker", name),
              kv("failures", failures), e.getMessage());
        }
      }
      if (worked == 0 && running) {
        long idleMillis = failures == 0 ? pollInterval.toMillis()
            : Math.min(MAX_IDLE_AFTER_FAILURE.toMillis(),
                pollInterval.toMillis() << Math.min(failures, 10));
        synchronized (wakeup) {
          try {
            if (!wakeRequested) {
              wakeup.wait(idleMillis);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }
}
