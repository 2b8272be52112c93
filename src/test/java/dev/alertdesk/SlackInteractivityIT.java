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
import dev.alertdesk.app.Main;
import dev.alertdesk.config.Settings;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Acting from Slack, as a new user would try it: a real Alertmanager 0.25 sends its webhook to
 * the running service, which posts to the Slack stand-in; clicks arrive at {@code /slack/events}
 * signed exactly as Slack signs them ({@link SlackRequests}); silences are created in, and
 * expired from, the real Alertmanager.
 */
class SlackInteractivityIT {
  private static final String SIGNING_SECRET = "it-signing-secret-Qz81c4f0e9";
  private static final String API_TOKEN = "it-api-token-77ab";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong CLICK = new AtomicLong(1_700_000_000L);

  @TempDir Path storage;

  private SlackStandIn slack;
  private AlertmanagerProcess alertmanager;
  private Application app;
  private SlackRequests requests;
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
    // Alertmanager first (the service needs its URL), pointed at the service once it listens.
    AlertmanagerProcess.Config config = AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:9/api/alerts")
        .withGroupBy("alertname", "namespace")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1));
    alertmanager = AlertmanagerProcess.start("SlackInteractivityIT", config);
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-test",
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "SLACK_SIGNING_SECRET", SIGNING_SECRET,
        "ALERTMANAGER_URL", alertmanager.url(),
        "API_BEARER_TOKEN", API_TOKEN));
    app = Application.start(Settings.load(env), Clock.systemUTC());
    base = "http://127.0.0.1:" + app.port();
    alertmanager.reload(config.withWebhookUrl(base + "/api/alerts"));
    requests = new SlackRequests(base, SIGNING_SECRET);
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
    root.detachAppender(logs);
    logs.stop();
    root.setLevel(rootLevel);
  }

  private static PostableAlert diskFull(String namespace, String instance) {
    return PostableAlert.firing(
        Map.of("alertname", "DiskFull", "namespace", namespace, "instance", instance,
            "severity", "critical"),
        Map.of("summary", "Disk almost full on " + instance),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30), null);
  }

  /** Waits for the first parent message and returns it. */
  private Call awaitParent(String namespace) {
    await("the parent message for " + namespace).atMost(TIMEOUT).until(() ->
        slack.parentPosts().stream().anyMatch(c -> c.param("text").contains("namespace=" + namespace)));
    Call parent = slack.parentPosts().stream()
        .filter(c -> c.param("text").contains("namespace=" + namespace)).findFirst().orElseThrow();
    // A click is taken only from a channel where the incident's parent is recorded, which the
    // service does right after Slack answers the post: wait for it, as a person cannot click first.
    long id = incidentId(parent);
    await("the parent recorded for " + namespace).atMost(TIMEOUT).until(() -> {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create(base + "/api/incidents/" + id))
          .header("Authorization", "Bearer " + API_TOKEN).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && !JSON.readTree(r.body()).path("slack_messages").isEmpty();
    });
    return parent;
  }

  private static long incidentId(Call parent) {
    String text = parent.param("text");
    return Long.parseLong(text.substring(text.indexOf("#") + 1, text.indexOf(")", text.indexOf("#"))));
  }

  private HttpResponse<String> click(String userId, String actionId, String value, boolean select,
      String parentTs) {
    return requests.sendInteraction(SlackRequests.blockActions(userId, "name-" + userId, actionId,
        value, select, (CLICK.incrementAndGet()) + ".000200", slack.responseUrl(), parentTs));
  }

  private List<JsonNode> auditLines(long incidentId) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create(base + "/api/audit?incident=" + incidentId))
        .header("Authorization", "Bearer " + API_TOKEN).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.body().split("\n")) {
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

  private int verifyAuditChain() {
    StringWriter out = new StringWriter();
    picocli.CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return cli.execute("audit", "verify", "--database",
        "sqlite://" + storage.resolve("alertdesk.db"));
  }

  @Test
  void silenceFromSlackCreatesARealAlertmanagerSilenceShownOnTheMessageAndAudited() throws Exception {
    alertmanager.push(diskFull("prod", "db-1"));
    Call parent = awaitParent("prod");
    String ts = parent.answeredTs();
    long id = incidentId(parent);
    String parentJson = decoded(parent);
    assertThat(parentJson).contains(IncidentActionBlocks.ACKNOWLEDGE)
        .contains(IncidentActionBlocks.SILENCE).contains(IncidentActionBlocks.SNOOZE)
        .contains("alertname=\\\"DiskFull\\\"").contains("namespace=\\\"prod\\\"");

    Instant clicked = Instant.now();
    HttpResponse<String> answer = click("U1", IncidentActionBlocks.SILENCE, id + ":1h", true, ts);
    assertThat(answer.statusCode()).isEqualTo(200);

    AlertmanagerClient am = new AlertmanagerClient(alertmanager.url());
    await("the silence in Alertmanager").atMost(TIMEOUT)
        .until(() -> am.silences().stream().anyMatch(s -> s.state().equals("active")));
    List<Silence> silences = am.silences();
    assertThat(silences).hasSize(1);
    Silence silence = silences.get(0);
    assertThat(silence.matchers()).extracting(Object::toString)
        .containsExactlyInAnyOrder("alertname=\"DiskFull\"", "namespace=\"prod\"");
    assertThat(silence.createdBy()).isEqualTo("name-U1");
    assertThat(silence.comment()).isEqualTo("Silenced from Slack by @name-U1 for incident #" + id);
    assertThat(Duration.between(clicked.plus(Duration.ofHours(1)), silence.endsAt()).abs())
        .isLessThan(Duration.ofSeconds(30));

    await("the parent shows the silence").atMost(TIMEOUT).until(() -> slack.updates(ts).stream()
        .anyMatch(c -> decoded(c).contains("Silenced until")));
    Call update = slack.updates(ts).get(slack.updates(ts).size() - 1);
    assertThat(decoded(update)).contains("by <@U1>").contains(IncidentActionBlocks.UNSILENCE)
        .doesNotContain(IncidentActionBlocks.SILENCE + "\"");
    await("the thread reply").atMost(TIMEOUT).until(() -> slack.threadReplies(ts).stream()
        .anyMatch(c -> decoded(c).contains(silence.id())));
    assertThat(auditLines(id)).singleElement().satisfies(line -> {
      assertThat(line.get("action").asText()).isEqualTo("silence");
      assertThat(line.get("result").asText()).isEqualTo("success");
      assertThat(line.get("user_id").asText()).isEqualTo("U1");
      assertThat(line.get("target").get("silence_id").asText()).isEqualTo(silence.id());
      assertThat(line.get("target").get("matchers").toString()).contains("namespace");
      assertThat(line.get("hash").asText()).hasSize(64);
    });

    // An alert covered by the silence is muted by Alertmanager and never reaches the incident.
    alertmanager.push(diskFull("prod", "db-1"), diskFull("prod", "db-2"));
    await("db-2 suppressed by the silence").atMost(TIMEOUT).until(() -> {
      for (JsonNode a : JSON.readTree(alertmanager.alertsJson())) {
        if ("db-2".equals(a.path("labels").path("instance").asText())) {
          return a.path("status").path("state").asText().equals("suppressed")
              && a.path("status").path("silencedBy").toString().contains(silence.id());
        }
      }
      return false;
    });
    alertmanager.push(diskFull("staging", "db-9"));
    awaitParent("staging");
    JsonNode incident = JSON.readTree(http.send(HttpRequest.newBuilder(
        URI.create(base + "/api/incidents/" + id))
        .header("Authorization", "Bearer " + API_TOKEN).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(incident.toString()).contains("db-1").doesNotContain("db-2");

    // A second Silence click creates no second silence; it says who silenced it.
    int responses = slack.responses().size();
    click("U2", IncidentActionBlocks.SILENCE, id + ":4h", true, ts);
    await("the ephemeral answer").atMost(TIMEOUT).until(() -> slack.responses().size() > responses);
    assertThat(slack.responses().get(responses)).contains("already silenced by <@U1>");
    assertThat(am.silences()).hasSize(1);

    // Unsilence expires it.
    click("U2", IncidentActionBlocks.UNSILENCE, String.valueOf(id), false, ts);
    await("the silence expired").atMost(TIMEOUT).until(() ->
        am.silences().stream().allMatch(s -> s.state().equals("expired")));
    await("the parent offers Silence again").atMost(TIMEOUT).until(() -> {
      List<Call> updates = slack.updates(ts);
      String last = decoded(updates.get(updates.size() - 1));
      return last.contains(IncidentActionBlocks.SILENCE + "\"") && !last.contains("Silenced until");
    });
    assertThat(auditLines(id)).extracting(l -> l.get("action").asText())
        .containsExactly("silence", "unsilence");
    assertThat(verifyAuditChain()).isZero();
  }

  @Test
  void acknowledgeUpdatesTheParentAndRepliesOnceEvenOnADoubleClickAndASlackRetry() throws Exception {
    alertmanager.push(diskFull("prod", "db-1"));
    Call parent = awaitParent("prod");
    String ts = parent.answeredTs();
    long id = incidentId(parent);

    String payload = SlackRequests.blockActions("U1", "alice", IncidentActionBlocks.ACKNOWLEDGE,
        String.valueOf(id), false, CLICK.incrementAndGet() + ".000100", slack.responseUrl(), ts);
    String now = String.valueOf(Instant.now().getEpochSecond());
    assertThat(requests.send(SlackRequests.formBody(payload),
        "application/x-www-form-urlencoded", now, null).statusCode()).isEqualTo(200);
    // Slack retries the same request; the user clicks again (a new action_ts).
    assertThat(requests.send(SlackRequests.formBody(payload),
        "application/x-www-form-urlencoded", now, "1").statusCode()).isEqualTo(200);
    assertThat(click("U1", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false, ts)
        .statusCode()).isEqualTo(200);

    await("the parent shows the acknowledgement").atMost(TIMEOUT).until(() -> slack.updates(ts)
        .stream().anyMatch(c -> decoded(c).contains("Acknowledged by <@U1>")));
    await("the thread reply").atMost(TIMEOUT).until(() -> slack.threadReplies(ts).stream()
        .anyMatch(c -> decoded(c).contains("Acknowledged by <@U1>")));
    await("the double click answered").atMost(TIMEOUT).until(() -> slack.responses().size() == 1);
    assertThat(slack.responses().get(0)).contains("You already acknowledged");
    Call update = slack.updates(ts).stream()
        .filter(c -> decoded(c).contains("Acknowledged by")).findFirst().orElseThrow();
    assertThat(decoded(update)).contains(IncidentActionBlocks.UNACKNOWLEDGE).contains("#1D9BD1");
    assertThat(auditLines(id)).singleElement()
        .satisfies(l -> assertThat(l.get("action").asText()).isEqualTo("acknowledge"));
    assertThat(slack.threadReplies(ts)).filteredOn(c -> decoded(c).contains("Acknowledged"))
        .hasSize(1);

    // Someone else clicking later is told who acknowledged.
    click("U2", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false, ts);
    await("the answer to U2").atMost(TIMEOUT).until(() -> slack.responses().size() == 2);
    assertThat(slack.responses().get(1)).contains("<@U1> already acknowledged");
    assertThat(auditLines(id)).hasSize(1);
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
        .contains("action=acknowledge").contains("result=success").contains("user_id=U1"));
  }

  @Test
  void badlySignedRequestsAre401WithoutEffectAndTheSecretNeverShowsInLogs() throws Exception {
    alertmanager.push(diskFull("prod", "db-1"));
    Call parent = awaitParent("prod");
    long id = incidentId(parent);
    String payload = SlackRequests.blockActions("U1", "alice", IncidentActionBlocks.ACKNOWLEDGE,
        String.valueOf(id), false, "1.1", slack.responseUrl(), parent.answeredTs());
    String body = SlackRequests.formBody(payload);
    String form = "application/x-www-form-urlencoded";
    long nowSeconds = Instant.now().getEpochSecond();
    String now = String.valueOf(nowSeconds);

    List<HttpResponse<String>> refused = List.of(
        requests.sendRaw(body, form, now, SlackRequests.signature("wrong-secret", now, body), null),
        requests.sendRaw(body.replace("alice", "mallory"), form, now,
            SlackRequests.signature(SIGNING_SECRET, now, body), null),
        requests.send(body, form, String.valueOf(nowSeconds - 301), null),
        requests.send(body, form, String.valueOf(nowSeconds + 301), null),
        requests.sendRaw(body, form, null, SlackRequests.signature(SIGNING_SECRET, now, body), null),
        requests.sendRaw(body, form, now, null, null));
    assertThat(refused).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(401));

    // Nothing happened: no click recorded, no reply, no audit row, no Slack update.
    HttpResponse<String> challenge = requests.send(
        "{\"token\":\"x\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
            + "\"type\":\"url_verification\"}", "application/json", now, null);
    assertThat(challenge.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(challenge.body()).get("challenge").asText())
        .isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    assertThat(auditLines(id)).isEmpty();
    assertThat(slack.responses()).isEmpty();
    assertThat(slack.updates(parent.answeredTs())).isEmpty();

    // Malformed payloads are 400; an unknown action gets a polite ephemeral reply.
    assertThat(requests.send(SlackRequests.formBody("{not json"), form, now, null).statusCode())
        .isEqualTo(400);
    assertThat(requests.send("nopayload=1", form, now, null).statusCode()).isEqualTo(400);
    assertThat(requests.sendInteraction(SlackRequests.blockActions("U1", "alice",
        "incident_escalate", String.valueOf(id), false, "2.2", slack.responseUrl(), null))
        .statusCode()).isEqualTo(200);
    await("the polite answer").atMost(TIMEOUT).until(() -> slack.responses().size() == 1);
    assertThat(slack.responses().get(0)).contains("Sorry").contains("incident_escalate");

    // The audit API wants the bearer token.
    HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(base + "/api/audit"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(open.statusCode()).isEqualTo(401);

    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
        .contains("slack request refused reason=bad_signature"));
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
        .contains("reason=stale_timestamp"));
    for (ILoggingEvent e : logs.list) {
      assertThat(e.getFormattedMessage()).doesNotContain(SIGNING_SECRET).doesNotContain(API_TOKEN);
      if (e.getThrowableProxy() != null) {
        assertThat(e.getThrowableProxy().getMessage() == null ? ""
            : e.getThrowableProxy().getMessage()).doesNotContain(SIGNING_SECRET);
      }
    }
  }

  @Test
  void alertmanagersErrorIsShownToTheUserAndAuditedAsAFailure() throws Exception {
    alertmanager.push(diskFull("prod", "db-1"));
    Call parent = awaitParent("prod");
    long id = incidentId(parent);
    alertmanager.close();
    alertmanager = null;

    click("U1", IncidentActionBlocks.SILENCE, id + ":4h", true, parent.answeredTs());

    await("the error shown").atMost(TIMEOUT).until(() -> slack.responses().size() == 1);
    assertThat(slack.responses().get(0)).contains("Alertmanager did not create the silence")
        .contains("unreachable").contains("\"response_type\":\"ephemeral\"");
    assertThat(auditLines(id)).singleElement().satisfies(l -> {
      assertThat(l.get("action").asText()).isEqualTo("silence");
      assertThat(l.get("result").asText()).isEqualTo("failure");
      assertThat(l.get("error").asText()).contains("unreachable");
    });
    assertThat(slack.updates(parent.answeredTs())).isEmpty();
  }

  @Test
  void anUntilResolvedSilenceIsExpiredOnceTheAlertsResolveAndTheResolutionStillArrives()
      throws Exception {
    // Alertmanager mutes resolved notifications of silenced alerts too: Alertdesk expires the
    // silence as soon as Alertmanager holds no matching alert, before the next group flush
    // (group_interval, 5 min by default; 20 s here) sends the resolution.
    alertmanager.reload(AlertmanagerProcess.Config.webhook(base + "/api/alerts")
        .withGroupBy("alertname", "namespace")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofHours(1)));
    PostableAlert alert = diskFull("prod", "db-1");
    alertmanager.push(alert);
    Call parent = awaitParent("prod");
    String ts = parent.answeredTs();
    long id = incidentId(parent);
    click("U1", IncidentActionBlocks.SILENCE, id + ":resolved", true, ts);
    AlertmanagerClient am = new AlertmanagerClient(alertmanager.url());
    await("the silence").atMost(TIMEOUT)
        .until(() -> am.silences().stream().anyMatch(s -> s.state().equals("active")));
    await("the parent shows it").atMost(TIMEOUT).until(() -> slack.updates(ts).stream()
        .anyMatch(c -> decoded(c).contains("Silenced until resolved")));

    alertmanager.push(alert.resolvedAt(Instant.now().minusSeconds(1)));

    await("the silence expired").atMost(TIMEOUT).until(() ->
        am.silences().stream().allMatch(s -> s.state().equals("expired")));
    // The audit row is written once Alertmanager has answered the expiry, so a moment later.
    await("the expiry audited").atMost(TIMEOUT).untilAsserted(() -> assertThat(auditLines(id))
        .extracting(l -> l.get("action").asText() + " " + l.get("user_id").asText())
        .containsExactly("silence U1", "unsilence alertdesk"));
    await("the incident resolved").atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(
        http.send(HttpRequest.newBuilder(URI.create(base + "/api/incidents/" + id))
            .header("Authorization", "Bearer " + API_TOKEN).GET().build(),
            HttpResponse.BodyHandlers.ofString()).body()).path("status").asText().equals("resolved"));
    await("the resolution reply").atMost(TIMEOUT).until(() -> slack.threadReplies(ts).stream()
        .anyMatch(c -> c.param("text").contains("Resolved after")));
  }
}
