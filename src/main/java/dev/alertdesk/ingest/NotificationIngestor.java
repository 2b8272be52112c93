package dev.alertdesk.ingest;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.alert.Notification;
import dev.alertdesk.incident.IngestResult;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.incident.ReceivedNotification;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one webhook body into a committed notification: parse, then run the
 * {@link IngestPipeline} (decide, persist, render, route and noise, enqueue intents) in one
 * transaction; counts and logs the outcome. Thread-safe.
 *
 * <p>Metrics: {@code alertdesk_notifications_received_total{outcome}},
 * {@code alertdesk_alerts_ingested_total}, {@code alertdesk_incidents_opened_total},
 * {@code alertdesk_incidents_resolved_total}.
 */
public final class NotificationIngestor {
  private static final Logger log = LoggerFactory.getLogger(NotificationIngestor.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebhookPayloadParser parser = new WebhookPayloadParser();
  private final IngestPipeline pipeline;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Counter alertsIngested;
  private final Counter incidentsOpened;
  private final Counter incidentsResolved;

  /**
   * @param pipeline commits each notification
   * @param clock the source of received times
   * @param metrics where counters are registered
   */
  public NotificationIngestor(IngestPipeline pipeline, Clock clock, MeterRegistry metrics) {
    this.pipeline = pipeline;
    this.clock = clock;
    this.metrics = metrics;
    this.alertsIngested = Counter.builder("alertdesk_alerts_ingested")
        .description("Alerts in committed notifications").register(metrics);
    this.incidentsOpened = Counter.builder("alertdesk_incidents_opened")
        .description("Incidents opened").register(metrics);
    this.incidentsResolved = Counter.builder("alertdesk_incidents_resolved")
        .description("Incidents resolved").register(metrics);
  }

  /**
   * Parses and commits one webhook body. Returns only after the commit.
   *
   * @param body the raw request body
   * @param headers the request headers; credentials are removed before they are stored
   * @return what the notification did
   * @throws InvalidPayloadException when the body is not a valid version-4 payload (nothing stored)
   * @throws dev.alertdesk.incident.StorageException when the commit failed (nothing stored)
   */
  public IngestResult ingest(byte[] body, Map<String, String> headers) {
    Notification notification;
    try {
      notification = parser.parse(body);
    } catch (InvalidPayloadException e) {
      countOutcome("rejected");
      throw e;
    }
    ReceivedNotification received = new ReceivedNotification(clock.instant(), notification,
        headersJson(headers), new String(body, StandardCharsets.UTF_8));
    IngestResult result;
    try {
      result = pipeline.ingest(received);
    } catch (RuntimeException e) {
      countOutcome("error");
      throw e;
    }
    countOutcome(result.outcome().wire());
    alertsIngested.increment(result.alertCount());
    if (result.outcome() == NotificationOutcome.OPENED) {
      incidentsOpened.increment();
    } else if (result.outcome() == NotificationOutcome.RESOLVED) {
      incidentsResolved.increment();
    }
    if (result.outcome() == NotificationOutcome.DUPLICATE) {
      log.debug("duplicate notification {} {} {}", kv("receiver", notification.receiver()),
          kv("group_key", notification.groupKey()), kv("incident_id", result.incidentId()));
    } else {
      log.info("notification {} {} {} {} {}", result.outcome().wire(),
          kv("receiver", notification.receiver()), kv("group_key", notification.groupKey()),
          kv("incident_id", result.incidentId()), kv("alerts", result.alertCount()));
    }
    return result;
  }

  private void countOutcome(String outcome) {
    Counter.builder("alertdesk_notifications_received").description("Webhook notifications by outcome")
        .tag("outcome", outcome).register(metrics).increment();
  }

  private static String headersJson(Map<String, String> headers) {
    try {
      return JSON.writeValueAsString(HeaderRedaction.redact(headers));
    } catch (JsonProcessingException e) {
      return "{}";
    }
  }
}
