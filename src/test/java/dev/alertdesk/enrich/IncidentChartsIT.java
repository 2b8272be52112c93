package dev.alertdesk.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.PrometheusProcess;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Upload;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The value and the graph of an incident's own query are rendered and stored whether Slack is on
 * or off, and whether its post is immediate or delayed by {@code notify_after}; a Slack thread
 * gets the stored chart, uploaded once. Real Prometheus 2.42 ({@link PrometheusProcess}) scraping
 * itself; the alerts' {@code generatorURL} holds {@code g0.expr=up}.
 */
class IncidentChartsIT {
  private static final String WEBHOOK_TOKEN = "charts-it-webhook";

  @TempDir Path storage;

  private PrometheusProcess prometheus;
  private SlackStandIn slack;
  private Application app;

  @BeforeEach
  void startPrometheus() throws Exception {
    prometheus = PrometheusProcess.start("IncidentChartsIT", "/prometheus/rules.yml", null, null);
    // A few seconds of samples, so the graph's range holds some.
    await("Prometheus scraped itself").atMost(Duration.ofSeconds(30)).until(() ->
        prometheus.get("/api/v1/query?query=count_over_time(up%5B1m%5D)%3E3")
            .contains("\"value\""));
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (slack != null) {
      slack.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  private Map<String, String> env() {
    return new HashMap<>(Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "WEBHOOK_BEARER_TOKEN", WEBHOOK_TOKEN,
        "PROMETHEUS_URL", prometheus.url(),
        "GRAPH_LOOKBACK", "5m",
        "GRAPH_TIME_ZONE", "UTC"));
  }

  @Test
  void withoutASlackTokenTheIncidentPageAndApiShowTheGraphOfTheAlertsOwnQuery() throws Exception {
    app = Application.start(Settings.load(env()), Clock.systemUTC());
    AlertdeskClient client = new AlertdeskClient(app.port());
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    assertThat(client.post("/api/alerts", AlertmanagerPayload.group("alertdesk", "TargetCheck")
        .firing("api-1", startsAt).json(), "Bearer " + WEBHOOK_TOKEN).statusCode())
        .isEqualTo(200);

    await("the graph on the incident").atMost(Duration.ofSeconds(30))
        .until(() -> prometheusGraphs(client).size() == 1);
    JsonNode graph = prometheusGraphs(client).get(0);
    assertThat(graph.path("title").asText()).isEqualTo("Prometheus: up (while firing)");
    HttpResponse<String> png = client.get(graph.path("url").asText());
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(storedCharts()).hasSize(1);
    assertThat(Files.readAllBytes(storedCharts().get(0)))
        .startsWith(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    String page = client.get("/incidents/1").body();
    assertThat(page).contains("<img src=\"" + graph.path("url").asText() + "\"")
        .contains("Prometheus: up (while firing)");

    // Resolved: the recovery is drawn as well, still without Slack.
    assertThat(client.post("/api/alerts", AlertmanagerPayload.group("alertdesk", "TargetCheck")
        .resolved("api-1", startsAt, Instant.now()).json(), "Bearer " + WEBHOOK_TOKEN)
        .statusCode()).isEqualTo(200);
    await("the recovery graph").atMost(Duration.ofSeconds(30))
        .until(() -> prometheusGraphs(client).size() == 2);
    assertThat(prometheusGraphs(client).get(1).path("title").asText())
        .isEqualTo("Prometheus: up (after resolution)");
    assertThat(app.metrics().find("alertdesk_graph_render").timer().count()).isEqualTo(2);
  }

  @Test
  void withSlackOnTheThreadGetsTheStoredGraphUploadedExactlyOnce() throws Exception {
    slack = new SlackStandIn();
    app = Application.start(Settings.load(slackEnv(null)), Clock.systemUTC());
    AlertdeskClient client = new AlertdeskClient(app.port());
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    assertThat(client.post("/api/alerts", AlertmanagerPayload.group("alertdesk", "TargetCheck")
        .firing("api-1", startsAt).json(), "Bearer " + WEBHOOK_TOKEN).statusCode())
        .isEqualTo(200);

    await("the graph in the thread").atMost(Duration.ofSeconds(30))
        .until(() -> slack.uploads().size() == 1);
    String parentTs = slack.parentPosts().get(0).answeredTs();
    await("the outbox drained").atMost(Duration.ofSeconds(10)).until(() ->
        client.getJson("/api/status").path("sections").path("outbox").path("details")
            .path("pending").asInt() == 0);
    assertThat(slack.uploadsInThread(parentTs)).hasSize(1);
    assertThat(storedCharts()).hasSize(1);
    assertThat(slack.uploads().get(0).bytes()).isEqualTo(Files.readAllBytes(storedCharts().get(0)));
    assertThat(app.metrics().find("alertdesk_graph_render").timer().count()).isEqualTo(1);
    assertThat(prometheusGraphs(client)).hasSize(1);
  }

  @Test
  void withNotifyAfterDelayingThePostTheGraphIsRenderedAtOpenAndUploadedOnceWithThePost()
      throws Exception {
    slack = new SlackStandIn();
    Path config = storage.resolve("alertdesk.yml");
    Files.writeString(config, "noise:\n  notify_after: {min_firing: 40s}\n");
    app = Application.start(Settings.load(slackEnv(config)), Clock.systemUTC());
    AlertdeskClient client = new AlertdeskClient(app.port());
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    assertThat(client.post("/api/alerts", AlertmanagerPayload.group("alertdesk", "TargetCheck")
        .firing("api-1", startsAt).json(), "Bearer " + WEBHOOK_TOKEN).statusCode())
        .isEqualTo(200);

    await("the graph on the incident").atMost(Duration.ofSeconds(8))
        .until(() -> prometheusGraphs(client).size() == 1);
    assertThat(slack.parentPosts()).as("notify_after holds the post until startsAt + 40 s")
        .isEmpty();
    List<Path> atOpen = storedCharts();
    assertThat(atOpen).hasSize(1);

    await("the delayed post and its graph").atMost(Duration.ofSeconds(40))
        .until(() -> slack.uploads().size() == 1);
    Upload upload = slack.uploads().get(0);
    assertThat(upload.bytes()).isEqualTo(Files.readAllBytes(atOpen.get(0)));
    assertThat(storedCharts()).isEqualTo(atOpen);
    assertThat(app.metrics().find("alertdesk_graph_render").timer().count()).isEqualTo(1);
  }

  private Map<String, String> slackEnv(Path config) {
    Map<String, String> env = env();
    env.put("SLACK_BOT_TOKEN", "xoxb-charts-it");
    env.put("SLACK_CHANNEL", "#alerts");
    env.put("SLACK_API_URL", slack.apiUrl());
    if (config != null) {
      env.put("CONFIG_FILE", config.toString());
    }
    return env;
  }

  /** The graphs of incident 1 drawn from Prometheus (not its built-in activity chart). */
  private static List<JsonNode> prometheusGraphs(AlertdeskClient client) {
    List<JsonNode> graphs = new java.util.ArrayList<>();
    for (JsonNode g : client.getJson("/api/incidents/1").path("graphs")) {
      if (g.path("title").asText().startsWith("Prometheus: ")) {
        graphs.add(g);
      }
    }
    return graphs;
  }

  private List<Path> storedCharts() throws Exception {
    Path dir = storage.resolve("charts");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
    }
  }
}
