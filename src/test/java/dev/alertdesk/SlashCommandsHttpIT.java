package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.alertmanager.AlertmanagerClient;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /alertdesk} over HTTP: {@code POST /slack/commands} signed with v0 exactly as Slack signs
 * it (computed in {@link SlackRequests}, independently of the service), against a real
 * Alertmanager 0.25 and the Slack stand-in. A request with a wrong secret, a tampered body or a
 * timestamp 301 s away is refused 401 and changes nothing.
 */
class SlashCommandsHttpIT {
  private static final String SIGNING_SECRET = "it-signing-secret-c0mmands-41";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEQ = new AtomicLong(1_700_000_000L);

  @TempDir Path storage;

  private SlackStandIn slack;
  private AlertmanagerProcess alertmanager;
  private Application app;
  private String base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    slack = new SlackStandIn();
    AlertmanagerProcess.Config config = AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:9/api/alerts")
        .withGroupBy("alertname", "namespace")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1));
    alertmanager = AlertmanagerProcess.start("SlashCommandsHttpIT", config);
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-test",
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "SLACK_SIGNING_SECRET", SIGNING_SECRET,
        "ALERTMANAGER_URL", alertmanager.url()));
    app = Application.start(Settings.load(env), Clock.systemUTC());
    base = "http://127.0.0.1:" + app.port();
    alertmanager.reload(config.withWebhookUrl(base + "/api/alerts"));
  }

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

  private String form(String userId, String text) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("token", "deprecated");
    f.put("team_id", "T0STANDIN");
    f.put("channel_id", SlackStandIn.CHANNEL_ID);
    f.put("user_id", userId);
    f.put("user_name", "name-" + userId);
    f.put("command", "/alertdesk");
    f.put("text", text);
    f.put("response_url", slack.responseUrl());
    f.put("trigger_id", SEQ.incrementAndGet() + ".42.beef");
    return f.entrySet().stream().map(e -> e.getKey() + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
  }

  private HttpResponse<String> post(String body, String secret, long timestamp) throws Exception {
    String ts = String.valueOf(timestamp);
    return http.send(HttpRequest.newBuilder(URI.create(base + "/slack/commands"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", ts)
        .header("X-Slack-Signature", SlackRequests.signature(secret, ts, body))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String answer(String userId, String text) throws Exception {
    int before = slack.responses().size();
    HttpResponse<String> r = post(form(userId, text), SIGNING_SECRET,
        Instant.now().getEpochSecond());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    await("the answer to /alertdesk " + text).atMost(TIMEOUT)
        .until(() -> slack.responses().size() > before);
    return JSON.readTree(slack.responses().get(before)).get("text").asText();
  }

  private Call awaitParent() {
    await("the parent message").atMost(TIMEOUT).until(() -> !slack.parentPosts().isEmpty());
    Call parent = slack.parentPosts().get(0);
    String text = parent.param("text");
    long id = Long.parseLong(text.substring(text.indexOf("#") + 1, text.indexOf(")", text.indexOf("#"))));
    await("the parent recorded").atMost(TIMEOUT).until(() ->
        !answerQuietly().contains("No open incidents") && answerQuietly().contains("#" + id));
    return parent;
  }

  private String answerQuietly() throws Exception {
    return answer("U0", "list");
  }

  @Test
  void signedSlashCommandsListAcknowledgeAndSilenceLikeTheButtons() throws Exception {
    alertmanager.push(PostableAlert.firing(
        Map.of("alertname", "DiskFull", "namespace", "prod", "instance", "db-1"),
        Map.of("summary", "Disk almost full"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30), null));
    Call parent = awaitParent();
    String ts = parent.answeredTs();
    String text = parent.param("text");
    long id = Long.parseLong(text.substring(text.indexOf("#") + 1, text.indexOf(")", text.indexOf("#"))));

    assertThat(answer("U1", "list")).contains("|#" + id + ">").contains("namespace=prod");
    answer("U1", "ack " + id);
    await("the thread reply").atMost(TIMEOUT).until(() -> slack.threadReplies(ts).stream()
        .anyMatch(c -> c.param("text").contains("Acknowledged by <@U1>")
            || String.valueOf(c.param("attachments")).contains("Acknowledged by <@U1>")));
    AlertmanagerClient am = new AlertmanagerClient(alertmanager.url());
    answer("U1", "silence " + id + " 1h");
    await("the silence in Alertmanager").atMost(TIMEOUT)
        .until(() -> am.silences().stream().anyMatch(s -> s.state().equals("active")));
    assertThat(answer("U1", "nonsense")).contains("unknown command `nonsense`");
  }

  @Test
  void aWrongSecretATamperedBodyOrAStaleTimestampIsRefusedAndChangesNothing() throws Exception {
    alertmanager.push(PostableAlert.firing(
        Map.of("alertname", "DiskFull", "namespace", "prod", "instance", "db-1"),
        Map.of(), Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30), null));
    Call parent = awaitParent();
    String text = parent.param("text");
    long id = Long.parseLong(text.substring(text.indexOf("#") + 1, text.indexOf(")", text.indexOf("#"))));
    int responses = slack.responses().size();
    long now = Instant.now().getEpochSecond();
    String ack = form("U1", "ack " + id);

    assertThat(post(ack, "not-the-secret", now).statusCode()).isEqualTo(401);
    String ts = String.valueOf(now);
    HttpResponse<String> tampered = http.send(HttpRequest.newBuilder(
            URI.create(base + "/slack/commands"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", ts)
        .header("X-Slack-Signature", SlackRequests.signature(SIGNING_SECRET, ts, ack))
        .POST(HttpRequest.BodyPublishers.ofString(ack.replace("ack", "silence")
            + "+24h")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(tampered.statusCode()).isEqualTo(401);
    // 301 s away, taken when sent; in the future a second more, since the service's clock may
    // have ticked over to the next second by the time it checks (the exact bounds are
    // SlackSignatureVerifierTest's, with a fixed clock).
    assertThat(post(ack, SIGNING_SECRET, Instant.now().getEpochSecond() - 301).statusCode())
        .isEqualTo(401);
    assertThat(post(ack, SIGNING_SECRET, Instant.now().getEpochSecond() + 302).statusCode())
        .isEqualTo(401);
    assertThat(tampered.body()).doesNotContain(SIGNING_SECRET);

    // A signed request without the fields Slack always sends is a 400, not a 500.
    String bare = "text=list";
    HttpResponse<String> malformed = post(bare, SIGNING_SECRET, now);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("slash command field");
    HttpResponse<String> badForm = post("text=%zz", SIGNING_SECRET, now);
    assertThat(badForm.statusCode()).isEqualTo(400);

    // Nothing was acknowledged: the same request, signed correctly now, is the first ack.
    assertThat(slack.responses()).hasSize(responses);
    assertThat(post(ack, SIGNING_SECRET, Instant.now().getEpochSecond() + 290).statusCode())
        .isEqualTo(200);
    await("the acknowledgement").atMost(TIMEOUT).until(() -> slack.updates(parent.answeredTs())
        .stream().anyMatch(c -> String.valueOf(c.param("attachments")).contains("<@U1>")
            || c.param("text").contains("<@U1>")));
  }
}
