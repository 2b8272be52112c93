package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.NoiseConfig;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Noise control end to end: a real Alertmanager fed through its API sends its webhook to the
 * running service configured with {@code routes} and {@code noise}, which drives the Slack
 * stand-in through the real Slack SDK.
 */
class NoiseEndToEndIT {
  private static final int STORM_GROUPS = 200;
  private static final int MAX_NEW_INCIDENTS = 10;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path storage;

  private SlackStandIn slack;
  private Application app;
  private AlertmanagerProcess alertmanager;
  private AlertdeskClient client;

  @AfterEach
  void stop() {
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

  private void start(String config, String label, String... groupBy) throws Exception {
    slack = new SlackStandIn();
    Path file = storage.resolve("alertdesk.yml");
    Files.writeString(file, config);
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-test",
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "CONFIG_FILE", file.toString()));
    Settings settings = Settings.load(env);
    app = Application.start(settings, NoiseConfig.load(settings.configFile(), env),
        Clock.systemUTC());
    client = new AlertdeskClient(app.port());
    alertmanager = AlertmanagerProcess.start(label, AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:" + app.port() + "/api/alerts")
        .withGroupBy(groupBy)
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1)));
  }

  private static PostableAlert alert(Instant startsAt, String... labels) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      map.put(labels[i], labels[i + 1]);
    }
    return PostableAlert.firing(map, Map.of("summary", "test"), startsAt, null);
  }

  private long incidentTotal() {
    return client.getJson("/api/incidents?limit=1").get("total").asLong();
  }

  @Test
  void aBurstOf200AlertGroupsIsAtMostMaxNewIncidentsParentsPlusOneStormMessage() throws Exception {
    start("noise:\n  storm: {window: 1m, max_new_incidents: " + MAX_NEW_INCIDENTS + "}\n",
        "NoiseStormIT", "alertname", "instance");
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10);
    List<PostableAlert> alerts = new ArrayList<>();
    for (int i = 0; i < STORM_GROUPS; i++) {
      alerts.add(alert(startsAt, "alertname", i % 2 == 0 ? "NodeDown" : "DnsFailures",
          "instance", "node-" + i, "severity", "critical"));
    }
    for (int from = 0; from < STORM_GROUPS; from += 50) {
      alertmanager.push(alerts.subList(from, from + 50).toArray(PostableAlert[]::new));
    }

    await("all 200 incidents in history").atMost(TIMEOUT)
        .until(() -> incidentTotal() == STORM_GROUPS);
    await("the storm message listing every rolled-up incident").atMost(TIMEOUT)
        .until(() -> stormText().contains((STORM_GROUPS - MAX_NEW_INCIDENTS) + " incidents"));

    // Messages are composed when sent, so the storm message can count every rolled-up incident
    // while the last parents still wait for the channel's rate limit: wait for them too.
    await("the posted incidents' parents and the storm message").atMost(TIMEOUT)
        .until(() -> slack.parentPosts().size() >= MAX_NEW_INCIDENTS + 1);
    List<Call> parents = slack.parentPosts();
    assertThat(parents).hasSize(MAX_NEW_INCIDENTS + 1);
    assertThat(parents.stream().filter(c -> c.param("text").contains("Alert storm"))).hasSize(1);
    // Apart from the parents, only replies in the threads of the posted incidents (their graph
    // or "no query to graph" note): nothing is said in the storm message's thread.
    String stormTs = parents.stream().filter(c -> c.param("text").contains("Alert storm"))
        .findFirst().orElseThrow().answeredTs();
    assertThat(slack.threadReplies(stormTs)).isEmpty();
    for (long id = 1; id <= STORM_GROUPS; id++) {
      JsonNode detail = client.getJson("/api/incidents/" + id);
      assertThat(detail.get("slack_messages")).as("incident %s is reachable from a message", id)
          .isNotEmpty();
    }
    JsonNode rolled = client.getJson("/api/incidents/" + STORM_GROUPS);
    assertThat(rolled.get("timeline").toString()).contains("\"kind\":\"rolled_up\"")
        .contains("\"reason\":\"storm\"");
  }

  /** The text of the storm message as last sent (its post or its newest update). */
  private String stormText() {
    List<Call> storm = slack.parentPosts().stream()
        .filter(c -> c.param("text").contains("Alert storm")).toList();
    if (storm.isEmpty()) {
      return "";
    }
    List<Call> updates = slack.updates(storm.get(0).answeredTs());
    return (updates.isEmpty() ? storm.get(0) : updates.get(updates.size() - 1)).param("text");
  }

  @Test
  void twoRoutesSendToTwoChannelsAndACorrelatedAlertRepliesInTheExistingThread()
      throws Exception {
    start("""
        routes:
          - matchers: ['team="payments"']
            channel: "#payments"
            mention: "<!subteam^S0PAY>"
          - matchers: ['team="search"']
            channel: "#search"
          - matchers: ['severity="info"']
            slack: false
        noise:
          correlate_by: [namespace, deployment]
        """, "NoiseRoutesIT", "alertname");
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10);

    alertmanager.push(
        alert(startsAt, "alertname", "PaymentsDown", "team", "payments", "namespace", "pay",
            "deployment", "api"),
        alert(startsAt, "alertname", "SearchSlow", "team", "search", "namespace", "search",
            "deployment", "es"),
        alert(startsAt, "alertname", "Fyi", "severity", "info"));
    await("one parent in each channel").atMost(TIMEOUT)
        .until(() -> slack.parentPosts().size() == 2);
    Set<String> channels = slack.parentPosts().stream().map(c -> c.param("channel"))
        .collect(Collectors.toSet());
    assertThat(channels).containsExactlyInAnyOrder("#payments", "#search");
    Call payments = slack.parentPosts().stream()
        .filter(c -> c.param("channel").equals("#payments")).findFirst().orElseThrow();
    assertThat(payments.param("text")).startsWith("<!subteam^S0PAY> ");
    await("the history-only incident").atMost(TIMEOUT).until(() -> incidentTotal() == 3);

    alertmanager.push(alert(startsAt, "alertname", "PaymentsErrors", "team", "payments",
        "namespace", "pay", "deployment", "api"));
    await("a Related reply in the payments thread").atMost(TIMEOUT)
        .until(() -> slack.threadReplies(payments.answeredTs()).stream()
            .anyMatch(c -> c.param("text").contains("Related: incident #4")));
    assertThat(slack.threadReplies(payments.answeredTs()).stream()
        .filter(c -> c.param("text").contains("Related")).toList()).singleElement()
        .satisfies(c -> assertThat(c.param("text")).contains("PaymentsErrors"));
    assertThat(slack.parentPosts()).hasSize(2);
    JsonNode fyi = null;
    for (int id = 1; id <= 3; id++) {
      JsonNode detail = client.getJson("/api/incidents/" + id);
      if (detail.get("alertname").asText().equals("Fyi")) {
        fyi = detail;
      }
    }
    assertThat(fyi).isNotNull();
    assertThat(fyi.get("timeline").toString()).contains("\"reason\":\"history_only\"");
    assertThat(fyi.get("slack_messages")).isEmpty();
  }
}
