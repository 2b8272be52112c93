package dev.alertdesk.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.PrometheusProcess;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several Prometheus servers from the {@code prometheus} section of {@code CONFIG_FILE}: two real
 * Prometheus 2.42 processes, each scraping an exporter with its own value of one gauge (11 in
 * the EU, 22 in the US; the US one served under {@code /prometheus}, as behind a proxy). An alert
 * matching an entry by {@code generatorURL} prefix or by labels gets its value and graph from
 * that server, named on the parent and the graph; an alert from an unknown origin is queried at
 * {@code PROMETHEUS_URL}, and a loopback listener on its {@code generatorURL} host records no
 * connection (no SSRF).
 */
class SeveralPrometheusIT {
  private static final String WEBHOOK_TOKEN = "several-prometheus-it";
  private static final String GAUGE = "alertdesk_it_region_load";

  @TempDir Path storage;

  private SlackStandIn slack;
  private PrometheusProcess eu;
  private PrometheusProcess us;
  private HttpServer euExporter;
  private HttpServer usExporter;
  private Application app;
  private ServerSocket unknownOrigin;
  private Thread acceptor;
  private final AtomicInteger connectionsToUnknownOrigin = new AtomicInteger();

  @AfterEach
  void stop() throws IOException {
    if (app != null) {
      app.close();
    }
    for (PrometheusProcess p : new PrometheusProcess[] {eu, us}) {
      if (p != null) {
        p.close();
      }
    }
    for (HttpServer s : new HttpServer[] {euExporter, usExporter}) {
      if (s != null) {
        s.stop(0);
      }
    }
    if (unknownOrigin != null) {
      unknownOrigin.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  private static HttpServer exporter(double value) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/metrics", exchange -> {
      byte[] body = ("# TYPE " + GAUGE + " gauge\n" + GAUGE + "{queue=\"orders\"} " + value + "\n")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      try (var out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return server;
  }

  @Test
  void eachAlertIsGraphedFromItsOwnPrometheusAndAnUnknownOriginFromTheDefaultOnly()
      throws Exception {
    slack = new SlackStandIn();
    euExporter = exporter(11);
    usExporter = exporter(22);
    eu = PrometheusProcess.start("SeveralPrometheusIT-eu", "/prometheus/empty-rules.yml", null,
        "127.0.0.1:" + euExporter.getAddress().getPort());
    us = PrometheusProcess.start("SeveralPrometheusIT-us", "/prometheus/empty-rules.yml", null,
        "127.0.0.1:" + usExporter.getAddress().getPort(), "/prometheus");
    for (PrometheusProcess p : new PrometheusProcess[] {eu, us}) {
      await("scraped").atMost(Duration.ofSeconds(30)).until(() ->
          p.get("/api/v1/query?query=count_over_time(" + GAUGE + "%5B1m%5D)%3E2")
              .contains("\"value\""));
    }
    // Listens, records every connection, and never answers: any query sent there would show.
    unknownOrigin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> {
      while (!unknownOrigin.isClosed()) {
        try (Socket s = unknownOrigin.accept()) {
          connectionsToUnknownOrigin.incrementAndGet();
        } catch (IOException e) {
          return;
        }
      }
    }, "unknown-origin");
    acceptor.setDaemon(true);
    acceptor.start();

    Path config = storage.resolve("alertdesk.yml");
    Files.writeString(config, """
        prometheus:
          - {name: eu, url: %s, match_generator_url: "http://prom-eu.internal:9090"}
          - name: us
            url: %s/
            match_labels: {cluster: us-east-1}
            timeout: 3s
            headers: {X-Scope-OrgID: team-a}
        """.formatted(eu.url(), us.url()));
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-several",
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "WEBHOOK_BEARER_TOKEN", WEBHOOK_TOKEN,
        "PROMETHEUS_URL", eu.url(),
        "GRAPH_LOOKBACK", "5m",
        "GRAPH_TIME_ZONE", "UTC",
        "CONFIG_FILE", config.toString()));
    app = Application.start(Settings.load(env), Clock.systemUTC());
    AlertdeskClient client = new AlertdeskClient(app.port());
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    String expr = URLEncoder.encode(GAUGE + " > 5", StandardCharsets.UTF_8);

    post(client, AlertmanagerPayload.group("alertdesk", "LoadEu")
        .generatorUrl("http://prom-eu.internal:9090/graph?g0.expr=" + expr + "&g0.tab=1")
        .alert("firing", Map.of("alertname", "LoadEu", "queue", "orders"), startsAt, null));
    post(client, AlertmanagerPayload.group("alertdesk", "LoadUs")
        .generatorUrl("http://prometheus-0.us.internal:9090/graph?g0.expr=" + expr)
        .alert("firing", Map.of("alertname", "LoadUs", "queue", "orders",
            "cluster", "us-east-1"), startsAt, null));
    post(client, AlertmanagerPayload.group("alertdesk", "LoadElsewhere")
        .generatorUrl("http://127.0.0.1:" + unknownOrigin.getLocalPort() + "/graph?g0.expr="
            + expr)
        .alert("firing", Map.of("alertname", "LoadElsewhere", "queue", "orders"), startsAt,
            null));

    await("three parents").atMost(Duration.ofSeconds(30))
        .until(() -> slack.parentPosts().size() == 3);
    assertThat(parent("LoadEu")).contains("Current value: 11 (threshold 5) · datasource eu");
    assertThat(parent("LoadUs")).contains("Current value: 22 (threshold 5) · datasource us");
    assertThat(parent("LoadElsewhere"))
        .contains("Current value: 11 (threshold 5) · datasource default");

    await("three graphs").atMost(Duration.ofSeconds(30))
        .until(() -> slack.uploads().size() == 3);
    assertThat(slack.uploads()).extracting(SlackStandIn.Upload::initialComment)
        .anySatisfy(c -> assertThat(c).contains("· datasource eu"))
        .anySatisfy(c -> assertThat(c).contains("· datasource us"))
        .anySatisfy(c -> assertThat(c).contains("· datasource default"));
    assertThat(app.metrics().find("alertdesk_prometheus_queries").tag("datasource", "us")
        .tag("outcome", "success").counter().count()).isGreaterThanOrEqualTo(2);
    assertThat(connectionsToUnknownOrigin).hasValue(0);
  }

  private String parent(String alertname) {
    return slack.parentPosts().stream().map(c -> c.param("attachments"))
        .filter(a -> a.contains(alertname)).findFirst()
        .orElseThrow(() -> new AssertionError("no parent for " + alertname + " in "
            + slack.parentPosts().stream().map(Call::method).toList()));
  }

  private static void post(AlertdeskClient client, AlertmanagerPayload payload) throws Exception {
    assertThat(client.post("/api/alerts", payload.json(), "Bearer " + WEBHOOK_TOKEN)
        .statusCode()).isEqualTo(200);
  }
}
