package dev.alertdesk.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.PrometheusProcess;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import dev.alertdesk.testing.SlackStandIn.Upload;
import io.micrometer.core.instrument.Counter;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.io.ByteArrayInputStream;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graphs and current values with a real Prometheus 2.42 ({@link PrometheusProcess}) that scrapes
 * itself and a gauge the test serves, and fires a rule on that gauge, a real Alertmanager 0.25 sending to the running service, and the
 * Slack stand-in reached through the real SDK upload flow. Also: Prometheus stopped, and an alert
 * without any query.
 */
class PrometheusGraphIT {
  private static final String BOT_TOKEN = "xoxb-graph-it";
  private static final String WEBHOOK_TOKEN = "graph-it-webhook";
  private static final String RULE_SERIES =
      "max by (job, queue) (alertdesk_it_queue_depth{job=\"app\"})";
  private static final Pattern VALUE =
      Pattern.compile("Current value: ([0-9.]+) \\(threshold 10\\)");

  @TempDir Path storage;

  private SlackStandIn slack;
  private PrometheusProcess prometheus;
  private AlertmanagerProcess alertmanager;
  private Application app;
  private HttpServer exporter;
  private final AtomicReference<Double> queueDepth = new AtomicReference<>(3.0);

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.stop(0);
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (app != null) {
      app.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  private Map<String, String> env(String prometheusUrl) {
    return new HashMap<>(Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", BOT_TOKEN,
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "WEBHOOK_BEARER_TOKEN", WEBHOOK_TOKEN,
        "PROMETHEUS_URL", prometheusUrl,
        "GRAPH_LOOKBACK", "5m",
        "GRAPH_TIME_ZONE", "UTC"));
  }

  @Test
  void aRuleFiringInRealPrometheusPutsItsValueOnTheParentAndItsGraphIntoTheThread()
      throws Exception {
    slack = new SlackStandIn();
    exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    exporter.createContext("/metrics", exchange -> {
      byte[] body = ("# TYPE alertdesk_it_queue_depth gauge\n"
          + "alertdesk_it_queue_depth{queue=\"orders\"} " + queueDepth.get() + "\n")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      try (var out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    exporter.start();
    prometheus = PrometheusProcess.start("PrometheusGraphIT", "/prometheus/rules.yml", null,
        "127.0.0.1:" + exporter.getAddress().getPort());
    app = Application.start(Settings.load(env(prometheus.url())), Clock.systemUTC());
    alertmanager = AlertmanagerProcess.start("PrometheusGraphIT", AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:" + app.port() + "/api/alerts")
        .withBearerToken(WEBHOOK_TOKEN)
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1)));
    prometheus.sendAlertsTo(alertmanager.url());
    queueDepth.set(42.0);

    // The parent message carries the current value of the rule's left side and its threshold.
    try {
      await("the parent message").atMost(Duration.ofSeconds(60))
          .until(() -> !slack.parentPosts().isEmpty());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("no parent message; Prometheus alerts: " + prometheus.alertsJson() + "\ntargets: " + prometheus.get("/api/v1/targets")
          + "\nPrometheus log:\n" + prometheus.logTail(15) + "\nAlertmanager log:\n"
          + alertmanager.logTail(15), e);
    }
    Call parent = slack.parentPosts().get(0);
    String parentTs = parent.answeredTs();
    String attachments = parent.param("attachments");
    assertThat(attachments).contains("QueueBacklog");
    Matcher value = VALUE.matcher(attachments);
    assertThat(value.find()).as("value line in %s", attachments).isTrue();
    assertThat(value.group(1)).isEqualTo("42");

    // The graph of the rule's own expression, recovered from generatorURL, lands in the thread
    // as a real PNG through getUploadURLExternal → upload → completeUploadExternal.
    await("the firing graph").atMost(Duration.ofSeconds(30))
        .until(() -> !slack.uploadsInThread(parentTs).isEmpty());
    Upload firing = slack.uploadsInThread(parentTs).get(0);
    assertThat(firing.channelId()).isEqualTo(SlackStandIn.CHANNEL_ID);
    assertThat(firing.filename()).isEqualTo("QueueBacklog-firing.png");
    assertThat(firing.initialComment()).contains("`" + RULE_SERIES + "`")
        .contains("threshold 10");
    assertPng(firing.bytes());
    assertThat(slack.calls()).extracting(Call::method)
        .contains("files.getUploadURLExternal", "files.completeUploadExternal");

    // The same PNG is stored under STORAGE_DIR/charts and served by id; other names are 404.
    List<Path> files;
    try (Stream<Path> list = Files.list(storage.resolve("charts"))) {
      files = list.filter(p -> p.toString().endsWith(".png")).toList();
    }
    assertThat(files).hasSize(1);
    assertThat(Files.readAllBytes(files.get(0))).isEqualTo(firing.bytes());
    AlertdeskClient api = new AlertdeskClient(app.port());
    HttpResponse<String> served = api.get("/api/charts/" + files.get(0).getFileName());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(api.get("/api/charts/0123.png").statusCode()).isEqualTo(404);
    assertThat(api.get("/api/charts/" + "0".repeat(32) + ".png").statusCode()).isEqualTo(404);
    assertThat(api.get("/api/charts/..%2F..%2Falertdesk.db").statusCode()).isEqualTo(404);

    // The condition stops holding: Prometheus resolves the alert, Alertmanager says so, and one
    // more graph shows the recovery.
    queueDepth.set(3.0);
    await("the recovery graph").atMost(Duration.ofSeconds(60))
        .until(() -> slack.uploadsInThread(parentTs).size() >= 2);
    Upload resolved = slack.uploadsInThread(parentTs).get(1);
    assertThat(resolved.filename()).isEqualTo("QueueBacklog-resolved.png");
    assertThat(resolved.initialComment()).startsWith(":white_check_mark: Recovery:");
    assertPng(resolved.bytes());
    assertThat(slack.updates(parentTs)).anySatisfy(u ->
        assertThat(u.param("text")).contains("RESOLVED"));

    // Counted once the SDK call returns, just after the stand-in recorded the upload.
    await("both uploads counted").atMost(Duration.ofSeconds(10))
        .until(() -> counter("alertdesk_slack_uploads", "outcome", "delivered") == 2);
    assertThat(counter("alertdesk_prometheus_queries", "outcome", "success")).isGreaterThan(0);
    assertThat(app.metrics().find("alertdesk_graph_render").timer().count()).isEqualTo(2);
  }

  @Test
  void withPrometheusStoppedTheMessageArrivesPromptlyWithAMetricsUnavailableNote()
      throws Exception {
    slack = new SlackStandIn();
    PrometheusProcess stopped = PrometheusProcess.start("PrometheusGraphIT-stopped",
        "/prometheus/rules.yml", null, null);
    String url = stopped.url();
    stopped.close();
    app = Application.start(Settings.load(env(url)), Clock.systemUTC());
    AlertdeskClient client = new AlertdeskClient(app.port());
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    HttpResponse<String> answer = client.post("/api/alerts",
        AlertmanagerPayload.group("alertdesk", "HighLatency").firing("api-1", startsAt).json(),
        "Bearer " + WEBHOOK_TOKEN);
    assertThat(answer.statusCode()).isEqualTo(200);

    await("the parent message").atMost(Duration.ofSeconds(10))
        .until(() -> !slack.parentPosts().isEmpty());
    Call parent = slack.parentPosts().get(0);
    assertThat(parent.param("attachments"))
        .contains("metrics unavailable: Prometheus unreachable (connection refused)");
    await("the note in the thread").atMost(Duration.ofSeconds(10))
        .until(() -> !slack.threadReplies(parent.answeredTs()).isEmpty());
    assertThat(slack.threadReplies(parent.answeredTs()).get(0).param("text"))
        .contains("metrics unavailable, no graph: Prometheus unreachable");
    assertThat(slack.uploads()).isEmpty();
    assertThat(counter("alertdesk_prometheus_queries", "outcome", "unreachable"))
        .isGreaterThanOrEqualTo(1);
    assertThat(counter("alertdesk_enrichment_degraded", "reason", "metrics_unavailable"))
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void anAlertWithoutAnyQuerySaysSoOnceInTheThread() throws Exception {
    slack = new SlackStandIn();
    prometheus = PrometheusProcess.start("PrometheusGraphIT-noquery", "/prometheus/rules.yml",
        null, null);
    app = Application.start(Settings.load(env(prometheus.url())), Clock.systemUTC());
    AlertdeskClient client = new AlertdeskClient(app.port());
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    String noUrl = "\"generatorURL\":\"http://prometheus.example:9090/graph?g0.expr=up\"";
    AlertmanagerPayload group = AlertmanagerPayload.group("alertdesk", "Watchdog");
    String firing = group.firing("api-1", startsAt).json();
    assertThat(firing).contains(noUrl);
    assertThat(client.post("/api/alerts", firing.replace(noUrl, "\"generatorURL\":\"\""),
        "Bearer " + WEBHOOK_TOKEN).statusCode()).isEqualTo(200);
    await("the parent message").atMost(Duration.ofSeconds(10))
        .until(() -> !slack.parentPosts().isEmpty());
    String parentTs = slack.parentPosts().get(0).answeredTs();
    await("the note").atMost(Duration.ofSeconds(10))
        .until(() -> !slack.threadReplies(parentTs).isEmpty());
    assertThat(slack.threadReplies(parentTs).get(0).param("text")).contains("No query to graph");
    assertThat(slack.parentPosts().get(0).param("attachments")).doesNotContain("Current value")
        .doesNotContain("metrics unavailable");

    String resolved = AlertmanagerPayload.group("alertdesk", "Watchdog")
        .resolved("api-1", startsAt, Instant.now().minusSeconds(1)).json();
    assertThat(client.post("/api/alerts", resolved.replace(noUrl, "\"generatorURL\":\"\""),
        "Bearer " + WEBHOOK_TOKEN).statusCode()).isEqualTo(200);
    await("the resolution").atMost(Duration.ofSeconds(10))
        .until(() -> slack.threadReplies(parentTs).size() >= 2);
    await("nothing more").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> slack.threadReplies(parentTs).size() == 2);
    assertThat(slack.threadReplies(parentTs)).filteredOn(c -> c.param("text")
        .contains("No query to graph")).hasSize(1);
    assertThat(slack.uploads()).isEmpty();
    assertThat(counter("alertdesk_prometheus_queries", "outcome", "success")).isZero();
  }

  @Test
  void withImageDeliveryByUrlTheParentAndTheThreadShowImageBlocksServedByTheService()
      throws Exception {
    slack = new SlackStandIn();
    prometheus = PrometheusProcess.start("PrometheusGraphIT-url", "/prometheus/rules.yml", null,
        null);
    Map<String, String> env = env(prometheus.url());
    env.put("IMAGE_DELIVERY", "url");
    env.put("BASE_URL", "https://alertdesk.example.com/");
    app = Application.start(Settings.load(env), Clock.systemUTC());
    awaitSelfScrapes();
    AlertdeskClient client = new AlertdeskClient(app.port());
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    // The payload's generatorURL holds g0.expr=up.
    assertThat(client.post("/api/alerts", AlertmanagerPayload.group("alertdesk", "TargetCheck")
        .firing("api-1", startsAt).json(), "Bearer " + WEBHOOK_TOKEN).statusCode()).isEqualTo(200);

    await("the parent message").atMost(Duration.ofSeconds(20))
        .until(() -> !slack.parentPosts().isEmpty());
    Call parent = slack.parentPosts().get(0);
    Pattern image = Pattern.compile(
        "\"image_url\":\"https://alertdesk.example.com/api/charts/([0-9a-f]{32})\\.png\"");
    Matcher inParent = image.matcher(parent.param("attachments"));
    assertThat(inParent.find()).as(parent.param("attachments")).isTrue();
    assertThat(parent.param("attachments")).contains("Current value: 1");
    HttpResponse<String> served = client.get("/api/charts/" + inParent.group(1) + ".png");
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");

    String parentTs = parent.answeredTs();
    await("the graph in the thread").atMost(Duration.ofSeconds(20))
        .until(() -> !slack.threadReplies(parentTs).isEmpty());
    Matcher inThread = image.matcher(slack.threadReplies(parentTs).get(0).param("blocks"));
    assertThat(inThread.find()).isTrue();
    assertThat(client.get("/api/charts/" + inThread.group(1) + ".png").statusCode())
        .isEqualTo(200);
    assertThat(slack.uploads()).isEmpty();
  }

  @Test
  void withoutFilesWriteAndWithBaseUrlGraphsGoAsImageBlocksAsTheSlackAppSendsThem()
      throws Exception {
    slack = new SlackStandIn();
    slack.refuse("files.getUploadURLExternal", "missing_scope");
    prometheus = PrometheusProcess.start("PrometheusGraphIT-scope", "/prometheus/rules.yml", null,
        null);
    Map<String, String> env = env(prometheus.url());
    env.put("BASE_URL", "https://alertdesk.example.com");
    app = Application.start(Settings.load(env), Clock.systemUTC());
    awaitSelfScrapes();
    AlertdeskClient client = new AlertdeskClient(app.port());
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    assertThat(client.post("/api/alerts", AlertmanagerPayload.group("alertdesk", "ChatWriteOnly")
        .firing("api-1", startsAt).json(), "Bearer " + WEBHOOK_TOKEN).statusCode()).isEqualTo(200);

    await("the parent message").atMost(Duration.ofSeconds(20))
        .until(() -> !slack.parentPosts().isEmpty());
    String parentTs = slack.parentPosts().get(0).answeredTs();
    await("the graph in the thread").atMost(Duration.ofSeconds(20))
        .until(() -> !slack.threadReplies(parentTs).isEmpty());
    Matcher inThread = Pattern.compile(
        "\"image_url\":\"https://alertdesk.example.com/api/charts/([0-9a-f]{32})\\.png\"")
        .matcher(slack.threadReplies(parentTs).get(0).param("blocks"));
    assertThat(inThread.find()).as(slack.threadReplies(parentTs).get(0).param("blocks")).isTrue();
    assertThat(client.get("/api/charts/" + inThread.group(1) + ".png").statusCode())
        .isEqualTo(200);
    assertThat(slack.uploads()).isEmpty();
    assertThat(slack.calls()).filteredOn(c -> c.method().equals("files.getUploadURLExternal"))
        .hasSize(1);
  }

  /** A few seconds of samples, so a graph's range (aligned to whole steps) holds some. */
  private void awaitSelfScrapes() {
    await("Prometheus scraped itself").atMost(Duration.ofSeconds(30)).until(() ->
        prometheus.get("/api/v1/query?query=count_over_time(up%5B1m%5D)%3E3")
            .contains("\"value\""));
  }

  private double counter(String name, String tag, String value) {
    Counter c = app.metrics().find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  private static void assertPng(byte[] bytes) throws Exception {
    // Kept for a look at what Slack received: target/charts-it/<n>.png
    Path dir = Path.of("target", "charts-it");
    Files.createDirectories(dir);
    Files.write(dir.resolve(System.nanoTime() + ".png"), bytes);
    assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    assertThat(image.getWidth()).isEqualTo(1000);
    assertThat(image.getHeight()).isEqualTo(400);
  }
}
