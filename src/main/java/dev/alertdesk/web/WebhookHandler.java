package dev.alertdesk.web;

import dev.alertdesk.incident.IngestResult;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.ingest.InvalidPayloadException;
import dev.alertdesk.ingest.NotificationIngestor;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/alerts} (alias {@code /api/alertmanager}): the Alertmanager webhook. Answers
 * 200 only after the notification is committed; 400 for an invalid payload (named), 401 for bad
 * credentials, 413 over {@code MAX_PAYLOAD_BYTES}, 415 for a body that is not
 * {@code application/json} (what Alertmanager sends; a cross-site HTML form cannot send it), 503
 * when storage is unavailable so that Alertmanager retries. At most {@code concurrency}
 * notifications are read and processed at once; one more is answered 503 with
 * {@code Retry-After: 1} at once, before its body is read, so a flood neither queues on the
 * connection pool nor holds its payloads in memory. Records
 * {@code alertdesk_webhook_duration_seconds}.
 */
final class WebhookHandler implements Handler {
  private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);

  private final NotificationIngestor ingestor;
  private final WebhookAuthenticator authenticator;
  private final long maxPayloadBytes;
  private final Runnable onCommitted;
  private final Timer latency;
  private final MeterRegistry metrics;
  private final Semaphore permits;

  WebhookHandler(NotificationIngestor ingestor, WebhookAuthenticator authenticator,
      long maxPayloadBytes, int concurrency, Runnable onCommitted, MeterRegistry metrics) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be 1 or more");
    }
    this.permits = new Semaphore(concurrency);
    this.ingestor = ingestor;
    this.authenticator = authenticator;
    this.maxPayloadBytes = maxPayloadBytes;
    this.onCommitted = onCommitted;
    this.metrics = metrics;
    this.latency = Timer.builder("alertdesk_webhook_duration")
        .description("Webhook handling time, from request to commit")
        .publishPercentileHistogram()
        .register(metrics);
  }

  @Override
  public void handle(Context ctx) {
    Timer.Sample sample = Timer.start(metrics);
    try {
      handleTimed(ctx);
    } finally {
      sample.stop(latency);
    }
  }

  private void handleTimed(Context ctx) {
    if (!authenticator.accepts(ctx.header("Authorization"))) {
      metrics.counter("alertdesk_notifications_received", "outcome", "unauthorized").increment();
      ctx.header("WWW-Authenticate", authenticator.challenge());
      JsonResponses.error(ctx, 401, "missing or invalid credentials");
      return;
    }
    if (!isJson(ctx.header("Content-Type"))) {
      metrics.counter("alertdesk_notifications_received", "outcome", "unsupported_media_type")
          .increment();
      JsonResponses.error(ctx, 415, "Content-Type must be application/json, as Alertmanager "
          + "sends it");
      return;
    }
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxPayloadBytes) {
      tooLarge(ctx);
      return;
    }
    if (!permits.tryAcquire()) {
      metrics.counter("alertdesk_notifications_received", "outcome", "overloaded").increment();
      ctx.header("Retry-After", "1");
      JsonResponses.error(ctx, 503, "too many notifications at once; retry later");
      return;
    }
    try {
      readAndIngest(ctx);
    } finally {
      permits.release();
    }
  }

  /** Returns true for {@code application/json}, with or without parameters such as charset. */
  static boolean isJson(@Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    return type.equalsIgnoreCase("application/json");
  }

  private void readAndIngest(Context ctx) {
    byte[] body;
    try {
      body = readBounded(ctx.req().getInputStream());
    } catch (IOException e) {
      JsonResponses.error(ctx, 400, "could not read the request body");
      return;
    }
    if (body == null) {
      tooLarge(ctx);
      return;
    }
    Map<String, String> headers = ctx.headerMap();
    try {
      IngestResult result = ingestor.ingest(body, headers);
      if (result.outcome() != NotificationOutcome.DUPLICATE
          && result.outcome() != NotificationOutcome.NO_INCIDENT) {
        onCommitted.run();
      }
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("status", "ok");
      response.put("outcome", result.outcome().wire());
      response.put("incident_id", result.incidentId());
      response.put("notification_id", result.notificationId());
      JsonResponses.json(ctx, 200, response);
    } catch (InvalidPayloadException e) {
      metrics.counter("alertdesk_notifications_received", "outcome", "invalid").increment();
      log.info("webhook rejected: {}", e.getMessage());
      JsonResponses.error(ctx, 400, e.getMessage());
    } catch (StorageException e) {
      metrics.counter("alertdesk_notifications_received", "outcome", "storage_unavailable")
          .increment();
      log.warn("webhook not committed, Alertmanager will retry: {}: {}", e.getMessage(),
          rootMessage(e));
      JsonResponses.error(ctx, 503, "storage unavailable; retry later");
    }
  }

  private void tooLarge(Context ctx) {
    metrics.counter("alertdesk_notifications_received", "outcome", "too_large").increment();
    JsonResponses.error(ctx, 413, "payload larger than MAX_PAYLOAD_BYTES (" + maxPayloadBytes + " bytes)");
  }

  /** Reads at most {@code maxPayloadBytes}; returns null when the body is larger. */
  private byte[] readBounded(InputStream in) throws IOException {
    byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxPayloadBytes + 1));
    return body.length > maxPayloadBytes ? null : body;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
