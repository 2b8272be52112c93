package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.alertmanager.AlertmanagerClient;
import dev.alertdesk.alertmanager.Silence;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import dev.alertdesk.testing.SocketModeStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Socket Mode as a new user runs it: only outbound connections (no signing secret, no Request
 * URL). A real Alertmanager 0.25 sends its webhook to the service, which posts to the Slack
 * stand-in; {@code apps.connections.open} on the stand-in hands out a loopback WebSocket
 * ({@link SocketModeStandIn}) that speaks Socket Mode's protocol; clicks and {@code /alertdesk}
 * arrive as envelopes through the real Slack SDK client.
 */
class SocketModeIT {
  private static final String APP_TOKEN = "xapp-1-A0STANDIN-it-app-token-5f2c";
  private static final String API_TOKEN = "it-api-token-77ab";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ACK_LIMIT = Duration.ofSeconds(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEQ = new AtomicLong(1_700_000_000L);

  @TempDir Path storage;

  private SlackStandIn slack;
  private SocketModeStandIn socket;
  private AlertmanagerProcess alertmanager;
  private Application app;
  private String base;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger root;
  private Level rootLevel;

  @BeforeEach
  void start() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs.setContext(context);
    logs.start();
    root.addAppender(logs);
    slack = new SlackStandIn();
    socket = new SocketModeStandIn();
    slack.serveSocketMode(socket);
    AlertmanagerProcess.Config config = AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:9/api/alerts")
        .withGroupBy("alertname", "namespace")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1));
    alertmanager = AlertmanagerProcess.start("SocketModeIT", config);
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-test",
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "SLACK_APP_TOKEN", APP_TOKEN,
        "ALERTMANAGER_URL", alertmanager.url(),
        "API_BEARER_TOKEN", API_TOKEN,
        "BASE_URL", "https://alertdesk.example.org"));
    app = Application.start(Settings.load(env), Clock.systemUTC());
    base = "http://127.0.0.1:" + app.port();
    alertmanager.reload(config.withWebhookUrl(base + "/api/alerts"));
    await("the Socket Mode connection").atMost(TIMEOUT)
        .until(() -> socket.openConnections() == 1 && statusOf("state").equals("connected"));
  }

  @AfterEach
  void stop() throws Exception {
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (app != null) {
      app.close();
    }
    if (socket != null) {
      socket.close();
    }
    if (slack != null) {
      slack.close();
    }
    root.detachAppender(logs);
    logs.stop();
    root.setLevel(rootLevel);
    // The app token never shows in a log line, at any level; the WebSocket URL's ticket not
    // at INFO and above.
    for (ILoggingEvent e : logs.list) {
      String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
          : e.getThrowableProxy().getMessage());
      assertThat(line).doesNotContain(APP_TOKEN).doesNotContain("it-app-token");
      if (e.getLevel().isGreaterOrEqual(Level.INFO)) {
        assertThat(line).as("log line at %s", e.getLevel()).doesNotContain("ticket=");
      }
    }
  }

  private static PostableAlert diskFull(String namespace, String instance) {
    return PostableAlert.firing(
        Map.of("alertname", "DiskFull", "namespace", namespace, "instance", instance,
            "severity", "critical"),
        Map.of("summary", "Disk almost full on " + instance,
            "runbook_url", "https://runbooks.example.org/disk?a=1&b=2"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30), null);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + API_TOKEN).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String statusOf(String detail) throws Exception {
    JsonNode section = JSON.readTree(get("/api/status").body()).path("sections")
        .path("slack_socket_mode");
    return section.path("details").path(detail).asText();
  }

  private Call awaitParent(String namespace) {
    await("the parent message for " + namespace).atMost(TIMEOUT).until(() ->
        slack.parentPosts().stream().anyMatch(c -> c.param("text").contains("namespace=" + namespace)));
    Call parent = slack.parentPosts().stream()
        .filter(c -> c.param("text").contains("namespace=" + namespace)).findFirst().orElseThrow();
    long id = incidentId(parent);
    await("the parent recorded for " + namespace).atMost(TIMEOUT).until(() -> {
      HttpResponse<String> r = get("/api/incidents/" + id);
      return r.statusCode() == 200 && !JSON.readTree(r.body()).path("slack_messages").isEmpty();
    });
    return parent;
  }

  private static long incidentId(Call parent) {
    String text = parent.param("text");
    return Long.parseLong(text.substring(text.indexOf("#") + 1, text.indexOf(")", text.indexOf("#"))));
  }

  private String click(String userId, String actionId, String value, boolean select, String ts) {
    return socket.interactive(SlackRequests.blockActions(userId, "name-" + userId, actionId, value,
        select, SEQ.incrementAndGet() + ".000200", slack.responseUrl(), ts));
  }

  private String command(String userId, String text) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("token", "deprecated-verification-token");
    fields.put("team_id", "T0STANDIN");
    fields.put("channel_id", SlackStandIn.CHANNEL_ID);
    fields.put("channel_name", "alerts");
    fields.put("user_id", userId);
    fields.put("user_name", "name-" + userId);
    fields.put("command", "/alertdesk");
    fields.put("text", text);
    fields.put("api_app_id", "A0STANDIN");
    fields.put("response_url", slack.responseUrl());
    fields.put("trigger_id", SEQ.incrementAndGet() + ".1337.abcdef");
    return socket.slashCommand(fields);
  }

  /** Sends a command and returns the ephemeral answer it gets. */
  private String answer(String userId, String text) throws Exception {
    int before = slack.responses().size();
    String envelope = command(userId, text);
    await("the answer to /alertdesk " + text).atMost(TIMEOUT)
        .until(() -> slack.responses().size() > before);
    assertThat(socket.acksOf(envelope)).hasSize(1);
    return JSON.readTree(slack.responses().get(before)).get("text").asText();
  }

  private List<JsonNode> auditLines(long incidentId) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : get("/api/audit?incident=" + incidentId).body().split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  private static String decoded(Call call) {
    try {
      String attachments = call.param("attachments");
      String blocks = call.param("blocks");
      return call.param("text") + "\n"
          + (attachments == null ? "" : JSON.readTree(attachments).toString())
          + (blocks == null ? "" : JSON.readTree(blocks).toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aSilenceClickOverSocketModeCreatesTheSilenceInAlertmanagerWithNoPublicEndpoint()
      throws Exception {
    // Only outbound connections: the HTTP endpoints for Slack are off.
    HttpResponse<String> events = http.send(HttpRequest.newBuilder(
            URI.create(base + "/slack/events")).POST(HttpRequest.BodyPublishers.ofString("x"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(events.statusCode()).isEqualTo(404);
    assertThat(slack.successful("apps.connections.open")).hasSize(1);
    assertThat(slack.successful("apps.connections.open").get(0).authorization())
        .isEqualTo("Bearer " + APP_TOKEN);

    alertmanager.push(diskFull("prod", "db-1"));
    Call parent = awaitParent("prod");
    String ts = parent.answeredTs();
    long id = incidentId(parent);
    assertThat(decoded(parent)).contains(IncidentActionBlocks.SILENCE);

    Instant clicked = Instant.now();
    String envelope = click("U1", IncidentActionBlocks.SILENCE, id + ":1h", true, ts);
    AlertmanagerClient am = new AlertmanagerClient(alertmanager.url());
    await("the silence in Alertmanager").atMost(TIMEOUT)
        .until(() -> am.silences().stream().anyMatch(s -> s.state().equals("active")));
    assertThat(socket.acksOf(envelope)).singleElement()
        .satisfies(a -> assertThat(a.json()).isEqualTo("{\"envelope_id\":\"" + envelope + "\"}"));
    assertThat(socket.ackDelay(envelope)).isLessThan(ACK_LIMIT);
    Silence silence = am.silences().get(0);
    assertThat(silence.matchers()).extracting(Object::toString)
        .containsExactlyInAnyOrder("alertname=\"DiskFull\"", "namespace=\"prod\"");
    assertThat(silence.createdBy()).isEqualTo("name-U1");
    assertThat(Duration.between(clicked.plus(Duration.ofHours(1)), silence.endsAt()).abs())
        .isLessThan(Duration.ofSeconds(30));
    await("the thread reply").atMost(TIMEOUT).until(() -> slack.threadReplies(ts).stream()
        .anyMatch(c -> decoded(c).contains(silence.id())));
    assertThat(auditLines(id)).singleElement().satisfies(line -> {
      assertThat(line.get("action").asText()).isEqualTo("silence");
      assertThat(line.get("user_id").asText()).isEqualTo("U1");
    });

    // An events_api envelope is acknowledged and changes nothing.
    String event = socket.eventsApi();
    await("the event acknowledged").atMost(TIMEOUT).until(() -> !socket.acksOf(event).isEmpty());

    assertThat(get("/ready").statusCode()).isEqualTo(200);
    String metrics = get("/metrics").body();
    assertThat(metrics).contains("alertdesk_slack_socket_mode_connected 1.0")
        .contains("alertdesk_slack_socket_mode_envelopes_total{type=\"interactive\"} 1.0")
        .contains("alertdesk_slack_socket_mode_envelopes_total{type=\"events_api\"} 1.0");
    String status = get("/api/status").body();
    assertThat(status).doesNotContain(APP_TOKEN).doesNotContain("ticket=");
  }

  @Test
  void theSlashCommandListsShowsAcknowledgesAndSilencesThroughTheButtonsHandlers()
      throws Exception {
    alertmanager.push(diskFull("prod", "db-1"));
    Call prod = awaitParent("prod");
    alertmanager.push(PostableAlert.firing(
        Map.of("alertname", "DiskFull", "namespace", "<!channel> *x*", "instance", "db-7"),
        Map.of("summary", "<@U0BOSS> & friends"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10), null));
    Call hostile = awaitParent("&lt;!channel&gt;");
    long prodId = incidentId(prod);
    long hostileId = incidentId(hostile);
    String ts = prod.answeredTs();

    String list = answer("U1", "");
    assertThat(list).contains("Open incidents in this channel* (2)")
        .contains("|#" + prodId + ">").contains("|#" + hostileId + ">")
        .contains("namespace=prod").contains("not acknowledged")
        .contains("https://slack.com/app_redirect?channel=" + SlackStandIn.CHANNEL_ID
            + "&message_ts=" + ts)
        .contains("&lt;!channel&gt;").doesNotContain("<!channel>");
    // Newest first.
    assertThat(list.indexOf("|#" + hostileId + ">")).isLessThan(list.indexOf("|#" + prodId + ">"));
    assertThat(answer("U1", "list")).isEqualTo(list);

    String show = answer("U1", "show " + hostileId);
    assertThat(show).contains("*Incident #" + hostileId + "*").contains("&lt;@U0BOSS&gt; &amp; friends")
        .contains("https://alertdesk.example.org/incidents/" + hostileId)
        .doesNotContain("<@U0BOSS>").doesNotContain("<!channel>");
    String showProd = answer("U1", "show #" + prodId);
    assertThat(showProd).contains("<https://runbooks.example.org/disk?a=1&amp;b=2|runbook>");

    // ack: the Acknowledge handler, its thread reply and audit row.
    answer("U2", "ack " + prodId);
    await("the thread reply").atMost(TIMEOUT).until(() -> slack.threadReplies(ts).stream()
        .anyMatch(c -> decoded(c).contains("Acknowledged by <@U2>")));
    assertThat(auditLines(prodId)).extracting(l -> l.get("action").asText())
        .containsExactly("acknowledge");
    assertThat(answer("U3", "ack " + prodId)).contains("<@U2> already acknowledged");
    assertThat(auditLines(prodId)).hasSize(1);
    assertThat(answer("U1", "list")).contains("ack <@U2>");

    // silence 4h and unsilence, in the real Alertmanager.
    AlertmanagerClient am = new AlertmanagerClient(alertmanager.url());
    answer("U2", "silence " + prodId + " 4h");
    await("the silence in Alertmanager").atMost(TIMEOUT)
        .until(() -> am.silences().stream().anyMatch(s -> s.state().equals("active")));
    assertThat(am.silences()).singleElement().satisfies(s -> {
      assertThat(s.createdBy()).isEqualTo("name-U2");
      assertThat(Duration.between(Instant.now().plus(Duration.ofHours(4)), s.endsAt()).abs())
          .isLessThan(Duration.ofSeconds(30));
    });
    answer("U2", "unsilence " + prodId);
    await("the silence expired").atMost(TIMEOUT).until(() ->
        am.silences().stream().allMatch(s -> s.state().equals("expired")));
    assertThat(auditLines(prodId)).extracting(l -> l.get("action").asText())
        .containsExactly("acknowledge", "silence", "unsilence");

    // Bad input: usage text, never a stack trace; nothing changes.
    assertThat(answer("U1", "silence " + prodId + " 9y")).contains("`9y` is not a silence duration")
        .contains("/alertdesk silence 42 4h");
    assertThat(answer("U1", "frobnicate <!here>")).contains("unknown command `frobnicate`")
        .contains("/alertdesk help");
    assertThat(answer("U1", "ack")).contains("ack needs an incident number");
    assertThat(answer("U1", "ack 999999")).contains("Incident #999999 has no message in this channel");
    assertThat(answer("U1", "help")).contains("/alertdesk show 42");
    assertThat(slack.responses()).noneMatch(r -> r.contains("Exception") || r.contains("\tat "));
    assertThat(auditLines(prodId)).hasSize(3);
    assertThat(am.silences()).hasSize(1);
  }

  @Test
  void everyEnvelopeIsAckedWithinThreeSecondsWhileWorkIsSlowAndADroppedSocketReconnects()
      throws Exception {
    alertmanager.push(diskFull("prod", "db-1"));
    Call parent = awaitParent("prod");
    String ts = parent.answeredTs();
    long id = incidentId(parent);

    // Slack answers each ephemeral reply after 2 s: the work queues up behind it.
    slack.delayResponses(Duration.ofSeconds(2));
    List<String> envelopes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      envelopes.add(command("U" + i, "help"));
    }
    String ack = click("U9", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false, ts);
    envelopes.add(ack);
    await("every envelope acknowledged").atMost(TIMEOUT)
        .until(() -> envelopes.stream().allMatch(e -> !socket.acksOf(e).isEmpty()));
    for (String e : envelopes) {
      assertThat(socket.ackDelay(e)).as("ack of %s", e).isLessThan(ACK_LIMIT);
    }
    await("the slow work done").atMost(TIMEOUT).until(() -> slack.responses().size() >= 4);
    await("the acknowledgement in the thread").atMost(TIMEOUT).until(() -> slack
        .threadReplies(ts).stream().anyMatch(c -> decoded(c).contains("Acknowledged by <@U9>")));
    slack.delayResponses(Duration.ZERO);

    // The socket drops: the client reconnects through apps.connections.open; /ready stays up.
    socket.drop();
    assertThat(get("/ready").statusCode()).isEqualTo(200);
    await("a new connection").atMost(TIMEOUT).until(() -> socket.connections() == 2
        && socket.openConnections() == 1 && statusOf("state").equals("connected"));
    assertThat(slack.successful("apps.connections.open")).hasSize(2);
    assertThat(statusOf("reconnects")).isEqualTo("1");

    // Slack redelivers envelopes it may not have seen acknowledged: nothing happens twice.
    int responses = slack.responses().size();
    int replies = slack.threadReplies(ts).size();
    socket.redeliver(ack);
    String helpAgain = socket.redeliver(envelopes.get(0));
    await("the redeliveries acknowledged").atMost(TIMEOUT)
        .until(() -> socket.acksOf(ack).size() == 2 && socket.acksOf(helpAgain).size() == 2);
    // A later command is answered, so the redelivered ones had their chance to run.
    String after = answer("U1", "help");
    assertThat(after).contains("/alertdesk list");
    assertThat(slack.responses()).hasSize(responses + 1);
    assertThat(slack.threadReplies(ts)).hasSize(replies);
    assertThat(auditLines(id)).extracting(l -> l.get("action").asText())
        .containsExactly("acknowledge");

    // Slack asks for a refresh: a third connection, and commands still work on it.
    socket.disconnect("refresh_requested");
    await("the refreshed connection").atMost(TIMEOUT).until(() -> socket.connections() == 3
        && socket.openConnections() == 1 && statusOf("state").equals("connected"));
    assertThat(answer("U1", "list")).contains("|#" + id + ">").contains("ack <@U9>");
    assertThat(get("/metrics").body()).contains("alertdesk_slack_socket_mode_reconnects_total 2.0");
  }

  @Test
  void aRefusedReconnectBacksOffShowsSlacksErrorAndKeepsTheServiceReady() throws Exception {
    slack.refuse("apps.connections.open", "invalid_auth");
    socket.drop();
    await("the failed attempts shown").atMost(TIMEOUT).until(() ->
        statusOf("last_error").equals("apps.connections.open failed: invalid_auth")
            && Integer.parseInt(statusOf("failed_attempts")) >= 2);
    JsonNode section = JSON.readTree(get("/api/status").body()).path("sections")
        .path("slack_socket_mode");
    assertThat(section.path("level").asText()).isIn("warning", "error");
    assertThat(section.path("details").path("state").asText()).isEqualTo("reconnecting");
    assertThat(section.toString()).doesNotContain(APP_TOKEN);
    assertThat(get("/ready").statusCode()).isEqualTo(200);
    assertThat(get("/metrics").body()).contains("alertdesk_slack_socket_mode_connected 0.0");
    // Backoff: attempts are spaced 1 s, 2 s, 4 s … apart (±20 %), not a tight loop.
    List<Instant> attempts = slack.calls().stream()
        .filter(c -> c.method().equals("apps.connections.open") && !c.ok())
        .map(Call::receivedAt).toList();
    for (int i = 1; i < attempts.size(); i++) {
      assertThat(Duration.between(attempts.get(i - 1), attempts.get(i)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    slack.allow("apps.connections.open");
    await("connected again").atMost(TIMEOUT).until(() -> statusOf("state").equals("connected")
        && socket.openConnections() == 1);
    assertThat(statusOf("failed_attempts")).isEqualTo("0");
    assertThat(answer("U1", "help")).contains("/alertdesk list");
  }
}
