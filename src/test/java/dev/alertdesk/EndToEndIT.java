package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import io.javalin.util.JavalinBindException;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with real servers: a real Alertmanager 0.25 process sends its webhook to the
 * running service, which drives the Slack stand-in through the real Slack SDK. One scenario: an
 * alert opens an incident, a second alert joins it, Alertmanager repeats itself, the service
 * restarts, and both alerts resolve — all in one Slack thread.
 */
class EndToEndIT {
  private static final String WEBHOOK_TOKEN = "e2e-webhook-token-5f1c";
  private static final String BOT_TOKEN = "xoxb-test";
  private static final Duration REPEAT_INTERVAL = Duration.ofSeconds(4);
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);
  private static final String RUNBOOK = "https://runbooks.example.com/high-latency";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path storage;

  private SlackStandIn slack;
  private Application app;
  private AlertmanagerProcess alertmanager;
  private AlertmanagerProcess replica;

  @AfterEach
  void stop() {
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (replica != null) {
      replica.close();
    }
    if (app != null) {
      app.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  @Test
  void alertmanagerNotificationsBecomeOneSlackThreadThatSurvivesARestart() throws Exception {
    slack = new SlackStandIn();
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "LISTEN_HOST", "127.0.0.1",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", BOT_TOKEN,
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "WEBHOOK_BEARER_TOKEN", WEBHOOK_TOKEN));
    app = Application.start(Settings.load(env), Clock.systemUTC());
    int port = app.port();
    AlertmanagerProcess.Config amConfig = AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:" + port + "/api/alerts")
        .withBearerToken(WEBHOOK_TOKEN)
        .withGroupBy("alertname")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), REPEAT_INTERVAL);
    alertmanager = AlertmanagerProcess.start("EndToEndIT", amConfig);

    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    PostableAlert alertA = PostableAlert.firing(
        Map.of("alertname", "HighLatency", "pod", "a", "severity", "critical",
            "namespace", "prod"),
        Map.of("summary", "p99 latency above 2s", "runbook_url", RUNBOOK),
        startsAt, "http://prometheus.example.com/graph?g0.expr=latency_p99");
    PostableAlert alertB = PostableAlert.firing(
        Map.of("alertname", "HighLatency", "pod", "b", "severity", "critical",
            "namespace", "prod"),
        Map.of("summary", "p99 latency above 2s", "runbook_url", RUNBOOK),
        startsAt.plusSeconds(5), "http://prometheus.example.com/graph?g0.expr=latency_p99");

    // 1. Alert A fires: one parent message, with the alertname and a runbook button.
    alertmanager.push(alertA);
    await("the parent message").atMost(DELIVERY_TIMEOUT)
        .until(() -> !slack.parentPosts().isEmpty());
    Call parent = slack.parentPosts().get(0);
    String parentTs = parent.answeredTs();
    assertThat(parentTs).isNotBlank();
    assertThat(parent.param("channel")).isEqualTo("#alerts");
    assertThat(parent.param("text")).contains("FIRING:1").contains("HighLatency");
    JsonNode parentBlocks = attachmentBlocks(parent);
    assertThat(parentBlocks.toString()).contains("HighLatency").contains("p99 latency above 2s");
    assertThat(buttonUrls(parentBlocks))
        .contains(RUNBOOK, "http://prometheus.example.com/graph?g0.expr=latency_p99");
    assertThat(buttonTexts(parentBlocks)).anySatisfy(t -> assertThat(t).contains("Runbook"));

    // 2. Alert B joins the group: the parent is updated and the thread says what joined.
    alertmanager.push(alertA, alertB);
    await("the update and thread reply for alert B").atMost(DELIVERY_TIMEOUT)
        .until(() -> slack.updates(parentTs).size() >= 1 && replies(parentTs).size() >= 1);
    Call update = slack.updates(parentTs).get(0);
    assertThat(update.param("channel")).isEqualTo(SlackStandIn.CHANNEL_ID);
    assertThat(update.param("text")).contains("FIRING:2");
    Call joined = replies(parentTs).get(0);
    assertThat(joined.param("channel")).isEqualTo(SlackStandIn.CHANNEL_ID);
    assertThat(joined.param("text")).contains("1 alert firing");
    assertThat(joined.param("blocks")).contains("pod=b").doesNotContain("pod=a");

    // 3. Alertmanager repeats the same notification every repeat_interval: no Slack call.
    int callsBeforeRepeats = coreCalls().size();
    assertThat(callsBeforeRepeats).isEqualTo(3);
    double duplicatesBefore = duplicates(app);
    await("two repeated notifications").atMost(REPEAT_INTERVAL.multipliedBy(5))
        .until(() -> duplicates(app) >= duplicatesBefore + 2);
    assertThat(coreCalls()).hasSize(callsBeforeRepeats);

    // 4. Restart on the same port and database: Alertmanager keeps delivering, and its repeats
    //    are still recognised as duplicates.
    app.close();
    app = null;
    app = restart(env, port, amConfig);
    Application restarted = app;
    await("a repeated notification after the restart").atMost(REPEAT_INTERVAL.multipliedBy(4))
        .until(() -> duplicates(restarted) >= 1);
    assertThat(coreCalls()).hasSize(callsBeforeRepeats);

    // 5. Both alerts resolve: the ORIGINAL parent message is updated and the thread says so.
    Instant endsAt = Instant.now().minusSeconds(1);
    alertmanager.push(alertA.resolvedAt(endsAt), alertB.resolvedAt(endsAt));
    await("the resolution").atMost(DELIVERY_TIMEOUT)
        .until(() -> slack.updates(parentTs).size() >= 2 && replies(parentTs).size() >= 2);
    Call resolvedUpdate = slack.updates(parentTs).get(1);
    assertThat(resolvedUpdate.param("channel")).isEqualTo(SlackStandIn.CHANNEL_ID);
    assertThat(resolvedUpdate.param("text")).contains("RESOLVED");
    assertThat(resolvedUpdate.param("attachments")).contains("Resolved").contains("#2EB67D");
    Call resolvedReply = replies(parentTs).get(1);
    assertThat(resolvedReply.param("text")).startsWith(":white_check_mark: Resolved after ");

    // 6. Nothing more happens for at least one repeat interval: a resolved group is not repeated
    //    and nothing is resent after the restart.
    await("quiet after the resolution").during(REPEAT_INTERVAL.plusSeconds(1))
        .atMost(REPEAT_INTERVAL.plusSeconds(5))
        .until(() -> coreCalls().size() == 5);
    List<Call> calls = coreCalls();
    assertThat(calls).extracting(Call::method).containsExactly(
        "chat.postMessage", "chat.update", "chat.postMessage", "chat.update", "chat.postMessage");
    assertThat(calls).extracting(Call::status).containsOnly(200);
    assertThat(calls).extracting(Call::authorization).containsOnly("Bearer " + BOT_TOKEN);
    assertThat(slack.parentPosts()).hasSize(1);

    // 7. The history API: one resolved incident with its timeline and Slack message.
    AlertdeskClient api = new AlertdeskClient(app.port());
    JsonNode list = api.getJson("/api/incidents");
    assertThat(list.get("total").asInt()).isEqualTo(1);
    JsonNode summary = list.get("incidents").get(0);
    assertThat(summary.get("status").asText()).isEqualTo("resolved");
    assertThat(summary.get("alertname").asText()).isEqualTo("HighLatency");
    assertThat(summary.get("firing_count").asInt()).isZero();
    assertThat(summary.get("resolved_count").asInt()).isEqualTo(2);
    assertThat(api.getJson("/api/incidents?status=resolved").get("total").asInt()).isEqualTo(1);
    assertThat(api.getJson("/api/incidents?status=firing").get("total").asInt()).isZero();

    JsonNode detail = api.getJson("/api/incidents/" + summary.get("id").asLong());
    List<String> kinds = new ArrayList<>();
    detail.get("timeline").forEach(e -> kinds.add(e.get("kind").asText()));
    assertThat(kinds).containsOnlyOnce("opened", "slack_posted", "alerts_firing", "resolved")
        .doesNotContain("reopened", "slack_failed");
    assertThat(kinds.get(0)).isEqualTo("opened");
    assertThat(kinds.get(kinds.size() - 1)).isEqualTo("resolved");
    JsonNode messages = detail.get("slack_messages");
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).get("channel").asText()).isEqualTo("#alerts");
    assertThat(messages.get(0).get("channel_id").asText()).isEqualTo(SlackStandIn.CHANNEL_ID);
    assertThat(messages.get(0).get("ts").asText()).isEqualTo(parentTs);
    assertThat(messages.get(0).get("link").asText()).as("opens the thread, not the channel")
        .isEqualTo("https://slack.com/app_redirect?channel=" + SlackStandIn.CHANNEL_ID
            + "&message_ts=" + parentTs);
    assertThat(new AlertdeskClient(app.port()).get("/incidents/1").body())
        .contains("app_redirect?channel=" + SlackStandIn.CHANNEL_ID + "&amp;message_ts="
            + parentTs);
    assertThat(detail.get("alerts")).hasSize(2);
    detail.get("alerts").forEach(a -> {
      assertThat(a.get("status").asText()).isEqualTo("resolved");
      assertThat(a.get("occurrences").asInt()).isEqualTo(1);
      assertThat(a.get("generator_url").asText()).startsWith("http://prometheus.example.com/");
    });
    assertThat(detail.get("resolved_at").isNull()).isFalse();
  }

  /**
   * Two Alertmanager replicas that do not gossip (as an HA pair whose cluster is split) each
   * notify the service about the same group, nearly at the same moment. Slack hears once.
   */
  @Test
  void everyReplicaOfAnAlertmanagerPairNotifiesButSlackHearsOnceAndTheThreadReopens() throws Exception {
    slack = new SlackStandIn();
    app = Application.start(Settings.load(Map.of(
        "PORT", "0",
        "LISTEN_HOST", "127.0.0.1",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", BOT_TOKEN,
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "WEBHOOK_BASIC_AUTH", "alertmanager:pair-secret")), Clock.systemUTC());
    AlertmanagerProcess.Config amConfig = AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:" + app.port() + "/api/alerts")
        .withBasicAuth("alertmanager:pair-secret")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1));
    alertmanager = AlertmanagerProcess.start("EndToEndIT-replica1", amConfig);
    replica = AlertmanagerProcess.start("EndToEndIT-replica2", amConfig);

    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    PostableAlert disk = PostableAlert.firing(
        Map.of("alertname", "DiskFull", "instance", "node-1", "severity", "warning"),
        Map.of("summary", "disk 95% full"), startsAt, null);
    // Prometheus sends every alert to every Alertmanager.
    alertmanager.push(disk);
    replica.push(disk);

    await("both replicas' notifications").atMost(DELIVERY_TIMEOUT)
        .until(() -> received(app, "opened") + duplicates(app) >= 2);
    await("the parent message").atMost(DELIVERY_TIMEOUT)
        .until(() -> !slack.parentPosts().isEmpty());
    assertThat(received(app, "opened")).isEqualTo(1);
    String parentTs = slack.parentPosts().get(0).answeredTs();

    Instant endsAt = Instant.now().minusSeconds(1);
    alertmanager.push(disk.resolvedAt(endsAt));
    replica.push(disk.resolvedAt(endsAt));
    await("the resolution").atMost(DELIVERY_TIMEOUT)
        .until(() -> slack.updates(parentTs).size() >= 1 && replies(parentTs).size() >= 1);
    await("both replicas' resolutions").atMost(DELIVERY_TIMEOUT)
        .until(() -> received(app, "resolved") + duplicates(app) >= 3);
    await("quiet afterwards").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
        .until(() -> coreCalls().size() == 3);
    assertThat(received(app, "resolved")).isEqualTo(1);
    assertThat(coreCalls()).extracting(Call::method)
        .containsExactly("chat.postMessage", "chat.update", "chat.postMessage");
    assertThat(replies(parentTs).get(0).param("text")).startsWith(
        ":white_check_mark: Resolved after ");

    // The same alert fires again within the reopen window: the same thread is reopened, once.
    PostableAlert again = PostableAlert.firing(disk.labels(), disk.annotations(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS), null);
    alertmanager.push(again);
    replica.push(again);
    await("the reopening").atMost(DELIVERY_TIMEOUT)
        .until(() -> slack.updates(parentTs).size() >= 2 && replies(parentTs).size() >= 2);
    await("both replicas' reopenings").atMost(DELIVERY_TIMEOUT)
        .until(() -> received(app, "reopened") + duplicates(app) >= 4);
    await("quiet after the reopening").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
        .until(() -> coreCalls().size() == 5);
    assertThat(received(app, "reopened")).isEqualTo(1);
    assertThat(slack.parentPosts()).hasSize(1);
    assertThat(slack.updates(parentTs).get(1).param("text")).contains("FIRING:1");
    assertThat(replies(parentTs).get(1).param("text")).startsWith(":repeat: Reopened");
    JsonNode list = new AlertdeskClient(app.port()).getJson("/api/incidents");
    assertThat(list.get("total").asInt()).isEqualTo(1);
    assertThat(list.get("incidents").get(0).get("reopen_count").asInt()).isEqualTo(1);
    assertThat(list.get("incidents").get(0).get("status").asText()).isEqualTo("firing");
  }

  /**
   * Slack is down when an incident opens, and the service restarts before Slack is back: the
   * parent message waits in the outbox and is posted exactly once by the restarted service.
   * Notifications go straight to the webhook here; Alertmanager adds nothing to this story.
   */
  @Test
  void aParentPostPendingAcrossARestartIsSentExactlyOnce() throws Exception {
    slack = new SlackStandIn();
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "LISTEN_HOST", "127.0.0.1",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", BOT_TOKEN,
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl()));
    app = Application.start(Settings.load(env), Clock.systemUTC());
    slack.failNext(
        new SlackStandIn.Fault(503, null, "{\"ok\":false,\"error\":\"service_unavailable\"}"),
        new SlackStandIn.Fault(503, null, "{\"ok\":false,\"error\":\"service_unavailable\"}"));
    String body = WebhookHttpIT.firing("{}:{alertname=\"SlackDown\"}", "SlackDown", "node-1");

    assertThat(new AlertdeskClient(app.port()).post("/api/alerts", body, null).statusCode())
        .isEqualTo(200);
    await("the first, failed attempt").atMost(DELIVERY_TIMEOUT)
        .until(() -> !coreCalls().isEmpty());
    app.close();
    app = null;
    int attemptsBeforeRestart = coreCalls().size();

    app = Application.start(Settings.load(env), Clock.systemUTC());
    await("the parent message after the restart").atMost(DELIVERY_TIMEOUT)
        .until(() -> !slack.parentPosts().isEmpty());
    await("nothing else").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
        .until(() -> slack.parentPosts().size() == 1);

    assertThat(attemptsBeforeRestart).isBetween(1, 2);
    assertThat(coreCalls()).extracting(Call::method).containsOnly("chat.postMessage");
    assertThat(coreCalls()).extracting(Call::status).containsExactly(503, 503, 200);
    JsonNode detail = new AlertdeskClient(app.port()).getJson("/api/incidents/1");
    assertThat(detail.get("slack_messages").get(0).get("ts").asText())
        .isEqualTo(slack.parentPosts().get(0).answeredTs());
  }

  /**
   * Thread replies other than the graph notes: no Prometheus runs in these tests, so after an
   * incident opens, reopens or resolves the thread also gets "metrics unavailable, no graph",
   * or "No query to graph" for alerts without a generatorURL (see PrometheusGraphIT for graphs).
   */
  private List<Call> replies(String ts) {
    return slack.threadReplies(ts).stream().filter(c -> !isGraphNote(c)).toList();
  }

  /** Every Slack call but the graph notes, in order. */
  private List<Call> coreCalls() {
    return slack.calls().stream().filter(c -> !isGraphNote(c)).toList();
  }

  private static boolean isGraphNote(Call c) {
    String text = c.param("text");
    return text != null && (text.contains("metrics unavailable, no graph")
        || text.contains("No query to graph"));
  }

  /**
   * Starts a new service on the same port and database. Should another process have taken the
   * port meanwhile, it starts on a free port and points Alertmanager there instead.
   */
  private Application restart(Map<String, String> env, int port,
      AlertmanagerProcess.Config amConfig) {
    Map<String, String> again = new HashMap<>(env);
    again.put("PORT", String.valueOf(port));
    try {
      return Application.start(Settings.load(again), Clock.systemUTC());
    } catch (JavalinBindException e) {
      again.put("PORT", "0");
      Application moved = Application.start(Settings.load(again), Clock.systemUTC());
      alertmanager.reload(amConfig.withWebhookUrl(
          "http://127.0.0.1:" + moved.port() + "/api/alerts"));
      return moved;
    }
  }

  private static double duplicates(Application app) {
    return received(app, "duplicate");
  }

  /** Notifications the service committed with this outcome, from its own metrics. */
  private static double received(Application app, String outcome) {
    Counter c = app.metrics().find("alertdesk_notifications_received")
        .tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  private static JsonNode attachmentBlocks(Call post) {
    try {
      JsonNode attachments = JSON.readTree(post.param("attachments"));
      assertThat(attachments).hasSize(1);
      return attachments.get(0).get("blocks");
    } catch (Exception e) {
      throw new AssertionError("attachments are not JSON: " + post.param("attachments"), e);
    }
  }

  private static List<String> buttonUrls(JsonNode blocks) {
    List<String> urls = new ArrayList<>();
    blocks.forEach(b -> {
      if ("actions".equals(b.path("type").asText())) {
        b.get("elements").forEach(e -> urls.add(e.path("url").asText()));
      }
    });
    return urls;
  }

  private static List<String> buttonTexts(JsonNode blocks) {
    List<String> texts = new ArrayList<>();
    blocks.forEach(b -> {
      if ("actions".equals(b.path("type").asText())) {
        b.get("elements").forEach(e -> texts.add(e.path("text").path("text").asText()));
      }
    });
    return texts;
  }
}
