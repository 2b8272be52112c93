package dev.alertdesk.sentry;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.config.SentrySettings;
import dev.alertdesk.delivery.DeliveryOutcome;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.sentry.SentryEvent;
import io.sentry.protocol.SentryId;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one {@link SentryIntent}: composes the occurrence's event from the incident as it
 * is stored now and sends it ({@link SentryEvents}), or resolves its issue ({@link
 * SentryIssues}). Remembers the last success and failure for {@code /api/status}.
 *
 * <p>Metric: {@code alertdesk_sentry_calls_total{call="event"|"resolve",outcome}}, outcome one of
 * {@code delivered}, {@code retry}, {@code retry_after}, {@code failed}, {@code skipped} (nothing
 * left to send). Thread-safe.
 */
public final class SentryDelivery {
  private static final Logger log = LoggerFactory.getLogger(SentryDelivery.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What one intent came to.
   *
   * @param result how Sentry answered; delivered also when nothing was left to send
   * @param sentJson what was sent, as a JSON object with a {@code text} field, for the message
   *     preview; null when nothing was sent
   */
  public record Sent(SentryResult result, @Nullable String sentJson) {}

  /**
   * The last outcome seen, for {@code /api/status}.
   *
   * @param at when
   * @param call {@code event} or {@code resolve}
   * @param error what went wrong, without secrets; null for a success
   */
  public record Last(Instant at, String call, @Nullable String error) {}

  private final SentrySettings settings;
  private final IncidentRepository incidents;
  private final SentryEventMapper mapper;
  private final SentryEvents events;
  private final @Nullable SentryIssues issues;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final AtomicReference<@Nullable Last> lastSuccess = new AtomicReference<>();
  private final AtomicReference<@Nullable Last> lastFailure = new AtomicReference<>();

  /**
   * @param settings the sink's settings
   * @param incidents where the incident of an intent is read when it is sent
   * @param mapper builds events
   * @param events sends events
   * @param issues resolves issues, or null without a token (resolve intents are then settled
   *     unsent; none are planned)
   * @param clock the source of "now"
   * @param metrics where {@code alertdesk_sentry_calls_total} is counted
   */
  public SentryDelivery(SentrySettings settings, IncidentRepository incidents,
      SentryEventMapper mapper, SentryEvents events, @Nullable SentryIssues issues, Clock clock,
      MeterRegistry metrics) {
    this.settings = settings;
    this.incidents = incidents;
    this.mapper = mapper;
    this.events = events;
    this.issues = issues;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Sends one intent.
   *
   * @param intent what to do
   * @param incidentId the incident the intent belongs to
   * @return how it ended; never throws for Sentry's errors
   * @throws dev.alertdesk.incident.StorageException when the incident cannot be read
   */
  public Sent deliver(SentryIntent intent, long incidentId) {
    return intent.type() == SentryIntent.Type.EVENT ? event(intent, incidentId) : resolve(intent,
        incidentId);
  }

  private Sent event(SentryIntent intent, long incidentId) {
    Optional<Incident> incident = incidents.find(incidentId)
        .map(IncidentRepository.IncidentDetail::incident);
    Alert alert = incident.flatMap(i -> i.member(intent.fingerprint())).orElse(null);
    if (incident.isEmpty() || alert == null) {
      count("event", "skipped");
      log.info("sentry event not sent: its incident or alert is gone {} {}",
          kv("incident_id", incidentId), kv("fingerprint", intent.fingerprint()));
      return new Sent(SentryResult.delivered(0), null);
    }
    Instant endsAt = alert.status() == AlertStatus.RESOLVED
        && Alert.compareStored(alert.startsAt(), intent.startsAt()) == 0 ? alert.endsAt() : null;
    SentryEvent event = mapper.event(new SentryId(intent.eventId()),
        incident.get(), alert, intent.startsAt(), endsAt, clock.instant());
    SentryResult result = events.capture(event);
    record("event", result, incidentId, intent);
    Map<String, Object> sent = new LinkedHashMap<>();
    sent.put("text", "Sentry event " + intent.eventId() + ": "
        + (event.getMessage() == null ? "" : event.getMessage().getFormatted()));
    sent.put("event_id", intent.eventId());
    sent.put("level", event.getLevel() == null ? null : event.getLevel().name()
        .toLowerCase(java.util.Locale.ROOT));
    sent.put("fingerprint", event.getFingerprints());
    sent.put("environment", event.getEnvironment());
    return new Sent(result, result.outcome() == DeliveryOutcome.DELIVERED ? json(sent) : null);
  }

  private Sent resolve(SentryIntent intent, long incidentId) {
    SentryIssues api = issues;
    if (api == null) {
      count("resolve", "skipped");
      return new Sent(SentryResult.delivered(0), null);
    }
    SentryResult result = api.resolve(intent.eventId());
    record("resolve", result, incidentId, intent);
    Map<String, Object> sent = new LinkedHashMap<>();
    sent.put("text", "Sentry issue of event " + intent.eventId() + " resolved");
    sent.put("event_id", intent.eventId());
    return new Sent(result, result.outcome() == DeliveryOutcome.DELIVERED ? json(sent) : null);
  }

  /** The last success, or null when none since start. */
  public @Nullable Last lastSuccess() {
    return lastSuccess.get();
  }

  /** The last failure (retried or not), or null when none since start. */
  public @Nullable Last lastFailure() {
    return lastFailure.get();
  }

  /** What {@code /api/status} shows about the sink: target, resolving, last outcomes; no secret. */
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dsn", settings.target());
    out.put("fingerprint", settings.fingerprint().wire());
    out.put("environment_label", settings.environmentLabel());
    out.put("resolves_issues", issues != null);
    if (settings.organization() != null) {
      out.put("organization", settings.organization());
    }
    Last ok = lastSuccess.get();
    if (ok != null) {
      out.put("last_success", ok.call() + " at " + ok.at());
    }
    Last failed = lastFailure.get();
    if (failed != null) {
      out.put("last_failure", failed.call() + " at " + failed.at() + ": " + failed.error());
    }
    return out;
  }

  private void record(String call, SentryResult result, long incidentId, SentryIntent intent) {
    count(call, result.tag());
    Instant now = clock.instant();
    if (result.outcome() == DeliveryOutcome.DELIVERED) {
      lastSuccess.set(new Last(now, call, null));
      log.debug("sentry {} delivered {} {}", call, kv("incident_id", incidentId),
          kv("event_id", intent.eventId()));
    } else {
      lastFailure.set(new Last(now, call, result.error()));
    }
  }

  private void count(String call, String outcome) {
    metrics.counter("alertdesk_sentry_calls", "call", call, "outcome", outcome).increment();
  }

  private static @Nullable String json(Map<String, Object> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
