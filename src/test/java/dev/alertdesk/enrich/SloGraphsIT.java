package dev.alertdesk.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.graph.TimeSeries;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.MetricsExporter;
import dev.alertdesk.testing.PrometheusProcess;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import dev.alertdesk.testing.SlackStandIn.Upload;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SLO-aware graphs with the whole chain real: a test exporter serving Autometrics-shaped metrics
 * (spec names {@code function_calls_total}, {@code function_calls_duration_seconds_bucket},
 * {@code build_info}), a real Prometheus 2.42 evaluating Sloth-style rules of the shape
 * Autometrics ships ({@code src/test/resources/prometheus/autometrics-slo-rules.yml}: SLI
 * recordings {@code slo:sli_error:ratio_rate5m} … {@code 30d}, meta recordings and multi-window
 * burn-rate alerts), a real Alertmanager 0.25 grouping by
 * {@code [alertname, objective_name, sloth_slo]}, and the Slack stand-in.
 *
 * <p>The exporter's counters grow linearly, so every rate ratio is exact and the figures are
 * computed by hand: {@code list_animals} succeeds 49 of 50 calls a second and {@code get_animal}
 * 10 of 10, so its success rate is 98 % and the SLO's error ratio 1/60 = 1.67 % against a 1 %
 * budget: burn 1.67×, error budget left 1 − 1.67 = −66.7 %, and of the ticket alert's conditions
 * (3× over 2h and 1d, 1× over 6h and 3d) the second holds. Latency: of 50 calls a second 40 are
 * under 0.1 s, 47.5 under 0.25 s and all under 0.5 s, so p99 lies at rank 49.5, in the
 * (0.25, 0.5] bucket: 0.25 + 0.25 × 2 / 2.5 = 0.45 s; 5 % are slower than the 0.25 s
 * threshold: burn 5×, budget left −400 %, and the first ticket condition (3×) holds, while the
 * page alert's (6× and 14.4×) do not.
 */
class SloGraphsIT {
  private static final String WEBHOOK_TOKEN = "slo-graphs-it";

  @TempDir Path storage;

  private SlackStandIn slack;
  private MetricsExporter exporter;
  private PrometheusProcess prometheus;
  private AlertmanagerProcess alertmanager;
  private Application app;

  @AfterEach
  void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (app != null) {
      app.close();
    }
    if (exporter != null) {
      exporter.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  /** Autometrics-shaped metrics whose counters grow linearly with the time since start. */
  private static MetricsExporter autometricsExporter() throws IOException {
    long start = System.nanoTime();
    return MetricsExporter.start(() -> {
      double t = 1 + (System.nanoTime() - start) / 1e9;
      String slo = "objective_name=\"api\",objective_percentile=\"99\",service_name=\"animals\"";
      String list = "function=\"list_animals\",module=\"animals\",caller_function=\"\","
          + "caller_module=\"\"," + slo;
      String get = "function=\"get_animal\",module=\"animals\",caller_function=\"\","
          + "caller_module=\"\"," + slo;
      String latency = "function=\"list_animals\",module=\"animals\","
          + "objective_latency_threshold=\"0.25\"," + slo;
      String body = "# TYPE function_calls_total counter\n"
          + "function_calls_total{" + list + ",result=\"ok\"} " + 49 * t + "\n"
          + "function_calls_total{" + list + ",result=\"error\"} " + 1 * t + "\n"
          + "function_calls_total{" + get + ",result=\"ok\"} " + 10 * t + "\n"
          + "# TYPE function_calls_duration_seconds histogram\n"
          + "function_calls_duration_seconds_bucket{" + latency + ",le=\"0.1\"} " + 40 * t + "\n"
          + "function_calls_duration_seconds_bucket{" + latency + ",le=\"0.25\"} " + 47.5 * t + "\n"
          + "function_calls_duration_seconds_bucket{" + latency + ",le=\"0.5\"} " + 50 * t + "\n"
          + "function_calls_duration_seconds_bucket{" + latency + ",le=\"+Inf\"} " + 50 * t + "\n"
          + "function_calls_duration_seconds_sum{" + latency + "} " + 10 * t + "\n"
          + "function_calls_duration_seconds_count{" + latency + "} " + 50 * t + "\n"
          + "# TYPE build_info gauge\n"
          + "build_info{version=\"1.4.2\",commit=\"a1b2c3d\",branch=\"main\","
          + "service_name=\"animals\"} 1\n";
      return body;
    });
  }

  @Test
  void autometricsSloAlertsGetTheirSuccessRateAndLatencyGraphsBudgetAndBurnRate()
      throws Exception {
    slack = new SlackStandIn();
    exporter = autometricsExporter();
    prometheus = PrometheusProcess.start("SloGraphsIT", "/prometheus/autometrics-slo-rules.yml",
        null, exporter.target());
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-slo",
        "SLACK_CHANNEL", "#slo",
        "SLACK_API_URL", slack.apiUrl(),
        "WEBHOOK_BEARER_TOKEN", WEBHOOK_TOKEN,
        "PROMETHEUS_URL", prometheus.url(),
        "GRAPH_TIME_ZONE", "UTC"));
    app = Application.start(Settings.load(env), Clock.systemUTC());
    alertmanager = AlertmanagerProcess.start("SloGraphsIT", AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:" + app.port() + "/api/alerts")
        .withBearerToken(WEBHOOK_TOKEN)
        .withGroupBy("alertname", "objective_name", "sloth_slo")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1)));
    prometheus.sendAlertsTo(alertmanager.url());

    try {
      await("both SLO alerts posted").atMost(Duration.ofSeconds(90))
          .until(() -> slack.parentPosts().size() >= 2);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("Prometheus alerts: " + prometheus.alertsJson()
          + "\nPrometheus log:\n" + prometheus.logTail(15), e);
    }
    String successParent = parent("High Error Rate SLO");
    String latencyParent = parent("High Latency SLO");

    assertThat(successParent)
        .contains("Success rate now: 98 % (lowest: animals.list_animals) · objective 99 %")
        .contains("error budget left: -66.7 % of 30 d")
        .contains("burning 1× the budget (6h: 1.67×, 3d: 1.67×)");
    assertThat(latencyParent)
        .contains("p99 latency now: 450 ms (highest: animals.list_animals) · objective 99 % "
            + "within 250 ms")
        .contains("error budget left: -400 % of 30 d")
        .contains("burning 3× the budget (2h: 5×, 1d: 5×)");

    await("both graphs").atMost(Duration.ofSeconds(30)).until(() -> slack.uploads().size() >= 2);
    assertThat(slack.uploads()).extracting(Upload::initialComment)
        .anySatisfy(c -> assertThat(c).isEqualTo("animals · api · success rate (objective 99 %)"))
        .anySatisfy(c -> assertThat(c)
            .isEqualTo("animals · api · latency p99 (objective 99 % within 250 ms)"));

    java.nio.file.Path kept = java.nio.file.Path.of("target", "charts-it");
    java.nio.file.Files.createDirectories(kept);
    for (Upload u : slack.uploads()) {
      assertThat(u.bytes()).startsWith(0x89, 'P', 'N', 'G');
      // Kept for a look at what Slack received.
      java.nio.file.Files.write(kept.resolve("slo-" + u.filename()), u.bytes());
    }

    // The chart queries as stored, run again: per function and module, with build_info's
    // version and commit, in the units drawn (a ratio shown in %, seconds).
    Map<String, String> stored = storedChartQueries();
    String successQuery = stored.values().stream().filter(q -> q.contains("result=\"ok\""))
        .findFirst().orElseThrow();
    String latencyQuery = stored.values().stream().filter(q -> q.startsWith("histogram_quantile"))
        .findFirst().orElseThrow();
    PrometheusClient client = new PrometheusClient(prometheus.url(), Duration.ofSeconds(5),
        Clock.systemUTC(), new SimpleMeterRegistry());
    List<TimeSeries> rates = client.query(successQuery);
    assertThat(rates).hasSize(2);
    for (TimeSeries s : rates) {
      assertThat(s.labels()).containsEntry("version", "1.4.2").containsEntry("commit", "a1b2c3d")
          .containsEntry("module", "animals");
      assertThat(s.values()[0]).isCloseTo(s.labels().get("function").equals("list_animals")
          ? 0.98 : 1.0, org.assertj.core.data.Offset.offset(1e-9));
    }
    List<TimeSeries> latencies = client.query(latencyQuery);
    assertThat(latencies).singleElement().satisfies(s -> {
      assertThat(s.labels()).containsEntry("objective_latency_threshold", "0.25")
          .containsEntry("version", "1.4.2");
      assertThat(s.values()[0]).isCloseTo(0.45, org.assertj.core.data.Offset.offset(1e-9));
    });
  }

  private String parent(String alertname) {
    return slack.parentPosts().stream().map(c -> c.param("attachments"))
        .filter(a -> a.contains(alertname)).findFirst()
        .orElseThrow(() -> new AssertionError("no parent for " + alertname + " in "
            + slack.parentPosts().stream().map(Call::params).toList()));
  }

  private Map<String, String> storedChartQueries() throws Exception {
    Map<String, String> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
        + storage.resolve("alertdesk.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, query FROM chart")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }
}
