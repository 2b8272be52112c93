package dev.alertdesk.delivery;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.incident.DeliveryTarget;
import dev.alertdesk.incident.IncidentRepository.SlackMessageRef;
import dev.alertdesk.incident.MessageKind;
import dev.alertdesk.incident.SlackIntent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import dev.alertdesk.schedule.WorkerLoop;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends outbox jobs to Slack on one background thread (DESIGN.md "Delivery"): in order per
 * incident; retrying network errors, 5xx and transient errors with exponential backoff
 * (1 s doubling to at most 5 min, at most {@value #MAX_ATTEMPTS} attempts); honouring
 * {@code Retry-After} on 429 (at least 1 s; a 429 is not a failed attempt, so however long
 * Slack rate-limits, the message is delayed, never dropped); rate-limited per channel by a
 * {@link ChannelRateLimit} (a token bucket of {@value #CHANNEL_BURST} messages refilled at 1 per
 * second, shared by every replica on PostgreSQL) that keeps a token for new incidents' parent
 * posts, which each pass also sends first. The ts of a parent post is stored right after Slack
 * answers, so after a restart the stored ts turns a repeated post into an update. Every parent is
 * posted with message metadata naming its incident; when a parent post's outcome is unknown (a
 * worker's lease on it expired while it was being sent), the channel's history is searched for
 * that metadata first and a message found is adopted instead of posted again. Each job is a
 * typed intent: the {@link MessageComposer} composes it right before it is sent, from the
 * incident's state at that moment, with what an {@link Enrichment} found (current value,
 * graph); graph jobs are carried out by the enrichment.
 *
 * <p>Metrics: {@code alertdesk_slack_calls_total{method,outcome}},
 * {@code alertdesk_deliveries_total{target="slack",outcome}}, {@code alertdesk_outbox_depth},
 * {@code alertdesk_outbox_oldest_job_age_seconds}.
 */
public final class OutboxWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);

  /** Attempts before a job is marked failed. */
  public static final int MAX_ATTEMPTS = 12;
  /** Messages a channel may burst before the 1/s rate applies. */
  public static final int CHANNEL_BURST = ChannelRateLimit.BURST;
  /** How far before a job's creation its parent is looked for (clock skew with Slack). */
  private static final Duration HISTORY_MARGIN = Duration.ofMinutes(1);
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  private static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);
  private static final int BATCH = 50;
  private static final int RECORD_ATTEMPTS = 5;
  /** Longer than the Slack client's 15 s call timeout, so a call in flight can finish. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private final Outbox outbox;
  private final SlackGateway slack;
  private final Enrichment enrichment;
  private final MessageComposer composer;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Duration pollInterval;
  private final String workerId = "worker-" + UUID.randomUUID();
  private final ChannelRateLimit rateLimit;
  private volatile Consumer<OutboxJob> afterSlackAnswer = job -> { };
  private final Map<String, Instant> channelPausedUntil = new ConcurrentHashMap<>();
  private final AtomicLong depth = new AtomicLong();
  private final AtomicLong oldestAgeSeconds = new AtomicLong();
  private volatile @Nullable WorkerLoop loop;

  /**
   * @param outbox the queue of Slack calls
   * @param slack the Slack Web API
   * @param composer composes each job from its incident's current state when it is sent
   * @param clock the source of "now" for due times and backoff
   * @param metrics where call counters and outbox gauges are registered
   * @param pollInterval how often to look for due jobs when not woken; e.g. 500 ms
   */
  public OutboxWorker(Outbox outbox, SlackGateway slack, MessageComposer composer, Clock clock,
      MeterRegistry metrics, Duration pollInterval) {
    this(outbox, slack, composer, clock, metrics, pollInterval, Enrichment.NONE);
  }

  /**
   * @param outbox the queue of Slack calls
   * @param slack the Slack Web API
   * @param composer composes each job from its incident's current state when it is sent
   * @param clock the source of "now" for due times and backoff
   * @param metrics where call counters and outbox gauges are registered
   * @param pollInterval how often to look for due jobs when not woken; e.g. 500 ms
   * @param enrichment adds current values and graphs before sending; {@link Enrichment#NONE}
   *     for none
   */
  public OutboxWorker(Outbox outbox, SlackGateway slack, MessageComposer composer, Clock clock,
      MeterRegistry metrics, Duration pollInterval, Enrichment enrichment) {
    this(outbox, slack, composer, clock, metrics, pollInterval, enrichment,
        new LocalChannelRateLimit());
  }

  /**
   * @param outbox the queue of Slack calls
   * @param slack the Slack Web API
   * @param composer composes each job from its incident's current state when it is sent
   * @param clock the source of "now" for due times and backoff
   * @param metrics where call counters and outbox gauges are registered
   * @param pollInterval how often to look for due jobs when not woken; e.g. 500 ms
   * @param enrichment adds current values and graphs before sending; {@link Enrichment#NONE}
   *     for none
   * @param rateLimit the per-channel budget: {@link LocalChannelRateLimit} for one replica, a
   *     shared one for several
   */
  public OutboxWorker(Outbox outbox, SlackGateway slack, MessageComposer composer, Clock clock,
      MeterRegistry metrics, Duration pollInterval, Enrichment enrichment,
      ChannelRateLimit rateLimit) {
    this.rateLimit = rateLimit;
    this.composer = composer;
    this.enrichment = enrichment;
    this.outbox = outbox;
    this.slack = slack;
    this.clock = clock;
    this.metrics = metrics;
    this.pollInterval = pollInterval;
    Gauge.builder("alertdesk_outbox_depth", depth, AtomicLong::get)
        .description("Slack calls waiting in the outbox").register(metrics);
    Gauge.builder("alertdesk_outbox_oldest_job_age_seconds", oldestAgeSeconds, AtomicLong::get)
        .description("Age of the oldest waiting Slack call").baseUnit("seconds").register(metrics);
  }

  /** Starts the background thread. Idempotent. */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    loop = WorkerLoop.start("outbox", pollInterval, STOP_TIMEOUT, this::runOnce);
    log.info("Slack delivery started {}", kv("worker_id", workerId));
  }

  /**
   * Test hook: runs after Slack answered a call and before its outcome is stored. A hook that
   * throws stops the pass there, as a crash at that moment would (the job stays leased).
   *
   * @param hook receives the job just sent
   */
  void afterSlackAnswer(Consumer<OutboxJob> hook) {
    this.afterSlackAnswer = hook;
  }

  /** Wakes the worker now, for example right after a notification committed new jobs. */
  public void wake() {
    WorkerLoop l = loop;
    if (l != null) {
      l.wake();
    }
  }

  /**
   * Stops the thread after the Slack call in progress; waits up to 20 s, longer than one call
   * may take, so the call's result is recorded before the database closes.
   */
  @Override
  public synchronized void close() {
    WorkerLoop l = loop;
    if (l != null) {
      l.close();
    }
  }

  /**
   * Runs one pass: claims due jobs and sends those whose channel has a token.
   *
   * @return how many jobs were sent (delivered, rescheduled or failed)
   * @throws dev.alertdesk.incident.StorageException when the database fails
   */
  public int runOnce() {
    Instant now = clock.instant();
    refreshDepth(now);
    // Parents first (the claim orders them so too; sorting here keeps it true for any Outbox).
    List<OutboxJob> jobs = outbox.claimDue(now, LEASE, workerId, BATCH).stream()
        .sorted(Comparator.comparing((OutboxJob j) -> j.kind() != SlackIntent.Kind.PARENT_POST))
        .toList();
    int sent = 0;
    for (OutboxJob job : jobs) {
      if (loop != null && loop.stopping()) {
        outbox.release(job);
        continue;
      }
      Instant pausedUntil = channelPausedUntil.get(job.channel());
      if ((pausedUntil != null && now.isBefore(pausedUntil))
          || !rateLimit.tryAcquire(job.channel(), job.kind() == SlackIntent.Kind.PARENT_POST)) {
        outbox.release(job);
        continue;
      }
      if (!outbox.renew(job, workerId, clock.instant(), LEASE)) {
        log.warn("outbox job taken over by another worker after its lease expired, "
            + "not sending {} {}", kv("incident_id", job.incidentId()), kv("channel", job.channel()));
        continue;
      }
      send(job);
      sent++;
    }
    return sent;
  }

  private void send(OutboxJob job) {
    SlackMessageRef parent = outbox.parentMessage(job.incidentId(), job.channel()).orElse(null);
    if (parent == null && job.kind() == SlackIntent.Kind.PARENT_POST) {
      parent = outbox.adoptSlackAppMessage(job.incidentId(), job.channel(), clock.instant())
          .orElse(null);
    }
    SlackIntent.Kind kind = job.kind();
    SlackMessageRef adopted = null;
    if (parent == null && kind == SlackIntent.Kind.PARENT_POST && job.unknownOutcome()) {
      Optional<SlackMessageRef> found = findUnknownOutcome(job);
      if (found == null) {
        return;
      }
      adopted = found.orElse(null);
      parent = adopted;
    }
    String method;
    SlackCallResult result;
    // What Slack got: kept for the message preview.
    String sent = null;
    if (kind == SlackIntent.Kind.THREAD_REPLY || kind == SlackIntent.Kind.GRAPH) {
      if (parent == null) {
        outbox.markFailed(job, clock.instant(), "no parent message to reply to");
        log.error("thread reply dropped: the parent message was never posted {} {}",
            kv("incident_id", job.incidentId()), kv("channel", job.channel()));
        return;
      }
      if (kind == SlackIntent.Kind.GRAPH) {
        Enrichment.GraphResult graph = enrichment.graph(job, parent);
        method = graph.method();
        result = graph.result();
        sent = graph.sentPayloadJson();
      } else {
        sent = composer.compose(job, Enrichment.ParentContext.NONE).orElse(null);
        method = sent == null ? "none" : "chat.postMessage";
        result = sent == null ? SlackCallResult.delivered(null, null)
            : slack.post(parent.channelId(), parent.ts(), sent);
      }
    } else {
      Enrichment.ParentContext context = job.intent().message() == MessageKind.PARENT
          ? enrichment.parentContext(job) : Enrichment.ParentContext.NONE;
      sent = composer.compose(job, context).orElse(null);
      if (sent == null) {
        method = "none";
        result = SlackCallResult.delivered(null, null);
      } else if (parent != null) {
        // A stored ts means the parent exists: update it, even for a repeated post after a crash.
        method = "chat.update";
        result = slack.update(parent.channelId(), parent.ts(), sent);
      } else {
        method = "chat.postMessage";
        // A new top-level message is the incident's parent in this channel: it carries metadata.
        result = slack.postParent(job.channel(), sent, job.incidentId());
      }
    }
    afterSlackAnswer.accept(job);
    if (sent == null && method.equals("none")) {
      log.debug("nothing left to say, job settled unsent {} {}",
          kv("incident_id", job.incidentId()), kv("channel", job.channel()));
    }
    if (!method.equals("none")) {
      metrics.counter("alertdesk_slack_calls", "method", method,
          "outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT)).increment();
      TargetWorker.count(metrics, DeliveryTarget.SLACK, result.outcome());
    }
    Instant now = clock.instant();
    switch (result.outcome()) {
      case DELIVERED -> {
        SlackMessageRef posted = adopted != null ? adopted
            : parent == null && kind != SlackIntent.Kind.THREAD_REPLY
            && kind != SlackIntent.Kind.GRAPH && !method.equals("none")
            && result.ts() != null
            ? new SlackMessageRef(job.channel(),
                result.channelId() == null ? job.channel() : result.channelId(), result.ts())
            : null;
        recordDelivered(job, now, posted, sent);
        log.debug("slack {} delivered {} {}", method, kv("incident_id", job.incidentId()),
            kv("channel", job.channel()));
      }
      case RETRY_AFTER -> {
        // Slack asked us to wait: that is not a failure, so it neither counts towards
        // MAX_ATTEMPTS nor ever drops the message. At least 1 s, so "Retry-After: 0" cannot spin.
        Duration asked = result.retryAfter();
        Duration wait = asked == null || asked.compareTo(MIN_RETRY_AFTER) < 0
            ? MIN_RETRY_AFTER : asked;
        outbox.postpone(job, now.plus(wait), String.valueOf(result.error()));
        // Slack limits the channel, not the job: hold every job of the channel until then.
        channelPausedUntil.merge(job.channel(), now.plus(wait),
            (a, b) -> a.isAfter(b) ? a : b);
        log.warn("slack {} rate-limited, will retry {} {} {}", method,
            kv("incident_id", job.incidentId()), kv("channel", job.channel()),
            kv("retry_in_ms", wait.toMillis()));
      }
      case RETRY -> retryOrFail(job, now, now.plus(backoff(job.attempts())), method, result);
      case FAILED -> {
        outbox.markFailed(job, now, String.valueOf(result.error()));
        // Warn only: SlackProblems logs each distinct permanent error once, as an error.
        log.warn("slack {} failed for good {} {} {}", method,
            kv("incident_id", job.incidentId()), kv("channel", job.channel()),
            kv("error", result.error()));
      }
    }
  }

  /**
   * For a parent post whose outcome is unknown, looks in the channel's history for the message
   * an earlier attempt may have posted (by its metadata, since the job was created).
   *
   * @return the message to adopt; empty to post as usual (none found, or the history cannot
   *     be read: then a duplicate is possible, and that is logged); null when the job was
   *     rescheduled because Slack could not be asked now
   */
  private @Nullable Optional<SlackMessageRef> findUnknownOutcome(OutboxJob job) {
    Optional<String> channelId = outbox.channelId(job.channel());
    if (channelId.isEmpty()) {
      log.warn("parent post's outcome is unknown (a worker stopped while sending it) and the "
          + "channel's ID is not known yet, so its history cannot be checked: posting again, "
          + "it may show twice; configure the channel by ID to avoid this {} {}",
          kv("incident_id", job.incidentId()), kv("channel", job.channel()));
      return Optional.empty();
    }
    SlackCallResult result = slack.findParent(channelId.get(), job.channel(), job.incidentId(),
        job.createdAt().minus(HISTORY_MARGIN));
    metrics.counter("alertdesk_slack_calls", "method", "conversations.history",
        "outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT)).increment();
    Instant now = clock.instant();
    switch (result.outcome()) {
      case DELIVERED -> {
        if (result.ts() == null) {
          log.info("parent post's outcome was unknown; not in the channel's history, posting "
              + "it {} {}", kv("incident_id", job.incidentId()), kv("channel", job.channel()));
          return Optional.empty();
        }
        log.info("parent post's outcome was unknown; found it in the channel's history and "
            + "adopted its ts instead of posting again {} {} {}",
            kv("incident_id", job.incidentId()), kv("channel", job.channel()),
            kv("ts", result.ts()));
        return Optional.of(new SlackMessageRef(job.channel(),
            result.channelId() == null ? channelId.get() : result.channelId(), result.ts()));
      }
      case RETRY_AFTER -> {
        Duration asked = result.retryAfter();
        Duration wait = asked == null || asked.compareTo(MIN_RETRY_AFTER) < 0
            ? MIN_RETRY_AFTER : asked;
        outbox.postpone(job, now.plus(wait), "conversations.history: " + result.error());
        return null;
      }
      case RETRY -> {
        retryOrFail(job, now, now.plus(backoff(job.attempts())), "conversations.history",
            result);
        return null;
      }
      default -> {
        log.warn("parent post's outcome is unknown (a worker stopped while sending it) and the "
            + "channel's history cannot be read: posting again, it may show twice {} {} {}",
            kv("incident_id", job.incidentId()), kv("channel", job.channel()),
            kv("error", result.error()));
        return Optional.empty();
      }
    }
  }

  /**
   * Stores a delivery, retrying briefly: Slack already has the message, so losing its ts here
   * would post it again after the lease expires.
   */
  private void recordDelivered(OutboxJob job, Instant now, @Nullable SlackMessageRef posted,
      @Nullable String sent) {
    for (int attempt = 1; ; attempt++) {
      try {
        outbox.markDelivered(job, now, posted, sent);
        return;
      } catch (RuntimeException e) {
        if (attempt == RECORD_ATTEMPTS) {
          log.error("slack message delivered but not recorded; it may be sent again {} {} {} {}",
              kv("incident_id", job.incidentId()), kv("channel", job.channel()),
              kv("ts", posted == null ? null : posted.ts()), kv("error", e.getMessage()));
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

  private void retryOrFail(OutboxJob job, Instant now, Instant next, String method,
      SlackCallResult result) {
    int attempt = job.attempts() + 1;
    if (attempt >= MAX_ATTEMPTS) {
      outbox.markFailed(job, now, "gave up after " + attempt + " attempts: " + result.error());
      log.error("slack {} gave up {} {} {} {}", method, kv("incident_id", job.incidentId()),
          kv("channel", job.channel()), kv("attempt", attempt), kv("error", result.error()));
      return;
    }
    outbox.reschedule(job, next, String.valueOf(result.error()));
    log.warn("slack {} will retry {} {} {} {} {}", method, kv("incident_id", job.incidentId()),
        kv("channel", job.channel()), kv("attempt", attempt),
        kv("retry_in_ms", Duration.between(now, next).toMillis()), kv("error", result.error()));
  }

  /** Backoff before retry number {@code attempts + 1}: 1 s, 2 s, 4 s, … capped at 5 min. */
  static Duration backoff(int attempts) {
    long seconds = 1L << Math.min(attempts, 20);
    Duration d = Duration.ofSeconds(seconds);
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private void refreshDepth(Instant now) {
    Outbox.Depth d = outbox.depth();
    depth.set(d.pending());
    oldestAgeSeconds.set(d.oldestCreatedAt() == null
        ? 0 : Math.max(0, Duration.between(d.oldestCreatedAt(), now).toSeconds()));
  }
}
