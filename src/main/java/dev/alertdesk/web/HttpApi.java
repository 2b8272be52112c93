package dev.alertdesk.web;

import dev.alertdesk.action.SlackActions;
import dev.alertdesk.audit.AuditLog;
import dev.alertdesk.graph.ChartRepository;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.ingest.NotificationIngestor;
import dev.alertdesk.slack.SlackSignatureVerifier;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: every route is listed in {@link #start}. Stopping it drains requests in
 * flight for up to {@value #STOP_TIMEOUT_MILLIS} ms (Jetty's graceful shutdown).
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  static final long STOP_TIMEOUT_MILLIS = 10_000;

  private final Javalin app;

  private HttpApi(Javalin app) {
    this.app = app;
  }

  /**
   * What the routes need.
   *
   * @param ingestor commits webhook notifications
   * @param authenticator checks webhook credentials
   * @param maxPayloadBytes the webhook body limit
   * @param onCommitted called after a notification committed Slack work (wakes the worker)
   * @param repository incident history for the read API
   * @param ready true once the database is reachable and migrated
   * @param metrics the Prometheus registry served at {@code /metrics}
   * @param slackVerifier checks {@code /slack/events} signatures, or null when interactivity is off
   * @param slackActions carries out Slack clicks, or null when interactivity is off
   * @param audit the audit log served at {@code /api/audit}
   * @param apiAuth the {@code API_BEARER_TOKEN} check of the read API
   * @param charts rendered graphs served at {@code /api/charts/{id}.png}, or null when none
   */
  public record Routes(
      NotificationIngestor ingestor,
      WebhookAuthenticator authenticator,
      long maxPayloadBytes,
      Runnable onCommitted,
      IncidentRepository repository,
      BooleanSupplier ready,
      PrometheusMeterRegistry metrics,
      @Nullable SlackSignatureVerifier slackVerifier,
      @Nullable SlackActions slackActions,
      AuditLog audit,
      ApiBearerCheck apiAuth,
      @Nullable ChartRepository charts) {}

  /**
   * Starts the server.
   *
   * @param host the bind address
   * @param port the port; 0 picks a free one (see {@link #port()})
   * @param routes what the handlers use
   * @return the running server
   * @throws io.javalin.util.JavalinBindException when the port is taken
   */
  public static HttpApi start(String host, int port, Routes routes) {
    WebhookHandler webhook = new WebhookHandler(routes.ingestor(), routes.authenticator(),
        routes.maxPayloadBytes(), routes.onCommitted(), routes.metrics());
    IncidentApi incidents = new IncidentApi(routes.repository());
    SlackEventsHandler slackEvents = new SlackEventsHandler(routes.slackVerifier(),
        routes.slackActions());
    AuditApi audit = new AuditApi(routes.audit(), routes.apiAuth());
    String openapi = resource("/openapi.yaml");
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.http.maxRequestSize = routes.maxPayloadBytes() + 1;
      config.jetty.host = host;
      config.jetty.port = port;
      config.jetty.modifyServer(server -> {
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
        server.insertHandler(new GracefulHandler());
      });
      config.routes.post("/api/alerts", webhook);
      config.routes.post("/api/alertmanager", webhook);
      config.routes.post("/slack/events", slackEvents);
      config.routes.get("/api/audit", audit::list);
      config.routes.get("/health", ctx -> JsonResponses.json(ctx, 200, Map.of("status", "ok")));
      config.routes.get("/ready", ctx -> {
        boolean ready = routes.ready().getAsBoolean();
        JsonResponses.json(ctx, ready ? 200 : 503,
            Map.of("status", ready ? "ready" : "database not reachable or not migrated"));
      });
      config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(routes.metrics().scrape()));
      config.routes.get("/api/incidents", incidents::list);
      config.routes.get("/api/incidents/{id}", incidents::detail);
      config.routes.get("/api/charts/{file}", new ChartApi(routes.charts())::png);
      config.routes.get("/api/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openapi));
      config.routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(
          "<!doctype html><title>Alertdesk</title><h1>Alertdesk</h1>"
              + "<p>Incident history: <a href=\"/api/incidents\">/api/incidents</a> · "
              + "API: <a href=\"/api/openapi.yaml\">/api/openapi.yaml</a> · "
              + "<a href=\"/metrics\">/metrics</a></p>"));
      config.routes.exception(StorageException.class, (e, ctx) -> {
        log.warn("request failed, storage unavailable: {}", e.getMessage());
        JsonResponses.error(ctx, 503, "storage unavailable; retry later");
      });
      config.routes.exception(Exception.class, (e, ctx) -> {
        log.error("request failed path={}", ctx.path(), e);
        JsonResponses.error(ctx, 500, "internal error");
      });
    });
    app.start();
    log.info("listening on http://{}:{}", host, app.port());
    return new HttpApi(app);
  }

  /** Returns the bound port. */
  public int port() {
    return app.port();
  }

  /** Stops accepting requests and drains those in flight. */
  @Override
  public void close() {
    app.stop();
  }

  private static String resource(String name) {
    try (InputStream in = HttpApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
