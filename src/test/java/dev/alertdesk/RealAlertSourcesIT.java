package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.app.Application;
import dev.alertdesk.app.Main;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import io.micrometer.core.instrument.Counter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service fed by real alert sources as a new user would set them up: {@code amtool}, which
 * sends nanosecond {@code startsAt}, through a real Alertmanager repeating itself every few
 * seconds; and an HA pair of real, clustered Alertmanagers, whose second member sends its
 * snapshot of a group one peer timeout after the first.
 */
class RealAlertSourcesIT {
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);
  private static final Pattern NANOS_START =
      Pattern.compile("\"startsAt\":\"[^\"]*\\.\\d{7,9}Z\"");

  @TempDir Path storage;

  private SlackStandIn slack;
  private Application app;
  private final List<AlertmanagerProcess> alertmanagers = new ArrayList<>();

  @AfterEach
  void stop() {
    alertmanagers.forEach(AlertmanagerProcess::close);
    if (app != null) {
      app.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  @Test
  void repeatsOfAnAmtoolAlertWithNanosecondStartsAtNeverReachSlackAndReplayAgrees()
      throws Exception {
    startService();
    AlertmanagerProcess am = AlertmanagerProcess.start("RealAlertSourcesIT-amtool",
        AlertmanagerProcess.Config.webhook("http://127.0.0.1:" + app.port() + "/api/alerts")
            .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(3)));
    alertmanagers.add(am);

    Process amtool = new ProcessBuilder("/usr/bin/amtool", "--alertmanager.url=" + am.url(),
        "alert", "add", "alertname=AmtoolDemo", "severity=warning", "instance=node-1",
        "--annotation=summary=Disk filling up").redirectErrorStream(true).start();
    assertThat(amtool.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(amtool.exitValue())
        .as(new String(amtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

    await("the parent and its graph note").atMost(DELIVERY_TIMEOUT)
        .until(() -> slack.calls().size() >= 2);
    double duplicatesBefore = received("duplicate");
    await("30 s of repeats, and nothing more in Slack").during(Duration.ofSeconds(30))
        .atMost(Duration.ofSeconds(40)).until(() -> slack.calls().size() == 2);

    List<Call> calls = slack.calls();
    assertThat(calls).extracting(Call::method)
        .containsExactly("chat.postMessage", "chat.postMessage");
    assertThat(calls.get(0).param("thread_ts")).isNull();
    assertThat(calls.get(1).param("text")).contains("No query to graph");
    assertThat(received("duplicate") - duplicatesBefore)
        .as("repeat_interval resends seen as duplicates").isGreaterThanOrEqualTo(5);
    assertThat(received("updated")).isZero();

    List<String> payloads = rawNotifications();
    assertThat(payloads.get(0)).as("amtool sends nanoseconds").containsPattern(NANOS_START);
    List<String> files = new ArrayList<>();
    for (int i = 0; i < payloads.size(); i++) {
      Path file = storage.resolve("payload-" + i + ".json");
      Files.writeString(file, payloads.get(i));
      files.add(file.toString());
    }
    StringWriter out = new StringWriter();
    List<String> args = new ArrayList<>(List.of("replay"));
    args.addAll(files);
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute(args.toArray(String[]::new))).isZero();
    List<String> heads = out.toString().lines()
        .filter(l -> l.startsWith("== " + storage)).toList();
    assertThat(heads).hasSize(payloads.size());
    assertThat(heads.get(0)).contains(": opened incident #1");
    assertThat(heads.subList(1, heads.size())).allSatisfy(
        h -> assertThat(h).contains(": duplicate incident #1"));
  }

  @Test
  void aLateFiringCopyFromTheSecondAlertmanagerOfAnHaPairDoesNotReopenTheIncident()
      throws Exception {
    startService();
    Duration peerTimeout = Duration.ofSeconds(3);
    AlertmanagerProcess.Config config = AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:" + app.port() + "/api/alerts")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofHours(1));
    alertmanagers.addAll(AlertmanagerProcess.startPair("RealAlertSourcesIT-ha", config, config,
        peerTimeout));

    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    List<PostableAlert> alerts = new ArrayList<>();
    for (String name : List.of("DiskFull", "HighLatency", "PodCrashLooping")) {
      alerts.add(PostableAlert.firing(Map.of("alertname", name, "instance", "node-1",
          "severity", "warning"), Map.of("summary", name + " on node-1"), startsAt, null));
    }
    // Prometheus sends every alert to every Alertmanager.
    PostableAlert[] firing = alerts.toArray(PostableAlert[]::new);
    alertmanagers.forEach(am -> am.push(firing));
    await("three parents, once the cluster settled").atMost(Duration.ofSeconds(60))
        .until(() -> slack.parentPosts().size() == 3);

    Instant endsAt = Instant.now().minusSeconds(1);
    PostableAlert[] resolved = alerts.stream().map(a -> a.resolvedAt(endsAt))
        .toArray(PostableAlert[]::new);
    alertmanagers.forEach(am -> am.push(resolved));
    await("three resolutions").atMost(DELIVERY_TIMEOUT)
        .until(() -> texts().stream().filter(t -> t.startsWith(":white_check_mark: Resolved"))
            .count() == 3);
    // Both members have had time to send everything they will: the second one sends one peer
    // timeout after the first, once for its stale firing snapshot and once for the resolution.
    await("quiet after the resolutions").during(peerTimeout.multipliedBy(3))
        .atMost(peerTimeout.multipliedBy(5)).until(() -> !texts().stream()
            .anyMatch(t -> t.startsWith(":repeat: Reopened")));

    assertThat(texts()).noneMatch(t -> t.startsWith(":repeat: Reopened"));
    assertThat(texts()).filteredOn(t -> t.startsWith(":white_check_mark: Resolved")).hasSize(3);
    assertThat(slack.parentPosts()).hasSize(3);
    assertThat(received("reopened")).isZero();
    assertThat(received("resolved")).isEqualTo(3);
    assertThat(lateFiringCopies())
        .as("firing copies that arrived after their group resolved, each a duplicate")
        .isNotEmpty().allSatisfy(outcome -> assertThat(outcome).isEqualTo("duplicate"));
  }

  /** Outcomes of firing notifications received after a resolved one of the same group. */
  private List<String> lateFiringCopies() throws Exception {
    List<String> outcomes = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(
            "jdbc:sqlite:" + storage.resolve("alertdesk.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n.outcome FROM notification n WHERE n.status = "
            + "'firing' AND EXISTS (SELECT 1 FROM notification r WHERE r.group_key = n.group_key "
            + "AND r.status = 'resolved' AND r.id < n.id)")) {
      while (rs.next()) {
        outcomes.add(rs.getString(1));
      }
    }
    return outcomes;
  }

  private void startService() throws Exception {
    slack = new SlackStandIn();
    app = Application.start(Settings.load(Map.of(
        "PORT", "0",
        "LISTEN_HOST", "127.0.0.1",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-test",
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "PROMETHEUS_URL", "http://127.0.0.1:1")), Clock.systemUTC());
  }

  private List<String> texts() {
    return slack.calls().stream().map(c -> c.param("text")).filter(t -> t != null).toList();
  }

  /** Notifications the service committed with this outcome, from its own metrics. */
  private double received(String outcome) {
    Counter c = app.metrics().find("alertdesk_notifications_received")
        .tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  /** The webhook bodies as the service stored them, in order of arrival. */
  private List<String> rawNotifications() throws Exception {
    List<String> bodies = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(
            "jdbc:sqlite:" + storage.resolve("alertdesk.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT raw_json FROM notification ORDER BY id")) {
      while (rs.next()) {
        bodies.add(rs.getString(1));
      }
    }
    return bodies;
  }
}
