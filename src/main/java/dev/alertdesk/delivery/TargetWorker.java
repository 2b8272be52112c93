package dev.alertdesk.delivery;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.incident.DeliveryTarget;
import dev.alertdesk.schedule.WorkerLoop;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox worker of one {@link DeliveryTarget} other than Slack, on a {@link WorkerLoop}
 * ({@code alertdesk-TARGET}): claims the target's due jobs (in order per incident, never held
 * back by another target's jobs), renews each claim right before sending, has the
 * {@link TargetSender} compose and deliver it, and settles the row: delivered (with what was
 * sent), retried with the sender's {@link RetryPolicy} on {@link DeliveryOutcome#RETRY},
 * postponed without counting an attempt on {@link DeliveryOutcome#RETRY_AFTER}, failed for good
 * on {@link DeliveryOutcome#FAILED} or when attempts run out (with a {@code delivery_failed}
 * incident event).
 *
 * <p>Delivery is at least once: a job is marked delivered right after the target accepted it,
 * retried for a few seconds when the database fails; only a crash between the two sends it
 * again after its 2-minute lease. Senders make such a repeat recognisable (the e-mail's stable
 * {@code Message-ID}, Sentry's event id).
 *
 * <p>Metrics: {@code alertdesk_deliveries_total{target,outcome}} (outcome {@code delivered},
 * {@code retry}, {@code retry_after}, {@code failed}), {@code alertdesk_delivery_depth{target}}
 * and {@code alertdesk_delivery_oldest_job_age_seconds{target}}.
 */
public final class TargetWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TargetWorker.class);
  /** How long a claim holds. */
  static final Duration LEASE = Duration.ofMinutes(2);
  private static final int BATCH = 20;
  private static final int RECORD_ATTEMPTS = 5;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);

  private final Outbox outbox;
  private final TargetSender sender;
  private final DeliveryTarget target;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Duration pollInterval;
  private final String workerId;
  private final AtomicLong depth = new AtomicLong();
  private final AtomicLong oldestAgeSeconds = new AtomicLong();
  private volatile @Nullable Health last;
  private volatile @Nullable WorkerLoop loop;

  /**
   * What the worker last saw, for {@code /api/status}.
   *
   * @param at when the last delivery ended
   * @param outcome how it ended
   * @param error its error, without secrets, or null
   * @param consecutiveFailures deliveries in a row that did not end {@code delivered}
   */
  public record Health(Instant at, DeliveryOutcome outcome, @Nullable String error,
      int consecutiveFailures) {}

  /**
   * @param outbox the outbox
   * @param sender composes and delivers the target's jobs
   * @param clock the source of "now" for due times and backoff
   * @param metrics where the counters and gauges are registered
   * @param pollInterval how often to look for due jobs when not woken; e.g. 1 s
   */
  public TargetWorker(Outbox outbox, TargetSender sender, Clock clock, MeterRegistry metrics,
      Duration pollInterval) {
    this.outbox = outbox;
    this.sender = sender;
    this.target = sender.target();
    this.clock = clock;
    this.metrics = metrics;
    this.pollInterval = pollInterval;
    this.workerId = target.wire() + "-" + UUID.randomUUID();
    Gauge.builder("alertdesk_delivery_depth", depth, AtomicLong::get)
        .tag("target", target.wire())
        .description("Outbox jobs of a delivery target waiting to be sent").register(metrics);
    Gauge.builder("alertdesk_delivery_oldest_job_age_seconds", oldestAgeSeconds, AtomicLong::get)
        .tag("target", target.wire()).baseUnit("seconds")
        .description("Age of the oldest waiting job of a delivery target").register(metrics);
  }

  /** Counts one delivery attempt in {@code alertdesk_deliveries_total{target,outcome}}. */
  static void count(MeterRegistry metrics, DeliveryTarget target, DeliveryOutcome outcome) {
    metrics.counter("alertdesk_deliveries", "target", target.wire(),
        "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
  }

  /** Returns the target this worker delivers to. */
  public DeliveryTarget target() {
    return target;
  }

  /** Returns the sender (its {@link TargetSender#describe()} feeds {@code /api/status}). */
  public TargetSender sender() {
    return sender;
  }

  /** Returns how the last delivery ended, or null before the first. */
  public @Nullable Health health() {
    return last;
  }

  /** Returns the outbox this worker claims from. */
  public Outbox outbox() {
    return outbox;
  }

  /** Starts the background thread. Idempotent. */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    loop = WorkerLoop.start(target.wire(), pollInterval, STOP_TIMEOUT, this::runOnce);
    log.info("delivery started {} {}", kv("target", target.wire()), kv("worker_id", workerId));
  }

  /** Wakes the worker now, for example right after new jobs were committed. */
  public void wake() {
    WorkerLoop l = loop;
    if (l != null) {
      l.wake();
    }
  }

  /** Stops the thread after the delivery in progress; waits up to 30 s. */
  @Override
  public synchronized void close() {
    WorkerLoop l = loop;
    if (l != null) {
      l.close();
    }
  }

  /**
   * Runs one pass: claims the target's due jobs and delivers each.
   *
   * @return how many jobs were handled (delivered, rescheduled or failed)
   * @throws dev.alertdesk.incident.StorageException when the database fails
   */
  public int runOnce() {
    Instant now = clock.instant();
    Outbox.Depth d = outbox.depth(target);
    depth.set(d.pending());
    oldestAgeSeconds.set(d.oldestCreatedAt() == null
        ? 0 : Math.max(0, Duration.between(d.oldestCreatedAt(), now).toSeconds()));
    List<OutboxJob> jobs = outbox.claimDue(target, now, LEASE, workerId, BATCH);
    int handled = 0;
    for (OutboxJob job : jobs) {
      WorkerLoop l = loop;
      if (l != null && l.stopping()) {
        outbox.release(job);
        continue;
      }
      if (!outbox.renew(job, workerId, clock.instant(), LEASE)) {
        log.warn("outbox job taken over by another worker after its lease expired, not sending "
            + "{} {}", kv("target", target.wire()), kv("incident_id", job.incidentId()));
        continue;
      }
      settle(job, send(job));
      handled++;
    }
    return handled;
  }

  private DeliveryResult send(OutboxJob job) {
    try {
      return sender.send(job);
    } catch (RuntimeException e) {
      // A sender bug or the database: retried, and its class only in the row (messages of
      // unexpected exceptions are not known to be free of secrets).
      log.error("delivery threw instead of classifying its error {} {} {}",
          kv("target", target.wire()), kv("incident_id", job.incidentId()),
          kv("error", e.getClass().getName()));
      return DeliveryResult.retry("internal error (" + e.getClass().getSimpleName() + ")");
    }
  }

  private void settle(OutboxJob job, DeliveryResult result) {
    Instant now = clock.instant();
    count(metrics, target, result.outcome());
    Health before = last;
    int failures = result.outcome() == DeliveryOutcome.DELIVERED ? 0
        : (before == null ? 0 : before.consecutiveFailures()) + 1;
    last = new Health(now, result.outcome(), result.error(), failures);
    String error = String.valueOf(result.error());
    switch (result.outcome()) {
      case DELIVERED -> {
        recordDelivered(job, now, result.sentJson());
        log.info("{} delivered {} {} {}", target.wire(), kv("incident_id", job.incidentId()),
            kv("message", job.intent().message().wire()), kv("reason", job.intent().reason()));
      }
      case RETRY_AFTER -> {
        Duration asked = result.retryAfter();
        Duration wait = asked == null || asked.compareTo(MIN_RETRY_AFTER) < 0
            ? MIN_RETRY_AFTER : asked;
        outbox.postpone(job, now.plus(wait), error);
        log.warn("{} asked to wait, will retry {} {} {}", target.wire(),
            kv("incident_id", job.incidentId()), kv("retry_in_ms", wait.toMillis()),
            kv("error", error));
      }
      case RETRY -> {
        RetryPolicy policy = sender.retryPolicy();
        int attempt = job.attempts() + 1;
        if (attempt >= policy.maxAttempts()) {
          outbox.markFailed(job, now, "gave up after " + attempt + " attempts: " + error);
          log.error("{} gave up {} {} {}", target.wire(), kv("incident_id", job.incidentId()),
              kv("attempt", attempt), kv("error", error));
        } else {
          Duration wait = policy.backoff(job.attempts());
          outbox.reschedule(job, now.plus(wait), error);
          log.warn("{} failed, will retry {} {} {} {}", target.wire(),
              kv("incident_id", job.incidentId()), kv("attempt", attempt),
              kv("retry_in_ms", wait.toMillis()), kv("error", error));
        }
      }
      case FAILED -> {
        outbox.markFailed(job, now, error);
        log.error("{} failed for good {} {} {}", target.wire(),
            kv("incident_id", job.incidentId()), kv("message", job.intent().message().wire()),
            kv("error", error));
      }
    }
  }

  /**
   * Stores a delivery, retrying briefly: the target already has the message, so losing the
   * record here would send it again after the lease expires.
   */
  private void recordDelivered(OutboxJob job, Instant now, @Nullable String sent) {
    for (int attempt = 1; ; attempt++) {
      try {
        outbox.markDelivered(job, now, null, sent);
        return;
      } catch (RuntimeException e) {
        if (attempt == RECORD_ATTEMPTS) {
          log.error("{} delivered but not recorded; it may be sent again {} {}", target.wire(),
              kv("incident_id", job.incidentId()), kv("error", e.getMessage()));
          throw e;
        }
        try {
          Thread.sleep(500L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
