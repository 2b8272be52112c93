package dev.alertdesk.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.app.Application;
import dev.alertdesk.config.NoiseConfig;
import dev.alertdesk.config.Settings;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.PrometheusProcess;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every label and annotation carries Slack markup (a channel ping, a disguised link, a user
 * mention), and goes through every kind of message: the parent with its current value, thread
 * replies, the graph upload's comment, the storm message, a reminder, action replies and
 * ephemeral answers. Slack acts only on what sits between {@code <} and {@code >}, so every
 * {@code <} that reaches Slack must open a token Alertdesk itself wrote (a date, the route's
 * configured mention, the clicking user). Real Prometheus for the value and graph; the Slack
 * stand-in through the real SDK.
 */
class HostileMarkupSlackIT {
  private static final String HOSTILE = "<!channel> <https://evil.example|Click here> <@U0EVIL>"
      + " <!here|here> <#C0EVIL> &amp;";
  private static final String SIGNING_SECRET = "hostile-it-secret-51ac";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** The tokens Alertdesk writes itself. */
  private static final Pattern ALLOWED = Pattern.compile(
      "<!date\\^\\d+\\^[^<>|]*\\|[^<>]*>|<!subteam\\^S0ONCALL>|<@U1>");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN = Pattern.compile("<[^<>]*>?");

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

  private static Map<String, String> labels(String alertname) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", alertname);
    labels.put("severity", "critical");
    labels.put("instance", HOSTILE);
    labels.put("namespace", HOSTILE);
    return labels;
  }

  private static AlertmanagerPayload hostile(String alertname) {
    return AlertmanagerPayload.group("team-x" + HOSTILE, alertname)
        .groupLabel("namespace", HOSTILE)
        .annotation("summary", HOSTILE)
        .annotation("description", HOSTILE)
        .annotation("unit", HOSTILE)
        .annotation("runbook_url", "https://runbook.example/" + HOSTILE)
        .annotation("promql_query", "up{job=\"prometheus\"} > 0.5");
  }

  @Test
  void hostileMarkupInLabelsAndAnnotationsNeverPingsOrLinksInAnyMessageKind() throws Exception {
    slack = new SlackStandIn();
    prometheus = PrometheusProcess.start("HostileMarkupSlackIT", "/prometheus/rules.yml", null,
        null);
    await("Prometheus scraped itself").atMost(TIMEOUT).until(() ->
        prometheus.get("/api/v1/query?query=count_over_time(up%5B1m%5D)")
            .matches("(?s).*\"value\":\\[[0-9.]+,\"([5-9]|[1-9][0-9]+)\"\\].*"));
    Path config = storage.resolve("alertdesk.yml");
    Files.writeString(config, """
        routes:
          - matchers: ['severity="critical"']
            mention: "<!subteam^S0ONCALL>"
        noise:
          storm: {window: 1m, max_new_incidents: 1}
        reminders:
          unacknowledged_after: 5s
        """);
    Map<String, String> env = Map.of("PORT", "0", "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-hostile", "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(), "SLACK_SIGNING_SECRET", SIGNING_SECRET,
        "PROMETHEUS_URL", prometheus.url(), "CONFIG_FILE", config.toString(),
        "GRAPH_LOOKBACK", "1m");
    Settings settings = Settings.load(env);
    app = Application.start(settings, NoiseConfig.load(settings.configFile(), env),
        Clock.systemUTC());
    AlertdeskClient client = new AlertdeskClient(app.port());
    SlackRequests requests = new SlackRequests(client.baseUrl(), SIGNING_SECRET);
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);

    // An incident: parent (with the current value), graph upload, reminder.
    String first = "Hostile" + HOSTILE;
    assertThat(client.post("/api/alerts", hostile(first).alert("firing", labels(first), start,
        null).json(), null).statusCode()).isEqualTo(200);
    await("the parent").atMost(TIMEOUT).until(() -> !slack.parentPosts().isEmpty());
    Call parent = slack.parentPosts().get(0);
    String ts = parent.answeredTs();
    await("the graph upload").atMost(TIMEOUT).until(() -> !slack.uploadsInThread(ts).isEmpty());
    await("the reminder").atMost(TIMEOUT).until(() -> slack.threadReplies(ts).stream()
        .anyMatch(c -> c.param("text").contains("S0ONCALL")));

    // A second incident within the window starts a storm message.
    String second = "Second" + HOSTILE;
    assertThat(client.post("/api/alerts", hostile(second).alert("firing", labels(second), start,
        null).json(), null).statusCode()).isEqualTo(200);
    await("the storm message").atMost(TIMEOUT).until(() -> slack.parentPosts().stream()
        .anyMatch(c -> c.param("text").contains("storm")));

    // Actions: an acknowledgement (reply and update), then ephemeral answers.
    long id = AlertdeskClient.json(client.get("/api/incidents?alertname="
        + java.net.URLEncoder.encode(first, StandardCharsets.UTF_8))).path("incidents").get(0)
        .path("id").asLong();
    requests.sendInteraction(SlackRequests.blockActions("U1", "alice",
        IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false, "1.1", slack.responseUrl(),
        ts));
    await("the acknowledgement reply").atMost(TIMEOUT).until(() -> slack.threadReplies(ts)
        .stream().anyMatch(c -> c.param("text").contains("Acknowledged")));
    requests.sendInteraction(SlackRequests.blockActions("U1", "alice",
        IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false, "1.2", slack.responseUrl(),
        ts));
    requests.sendInteraction(SlackRequests.blockActions("U1", "alice", "x" + HOSTILE,
        String.valueOf(id), false, "1.3", slack.responseUrl(), ts));
    requests.sendInteraction(SlackRequests.blockActions("U1", "alice",
        IncidentActionBlocks.SILENCE, id + ":" + HOSTILE, true, "1.4", slack.responseUrl(), ts));
    await("three ephemeral answers").atMost(TIMEOUT).until(() -> slack.responses().size() >= 3);

    // The resolution reply.
    assertThat(client.post("/api/alerts", hostile(first).alert("resolved", labels(first), start,
        Instant.now().minusSeconds(1)).json(), null).statusCode()).isEqualTo(200);
    await("the resolution reply").atMost(TIMEOUT).until(() -> slack.threadReplies(ts).stream()
        .anyMatch(c -> c.param("text").contains("Resolved")));

    // Every text Slack reads as mrkdwn: message text, mrkdwn blocks, attachment texts, upload
    // comments, and the same in ephemeral answers. Plain-text objects are shown literally.
    List<String> sent = new ArrayList<>();
    for (Call c : slack.calls()) {
      if (c.param("text") != null) {
        sent.add(c.param("text"));
      }
      for (String json : new String[] {c.param("blocks"), c.param("attachments")}) {
        if (json != null) {
          mrkdwn(JSON.readTree(json), sent);
        }
      }
      if (c.param("initial_comment") != null) {
        sent.add(c.param("initial_comment"));
      }
    }
    slack.uploads().forEach(u -> sent.add(u.initialComment()));
    for (String r : slack.responses()) {
      JsonNode response = JSON.readTree(r);
      sent.add(response.path("text").asText());
      mrkdwn(response, sent);
    }
    assertThat(sent).anySatisfy(s -> assertThat(s).contains("Current value:"));
    assertThat(String.join("\n", sent)).contains("threshold 0.5 &lt;!channel&gt;");
    assertThat(slack.uploads()).anySatisfy(u -> assertThat(u.initialComment())
        .contains("&lt;!channel&gt;"));
    for (String s : sent) {
      Matcher m = TOKEN.matcher(s);
      while (m.find()) {
        assertThat(m.group()).as("a Slack token in %s", s).matches(ALLOWED);
      }
    }
  }

  /** Collects the texts of mrkdwn objects and of attachments ({@code text}, {@code pretext}). */
  private static void mrkdwn(JsonNode node, List<String> out) {
    if (node.isObject()) {
      if ("mrkdwn".equals(node.path("type").asText())) {
        out.add(node.path("text").asText());
      }
      if (node.has("color")) {
        out.add(node.path("text").asText());
        out.add(node.path("pretext").asText());
      }
    }
    node.forEach(child -> mrkdwn(child, out));
  }
}
