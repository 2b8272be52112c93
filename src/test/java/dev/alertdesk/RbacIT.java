package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.alertmanager.AlertmanagerClient;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RBAC as a new user meets it: a real Alertmanager posts through the service to the Slack
 * stand-in; clicks arrive signed at {@code /slack/events}; user groups come from the stand-in's
 * {@code usergroups.users.list} through the real Slack SDK. alice (listed in role oncall)
 * acknowledges; carol (in no role) cannot silence, is told why and the refusal is audited;
 * bob silences through his user group; erin's grant holds only in {@code #alerts}, named by name;
 * Slack's free plan fails closed. The audit chain verifies after all of it.
 */
class RbacIT {
  private static final String SIGNING_SECRET = "rbac-it-signing-secret-5d1e";
  private static final String API_TOKEN = "rbac-it-api-token-c3";
  private static final String BOT_TOKEN = "xoxb-rbac-it-bot-token-77";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong CLICK = new AtomicLong(1_800_000_000L);
  private static final String CONFIG = """
      slack_channel: "#alerts"
      rbac:
        roles:
          oncall: {users: [U0ALICE], usergroups: [S0ONCALL]}
          leads:  {usergroups: [S0LEADS]}
        grants:
          - {role: oncall, actions: [acknowledge, silence, snooze, "remediate:*"]}
          - {role: leads,  actions: ["approve:*", snooze], channels: ["#alerts"]}
          - {role: leads,  actions: [acknowledge], channels: ["#elsewhere", C0OTHER]}
      """;

  @TempDir Path storage;

  private SlackStandIn slack;
  private AlertmanagerProcess alertmanager;
  private Application app;
  private SlackRequests requests;
  private String base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    slack = new SlackStandIn();
    slack.usergroup("S0ONCALL", "U0BOB");
    slack.usergroup("S0LEADS", "U0ERIN");
    AlertmanagerProcess.Config config = AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:9/api/alerts")
        .withGroupBy("alertname", "namespace")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1));
    alertmanager = AlertmanagerProcess.start("RbacIT", config);
    Path file = storage.resolve("alertdesk.yml");
    Files.writeString(file, CONFIG);
    Map<String, String> env = Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "CONFIG_FILE", file.toString(),
        "SLACK_BOT_TOKEN", BOT_TOKEN,
        "SLACK_API_URL", slack.apiUrl(),
        "SLACK_SIGNING_SECRET", SIGNING_SECRET,
        "ALERTMANAGER_URL", alertmanager.url(),
        "API_BEARER_TOKEN", API_TOKEN);
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
  }

  private Call awaitParent() throws Exception {
    alertmanager.push(PostableAlert.firing(
        Map.of("alertname", "DiskFull", "namespace", "prod", "instance", "db-1",
            "severity", "critical"),
        Map.of("summary", "Disk almost full on db-1"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30), null));
    await("the parent message").atMost(TIMEOUT).until(() -> !slack.parentPosts().isEmpty());
    Call parent = slack.parentPosts().get(0);
    long id = incidentId(parent);
    await("the parent recorded").atMost(TIMEOUT).until(() -> {
      HttpResponse<String> r = get("/api/incidents/" + id);
      return r.statusCode() == 200 && !JSON.readTree(r.body()).path("slack_messages").isEmpty();
    });
    return parent;
  }

  private static long incidentId(Call parent) {
    String text = parent.param("text");
    return Long.parseLong(text.substring(text.indexOf("#") + 1,
        text.indexOf(")", text.indexOf("#"))));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + API_TOKEN).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Clicks and waits for the ephemeral answer or the audit row the click leads to. */
  private void click(String userId, String actionId, String value, boolean select, String ts) {
    HttpResponse<String> r = requests.sendInteraction(SlackRequests.blockActions(userId,
        "name-" + userId, actionId, value, select, CLICK.incrementAndGet() + ".000300",
        slack.responseUrl(), ts));
    assertThat(r.statusCode()).isEqualTo(200);
  }

  private List<JsonNode> audit(long incidentId) throws Exception {
    HttpResponse<String> r = get("/api/audit?incident=" + incidentId);
    assertThat(r.statusCode()).isEqualTo(200);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  private int verifyAuditChain() {
    picocli.CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return cli.execute("audit", "verify", "--database",
        "sqlite://" + storage.resolve("alertdesk.db"));
  }

  private long groupReads() {
    return slack.calls().stream().filter(c -> c.method().equals("usergroups.users.list")).count();
  }

  @Test
  void carolCannotSilenceAliceAcknowledgesBobSilencesThroughHisGroup() throws Exception {
    Call parent = awaitParent();
    String ts = parent.answeredTs();
    long id = incidentId(parent);
    AlertmanagerClient am = new AlertmanagerClient(alertmanager.url());

    // carol, in no role, cannot silence: told why, audited as denied, Alertmanager untouched.
    click("U0CAROL", IncidentActionBlocks.SILENCE, id + ":1h", true, ts);
    await("carol's answer").atMost(TIMEOUT).until(() -> slack.responses().size() == 1);
    assertThat(slack.responses().get(0)).contains("Not allowed: needs role oncall")
        .contains("\"response_type\":\"ephemeral\"");
    await("the denial audited").atMost(TIMEOUT).until(() -> !audit(id).isEmpty());
    assertThat(audit(id)).singleElement().satisfies(l -> {
      assertThat(l.get("action").asText()).isEqualTo("silence");
      assertThat(l.get("result").asText()).isEqualTo("denied");
      assertThat(l.get("user_id").asText()).isEqualTo("U0CAROL");
      assertThat(l.get("incident_id").asLong()).isEqualTo(id);
      assertThat(l.get("error").asText()).isEqualTo("needs role oncall");
      assertThat(l.get("parameters").get("roles").isEmpty()).isTrue();
      assertThat(l.get("parameters").get("memberships").get("S0ONCALL").asBoolean()).isFalse();
      assertThat(l.get("target").get("channel_id").asText()).isEqualTo(SlackStandIn.CHANNEL_ID);
    });
    assertThat(am.silences()).isEmpty();
    assertThat(slack.updates(ts)).isEmpty();

    // alice, listed in oncall, acknowledges.
    click("U0ALICE", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false, ts);
    await("the parent shows alice's acknowledgement").atMost(TIMEOUT).until(() ->
        slack.updates(ts).stream().anyMatch(c -> c.param("text") != null
            && String.valueOf(c.params()).contains("Acknowledged by <@U0ALICE>")));

    // bob, in oncall through user group S0ONCALL, silences: a real Alertmanager silence.
    click("U0BOB", IncidentActionBlocks.SILENCE, id + ":1h", true, ts);
    await("bob's silence in Alertmanager").atMost(TIMEOUT)
        .until(() -> am.silences().stream().anyMatch(s -> s.state().equals("active")));
    assertThat(am.silences()).singleElement()
        .satisfies(s -> assertThat(s.createdBy()).isEqualTo("name-U0BOB"));
    // carol's check read the group; bob's, within 5 minutes, came from the cache.
    assertThat(groupReads()).isEqualTo(1);

    // erin (leads, through S0LEADS) may snooze in #alerts, which the grant names by name; her
    // acknowledge grant is only for other channels.
    click("U0ERIN", IncidentActionBlocks.UNACKNOWLEDGE, String.valueOf(id), false, ts);
    await("erin's refusal").atMost(TIMEOUT).until(() -> slack.responses().size() == 2);
    assertThat(slack.responses().get(1)).contains("Not allowed: needs role oncall");
    click("U0ERIN", IncidentActionBlocks.SNOOZE, id + ":n10", true, ts);
    await("erin's snooze audited").atMost(TIMEOUT).until(() -> audit(id).stream()
        .anyMatch(l -> l.get("action").asText().equals("snooze")));

    await("every row written").atMost(TIMEOUT).untilAsserted(() -> assertThat(audit(id))
        .extracting(l -> l.get("action").asText() + " " + l.get("result").asText() + " "
            + l.get("user_id").asText())
        .containsExactly("silence denied U0CAROL", "acknowledge success U0ALICE",
            "silence success U0BOB", "unacknowledge denied U0ERIN", "snooze success U0ERIN"));
    assertThat(verifyAuditChain()).isZero();

    String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET()
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("alertdesk_rbac_denied_total{action=\"silence\"} 1.0")
        .contains("alertdesk_rbac_denied_total{action=\"unacknowledge\"} 1.0");
    JsonNode status = JSON.readTree(get("/api/status").body()).path("sections").path("rbac");
    assertThat(status.path("level").asText()).isEqualTo("ok");
    assertThat(status.path("details").path("enabled").asBoolean()).isTrue();
    assertThat(status.path("details").path("last_membership_read_ok").asBoolean()).isTrue();
    assertThat(status.toString()).doesNotContain(BOT_TOKEN).doesNotContain("U0BOB");
  }

  @Test
  void slacksFreePlanFailsClosedAndSaysWhy() throws Exception {
    slack.refuse("usergroups.users.list", "plan_upgrade_required");
    Call parent = awaitParent();
    String ts = parent.answeredTs();
    long id = incidentId(parent);

    click("U0BOB", IncidentActionBlocks.SNOOZE, id + ":n10", true, ts);
    await("bob's answer").atMost(TIMEOUT).until(() -> slack.responses().size() == 1);
    assertThat(slack.responses().get(0)).contains("Not allowed: needs role oncall or leads")
        .contains("plan_upgrade_required");
    // alice is listed by ID: no group needs reading for her.
    click("U0ALICE", IncidentActionBlocks.SNOOZE, id + ":n10", true, ts);
    await("the rows").atMost(TIMEOUT).untilAsserted(() -> assertThat(audit(id))
        .extracting(l -> l.get("user_id").asText() + " " + l.get("result").asText())
        .containsExactly("U0BOB denied", "U0ALICE success"));
    assertThat(audit(id).get(0).get("error").asText()).contains("plan_upgrade_required");

    JsonNode status = JSON.readTree(get("/api/status").body()).path("sections").path("rbac");
    assertThat(status.path("level").asText()).isEqualTo("error");
    assertThat(status.path("summary").asText()).contains("plan_upgrade_required");
    assertThat(verifyAuditChain()).isZero();
  }
}
