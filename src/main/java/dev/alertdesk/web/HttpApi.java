package dev.alertdesk.web;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.action.ActionDispatcher;
import dev.alertdesk.audit.AuditLog;
import dev.alertdesk.graph.ChartRepository;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.ingest.NotificationIngestor;
import dev.alertdesk.slack.SlackSignatureVerifier;
import dev.alertdesk.status.StatusReport;
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
   * @param webhookConcurrency how many webhooks are processed at once; more answer 503 at once
   * @param onCommitted called after a notification committed Slack work (wakes the worker)
   * @param repository incident history for the read API
   * @param ready true once the database is reachable and migrated
   * @param metrics the Prometheus registry served at {@code /metrics}
   * @param slackVerifier checks {@code /slack/events} signatures, or null when interactivity is off
   * @param slackActions hands Slack clicks to their action handlers, or null when interactivity
   *     is off
   * @param audit the audit log served at {@code /api/audit} and on the incident pages
   * @param charts rendered graphs served at {@code /api/charts/{id}.png}, or null when none
   * @param history the history API and web UI
   * @param status the sections of {@code GET /api/status}
   * @param slackCommands answers {@code /alertdesk} at {@code POST /slack/commands}, or null when
   *     interactivity is off
   */
  public record Routes(
      NotificationIngestor ingestor,
      WebhookAuthenticator authenticator,
      long maxPayloadBytes,
      int webhookConcurrency,
      Runnable onCommitted,
      IncidentRepository repository,
      BooleanSupplier ready,
      PrometheusMeterRegistry metrics,
      @Nullable SlackSignatureVerifier slackVerifier,
      @Nullable ActionDispatcher slackActions,
      AuditLog audit,
      @Nullable ChartRepository charts,
      HistoryRoutes history,
      StatusReport status,
      dev.alertdesk.command.@Nullable SlashCommands slackCommands) {}

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
        routes.maxPayloadBytes(), routes.webhookConcurrency(), routes.onCommitted(),
        routes.metrics());
    HistoryRoutes h = routes.history();
    HistoryParams params = new HistoryParams(LabelMatchers::parse);
    IncidentExtras extras = new IncidentExtras() {
      @Override
      public java.util.List<Graph> graphs(long incidentId) {
        java.util.List<Graph> graphs = new java.util.ArrayList<>();
        graphs.add(new Graph("Firing alerts over time", "/incidents/" + incidentId + "/activity.png"));
        graphs.addAll(h.extras().graphs(incidentId));
        return graphs;
      }

      @Override
      public java.util.List<Map<String, Object>> audit(long incidentId) {
        java.util.List<Map<String, Object>> rows = new java.util.ArrayList<>();
        routes.audit().forIncident(incidentId).forEach(r -> rows.add(AuditApi.entry(r)));
        rows.addAll(h.extras().audit(incidentId));
        return rows;
      }
    };
    HistoryViews views = new HistoryViews(routes.repository(), h.repository(), params, extras,
        h.clock());
    IncidentApi incidents = new IncidentApi(views);
    WebUi ui = new WebUi(views);
    AccessGuard guard = new AccessGuard(h.access());
    byte[] css = resourceBytes("/ui/static/app.css");
    byte[] js = resourceBytes("/ui/static/app.js");
    SlackEventsHandler slackEvents = new SlackEventsHandler(routes.slackVerifier(),
        routes.slackActions());
    AuditApi audit = new AuditApi(routes.audit());
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
      config.routes.before(SecurityHeaders::apply);
      config.routes.before(guard::before);
      config.routes.post("/api/alerts", webhook);
      config.routes.post("/api/alertmanager", webhook);
      config.routes.post("/slack/events", slackEvents);
      config.routes.post("/slack/commands",
          new SlackCommandsHandler(routes.slackVerifier(), routes.slackCommands()));
      config.routes.get("/api/audit", audit::list);
      config.routes.get("/health", ctx -> JsonResponses.json(ctx, 200, Map.of("status", "ok")));
      // The autometrics slack-app's liveness path, where its probes point.
      config.routes.get("/healthz", ctx -> JsonResponses.json(ctx, 200, Map.of("status", "ok")));
      config.routes.get("/ready", ctx -> {
        boolean ready = routes.ready().getAsBoolean();
        JsonResponses.json(ctx, ready ? 200 : 503,
            Map.of("status", ready ? "ready" : "database not reachable or not migrated"));
      });
      config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(routes.metrics().scrape()));
      ChartApi chartApi = new ChartApi(routes.charts());
      config.routes.get("/api/charts/{file}", chartApi::png);
      config.routes.get("/api/chart/{id}", chartApi::slackAppPng);
      config.routes.get("/api/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openapi));
      // History API, audit log and web UI: behind UI_BASIC_AUTH / API_BEARER_TOKEN when set
      // (AccessGuard.before, for every method).
      config.routes.get("/api/incidents", incidents::list);
      config.routes.get("/api/incidents/{id}", incidents::detail);
      config.routes.get("/api/incidents/{id}/messages", incidents::messages);
      config.routes.get("/api/fingerprints/{fingerprint}", incidents::fingerprint);
      config.routes.get("/api/insights", incidents::insights);
      config.routes.get("/api/export/incidents.csv", incidents::exportCsv);
      config.routes.get("/api/export/incidents.jsonl", incidents::exportJsonLines);
      config.routes.get("/", ui::incidentList);
      config.routes.get("/incidents/{id}", ui::incident);
      config.routes.get("/incidents/{id}/messages", ui::messages);
      config.routes.get("/incidents/{id}/activity.png", ui::activityChart);
      config.routes.get("/fingerprints/{fingerprint}", ui::fingerprint);
      config.routes.get("/insights", ui::insights);
      config.routes.get("/insights/incidents-per-day.png", ui::incidentsPerDayChart);
      config.routes.get("/api/status", ctx -> JsonResponses.json(ctx, 200,
          routes.status().check()));
      config.routes.get("/ui/app.css", ctx -> ctx.contentType("text/css; charset=utf-8").result(css));
      config.routes.get("/ui/app.js",
          ctx -> ctx.contentType("text/javascript; charset=utf-8").result(js));
      config.routes.exception(BadRequest.class, (e, ctx) -> clientError(ctx, ui, 400, e));
      config.routes.exception(NotFound.class, (e, ctx) -> clientError(ctx, ui, 404, e));
      config.routes.exception(StorageException.class, (e, ctx) -> {
        log.warn("request failed, storage unavailable: {}", e.getMessage());
        JsonResponses.error(ctx, 503, "storage unavailable; retry later");
      });
      config.routes.exception(Exception.class, (e, ctx) -> {
        log.error("request failed {}", kv("path", ctx.path()), e);
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

  /** Answers a client error as JSON under {@code /api/}, else as an HTML page. */
  private static void clientError(io.javalin.http.Context ctx, WebUi ui, int status,
      RuntimeException e) {
    if (ctx.path().startsWith("/api/")) {
      JsonResponses.error(ctx, status, e.getMessage());
    } else {
      ui.error(ctx, status, e.getMessage());
    }
  }

  private static byte[] resourceBytes(String name) {
    try (InputStream in = HttpApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
