package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.PrometheusProcess;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.SlackStandIn;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes the service's {@code /metrics} (so Prometheus's own parser reads the
 * exposition) after a scripted run: an incident with a graph opens, is acknowledged and
 * resolves, and one without a query opens. Every metric the README lists is then queried back
 * from Prometheus and must read a true value.
 */
class MetricsScrapeIT {
  private static final String WEBHOOK_TOKEN = "metrics-webhook-token";
  private static final String SIGNING_SECRET = "metrics-signing-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path storage;

  private SlackStandIn slack;
  private PrometheusProcess prometheus;
  private Application app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  @Test
  void everyMetricTheReadmeListsReadsATrueValueWhenPrometheusScrapesIt() throws Exception {
    slack = new SlackStandIn();
    int port;
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    prometheus = PrometheusProcess.start("MetricsScrapeIT", "/prometheus/rules.yml", null,
        "127.0.0.1:" + port);
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", String.valueOf(port),
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-metrics",
        "SLACK_SIGNING_SECRET", SIGNING_SECRET,
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "WEBHOOK_BEARER_TOKEN", WEBHOOK_TOKEN,
        "PROMETHEUS_URL", prometheus.url(),
        "GRAPH_LOOKBACK", "5m"));
    app = Application.start(Settings.load(env), Clock.systemUTC());
    AlertdeskClient client = new AlertdeskClient(app.port());
    await("Prometheus scraped itself a few times").atMost(Duration.ofSeconds(30)).until(() ->
        prometheus.get("/api/v1/query?query=count_over_time(up%5B1m%5D)%3E3")
            .contains("\"value\""));

    // An incident with a query (generatorURL g0.expr=up): value, graph, upload.
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    AlertmanagerPayload group = AlertmanagerPayload.group("alertdesk", "TargetCheck");
    post(client, group.firing("api-1", startsAt).json());
    await("the parent and its graph").atMost(Duration.ofSeconds(20))
        .until(() -> !slack.uploads().isEmpty());
    String parentTs = slack.parentPosts().get(0).answeredTs();
    new SlackRequests(client.baseUrl(), SIGNING_SECRET).sendInteraction(
        SlackRequests.blockActions("U1", "alice", IncidentActionBlocks.ACKNOWLEDGE, "1", false,
            "1700000000.000100", slack.responseUrl(), parentTs));
    await("the acknowledgement").atMost(Duration.ofSeconds(20)).until(() -> slack.threadReplies(
        parentTs).stream().anyMatch(c -> c.param("text").contains("Acknowledged by")));
    post(client, AlertmanagerPayload.group("alertdesk", "TargetCheck")
        .resolved("api-1", startsAt, Instant.now()).json());
    // An incident without a query: "No query to graph".
    post(client, WebhookHttpIT.firing("{}:{alertname=\"NoQuery\"}", "NoQuery", "node-1"));
    await("everything delivered").atMost(Duration.ofSeconds(30)).until(() ->
        client.getJson("/api/status").path("sections").path("outbox").path("details")
            .path("pending").asInt() == 0 && slack.uploads().size() == 2);
    await("Prometheus scraped the final state").atMost(Duration.ofSeconds(20)).until(() ->
        value("alertdesk_incidents_resolved_total") == 1.0
            && value("alertdesk_outbox_depth") == 0.0
            && value("alertdesk_slack_uploads_total{outcome=\"delivered\"}") == 2.0);

    assertThat(value("alertdesk_notifications_received_total{outcome=\"opened\"}")).isEqualTo(2);
    assertThat(value("alertdesk_notifications_received_total{outcome=\"resolved\"}"))
        .isEqualTo(1);
    assertThat(value("alertdesk_alerts_ingested_total")).isEqualTo(3);
    assertThat(value("alertdesk_incidents_opened_total")).isEqualTo(2);
    assertThat(value("alertdesk_incidents_resolved_total")).isEqualTo(1);
    assertThat(value("sum(alertdesk_slack_calls_total{method=\"chat.postMessage\","
        + "outcome=\"delivered\"})")).isGreaterThanOrEqualTo(4);
    assertThat(value("alertdesk_outbox_depth")).isZero();
    assertThat(value("alertdesk_outbox_oldest_job_age_seconds")).as("empty outbox").isZero();
    assertThat(value("alertdesk_webhook_duration_seconds_count")).isEqualTo(3);
    assertThat(value("alertdesk_webhook_duration_seconds_bucket{le=\"+Inf\"}")).isEqualTo(3);
    double mtta = value("alertdesk_time_to_acknowledge_seconds_sum");
    assertThat(value("alertdesk_time_to_acknowledge_seconds_count")).isEqualTo(1);
    assertThat(mtta).as("from startsAt, 30 s or more ago").isGreaterThanOrEqualTo(30);
    assertThat(value("alertdesk_time_to_acknowledge_seconds_max")).isEqualTo(mtta);
    assertThat(value("sum(alertdesk_prometheus_queries_total{outcome=\"success\"})"))
        .isGreaterThanOrEqualTo(2);
    assertThat(value("alertdesk_graph_render_seconds_count")).isEqualTo(2);
    assertThat(value("alertdesk_slack_uploads_total{outcome=\"delivered\"}")).isEqualTo(2);
    assertThat(value("alertdesk_enrichment_degraded_total{reason=\"no_query\"}")).isEqualTo(1);
  }

  private static void post(AlertdeskClient client, String body) {
    assertThat(client.post("/api/alerts", body, "Bearer " + WEBHOOK_TOKEN).statusCode())
        .isEqualTo(200);
  }

  /** The value of a one-series PromQL query over the service's scraped metrics; NaN if none. */
  private double value(String promql) throws Exception {
    String expr = promql.contains("{") || promql.startsWith("sum(") ? promql
        : promql + "{job=\"app\"}";
    JsonNode answer = JSON.readTree(prometheus.get("/api/v1/query?query="
        + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
    JsonNode result = answer.path("data").path("result");
    if (result.size() != 1) {
      return Double.NaN;
    }
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }
}
