package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertdeskJarProcess;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.SlackAppDatabase;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop-in for the autometrics slack-app, tried as a user would: {@code target/alertdesk.jar}
 * started with the slack-app's environment verbatim ({@code DB_CONNECTION_STRING} in its
 * {@code sqlite:///…?mode=rwc} form on its existing database, {@code BASE_URL=""},
 * {@code RUST_LOG}, {@code EXPLORER_URL}, {@code PROMETHEUS_URL} with a path), apart from the
 * port and the Slack stand-in. The database holds the slack-app's real schema and rows.
 */
class SlackAppDropInIT {
  private static final String FIRING_TS = "1764838800.000100";
  private static final Map<String, String> SLO_LABELS = Map.of(
      "alertname", "High Error Rate SLO - 99%",
      "category", "success-rate",
      "objective_name", "Animal API success rate",
      "objective_percentile", "99",
      "service_name", "autometrics",
      "severity", "page",
      "sloth_id", "autometrics-success-rate-99",
      "sloth_service", "autometrics",
      "sloth_severity", "page",
      "sloth_slo", "success-rate-99");

  @TempDir Path data;

  private SlackStandIn slack;
  private AlertdeskJarProcess jar;

  @AfterEach
  void stop() {
    if (jar != null) {
      jar.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  @Test
  void startsOnTheSlackAppDatabaseServesItsEndpointsAndUpdatesTheMessageOfAnAlertStillFiring()
      throws Exception {
    slack = new SlackStandIn();
    SlackAppDatabase db = SlackAppDatabase.create(data.resolve("slack-app.db"));
    String firingFingerprint = new Labels(SLO_LABELS).fingerprint();
    String chartFile = "2026-12-04T09:00:00Z-success-rate-99.png";
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3};
    Files.write(data.resolve(chartFile), png);
    long firingId = db.insert(firingFingerprint, false, SlackStandIn.CHANNEL_ID, FIRING_TS,
        chartFile, "success-rate-99", "Animal API success rate", "page");
    long resolvedId = db.insert("0123456789abcdef", true, SlackStandIn.CHANNEL_ID,
        "1764830000.000200", null, "latency-99", "Animal API latency", "ticket");
    List<String> alertsBefore = db.dump("alerts");
    List<String> migrationsBefore = db.dump("_sqlx_migrations");

    int port = AlertdeskJarProcess.freePort();
    Map<String, String> env = new HashMap<>();
    // The slack-app's documented environment, verbatim but for the port and the Slack API.
    env.put("DB_CONNECTION_STRING", "sqlite://" + data.resolve("slack-app.db") + "?mode=rwc");
    env.put("STORAGE_DIR", data.toString());
    env.put("SLACK_CHANNEL", SlackStandIn.CHANNEL_ID);
    env.put("SLACK_BOT_TOKEN", "xoxb-drop-in");
    env.put("PROMETHEUS_URL", "http://127.0.0.1:1/prometheus");
    env.put("EXPLORER_URL", "http://localhost:6789");
    env.put("BASE_URL", "");
    env.put("RUST_LOG", "info");
    env.put("LISTEN_HOST", "127.0.0.1");
    env.put("PORT", String.valueOf(port));
    env.put("SLACK_API_URL", slack.apiUrl());
    jar = AlertdeskJarProcess.start("SlackAppDropInIT", port, env);
    assertThat(jar.log()).contains("autometrics slack-app tables found")
        .contains("Imported 2 alerts rows");

    // Its probes and its old messages' images.
    HttpClient http = HttpClient.newHttpClient();
    assertThat(get(http, "/healthz").statusCode()).isEqualTo(200);
    HttpResponse<byte[]> chart = get(http, "/api/chart/" + firingId);
    assertThat(chart.statusCode()).isEqualTo(200);
    assertThat(chart.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(chart.body()).isEqualTo(png);
    assertThat(get(http, "/api/chart/" + resolvedId).statusCode()).isEqualTo(404);
    assertThat(get(http, "/api/chart/999").statusCode()).isEqualTo(404);
    assertThat(get(http, "/api/chart/..%2Fslack-app.db").statusCode()).isEqualTo(404);
    assertThat(get(http, "/api/chart/-1").statusCode()).isEqualTo(404);

    // The alert still firing at cut-over updates the slack-app's message; nothing new is posted.
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
    String payload = AlertmanagerPayload.group("autometrics-slack-app", SLO_LABELS.get("alertname"))
        .generatorUrl("http://f595df28f66e:9090/graph?g0.expr=%28max+without+%28sloth_window%29"
            + "+%28slo%3Asli_error%3Aratio_rate5m%7Bsloth_id%3D%22autometrics-success-rate-99%22"
            + "%7D+%3E+%2814.4+%2A+0.01%29%29%29&g0.tab=1")
        .alert("firing", SLO_LABELS, startsAt, null).json();
    assertThat(new AlertdeskClient(port).post("/api/alerts", payload, null).statusCode())
        .isEqualTo(200);
    await("the slack-app's message updated").atMost(Duration.ofSeconds(30))
        .until(() -> !slack.updates(FIRING_TS).isEmpty());
    Call update = slack.updates(FIRING_TS).get(0);
    assertThat(update.param("channel")).isEqualTo(SlackStandIn.CHANNEL_ID);
    assertThat(update.param("attachments")).contains("High Error Rate SLO")
        .contains("Open in Explorer")
        .contains("http://localhost:6789?prometheusUrl=http%3A%2F%2F127.0.0.1%3A1%2Fprometheus"
            + "#/slos/Animal%20API%20success%20rate/successRate?from=");
    assertThat(slack.parentPosts()).isEmpty();
    // The graph attempt went to PROMETHEUS_URL with its path kept, and said it failed.
    await("the thread note").atMost(Duration.ofSeconds(30))
        .until(() -> !slack.threadReplies(FIRING_TS).isEmpty());
    assertThat(slack.threadReplies(FIRING_TS).get(0).param("text"))
        .contains("metrics unavailable");

    // The slack-app's tables are untouched; Alertdesk's sit beside them.
    jar.close();
    jar = null;
    assertThat(db.dump("alerts")).isEqualTo(alertsBefore);
    assertThat(db.dump("_sqlx_migrations")).isEqualTo(migrationsBefore);
    assertThat(db.tables()).contains("alerts", "_sqlx_migrations", "flyway_schema_history",
        "incident", "slack_app_alert");
  }

  private HttpResponse<byte[]> get(HttpClient http, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(jar.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
