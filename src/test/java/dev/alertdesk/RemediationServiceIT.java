package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.app.Application;
import dev.alertdesk.app.RemediationParts;
import dev.alertdesk.config.Settings;
import dev.alertdesk.remediation.ExecutorKind;
import dev.alertdesk.slack.RemediationMessageRenderer;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.FakeAuthorizer;
import dev.alertdesk.testing.RecordingExecutor;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.SlackStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remediation through the whole service: a webhook opens a KubePodCrashLooping incident, the
 * parent offers "Restart deployment", and signed Slack interactions (through the Slack stand-in
 * and the real SDK) request it, refuse the requester's own approval and approve it by another
 * person; the request message is edited in place, the parent shows the result, and
 * {@code GET /api/remediations} and the web page list it. RBAC and the executor are hand-written
 * stand-ins ({@link FakeAuthorizer}, {@link RecordingExecutor}).
 */
class RemediationServiceIT {
  private static final String SECRET = "remediation-it-signing-secret";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger CLICK = new AtomicInteger(100);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path storage;
  private SlackStandIn slack;
  private Application app;
  private SlackRequests requests;
  private String base;
  private final RecordingExecutor executor = new RecordingExecutor();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    slack = new SlackStandIn();
    Path config = storage.resolve("alertdesk.yml");
    Files.writeString(config, """
        remediation:
          actions:
            - id: restart-deployment
              title: Restart deployment
              when: ['alertname="KubePodCrashLooping"']
              executor: kubernetes
              operation: rollout-restart
              target: {namespace: "{{ .Labels.namespace }}", name: "{{ .Labels.deployment }}"}
              namespaces: {allow: [checkout]}
              approval: {approvers: [leads]}
        """);
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-test",
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "SLACK_SIGNING_SECRET", SECRET,
        "CONFIG_FILE", config.toString()));
    FakeAuthorizer rbac = new FakeAuthorizer().grant("oncall", "remediate:*")
        .grant("leads", "approve:*").user("UALICE", "oncall").user("UBOB", "leads");
    app = Application.start(Settings.load(env), Settings.load(env).noiseRules(),
        Clock.systemUTC(), new RemediationParts(rbac, Map.of(ExecutorKind.KUBERNETES, executor)));
    base = "http://127.0.0.1:" + app.port();
    requests = new SlackRequests(base, SECRET);
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void click(String userId, String actionId, String value, String parentTs) {
    HttpResponse<String> r = requests.sendInteraction(SlackRequests.blockActions(userId,
        "name-" + userId, actionId, value, false, CLICK.incrementAndGet() + ".000300",
        slack.responseUrl(), parentTs));
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void aRestartIsRequestedRefusedToTheRequesterApprovedByAnotherAndShownEverywhere()
      throws Exception {
    byte[] payload = AlertmanagerPayload.group("kube", "KubePodCrashLooping")
        .alert("firing", Map.of("alertname", "KubePodCrashLooping", "namespace", "checkout",
            "deployment", "payments-api", "severity", "critical"),
            Instant.now().minusSeconds(60), null).bytes();
    HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/api/alerts"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).isEqualTo(200);
    await().atMost(TIMEOUT).until(() -> !slack.parentPosts().isEmpty());
    SlackStandIn.Call parent = slack.parentPosts().get(0);
    String parentTs = parent.answeredTs();
    String blocks = parent.param("attachments");
    String requestAction = RemediationMessageRenderer.REQUEST + "_restart-deployment";
    assertThat(blocks).contains(requestAction).contains("Restart deployment")
        .contains("checkout/payments-api");
    JsonNode incidents = JSON.readTree(get("/api/incidents").body());
    long id = incidents.path("incidents").path(0).path("id").asLong(
        incidents.path("items").path(0).path("id").asLong());
    assertThat(id).as(incidents.toString()).isPositive();
    // Clicks count only once the parent's ts is recorded, as a person cannot click earlier.
    await().atMost(TIMEOUT).until(() -> get("/api/incidents/" + id).body().contains(parentTs));

    click("UALICE", requestAction, id + ":restart-deployment", parentTs);
    await().atMost(TIMEOUT).until(() -> slack.threadReplies(parentTs).stream()
        .anyMatch(c -> c.param("text").startsWith("Restart deployment")));
    // Posted once, then edited in place as the request moves on.
    List<SlackStandIn.Call> posts = slack.threadReplies(parentTs).stream()
        .filter(c -> c.param("text").startsWith("Restart deployment")).toList();
    assertThat(posts).hasSize(1);
    String requestTs = posts.get(0).answeredTs();
    await().atMost(TIMEOUT).until(() -> posts.get(0).param("blocks").contains("Pending approval")
        || slack.updates(requestTs).stream()
            .anyMatch(c -> c.param("blocks").contains("Pending approval")));
    JsonNode list = JSON.readTree(get("/api/remediations").body());
    String requestId = list.path("items").path(0).path("id").asText();
    assertThat(list.path("items").path(0).path("state").asText()).isEqualTo("pending_approval");

    click("UALICE", RemediationMessageRenderer.APPROVE, id + ":" + requestId, parentTs);
    await().atMost(TIMEOUT).until(() -> slack.responses().stream()
        .anyMatch(r -> r.contains("Not allowed: needs role leads")));
    assertThat(executor.executions()).isEmpty();

    click("UBOB", RemediationMessageRenderer.APPROVE, id + ":" + requestId, parentTs);
    await().atMost(TIMEOUT).until(() -> executor.executions().size() == 1);
    await().atMost(TIMEOUT).until(() -> slack.updates(requestTs).stream()
        .anyMatch(c -> c.param("blocks").contains("Succeeded")));
    await().atMost(TIMEOUT).until(() -> slack.updates(parentTs).stream()
        .anyMatch(c -> c.param("attachments").contains("approved by <@UBOB>")));
    assertThat(slack.threadReplies(parentTs)).anySatisfy(c ->
        assertThat(c.param("blocks")).contains("succeeded"));

    JsonNode after = JSON.readTree(get("/api/remediations?state=succeeded&limit=10").body());
    assertThat(after.path("items")).hasSize(1);
    assertThat(after.path("items").path(0).path("approvals").path(0).path("user_id").asText())
        .isEqualTo("UBOB");
    assertThat(get("/api/remediations?limit=0").statusCode()).isEqualTo(400);
    assertThat(get("/api/remediations?state=bogus").statusCode()).isEqualTo(400);
    assertThat(get("/api/remediations?before=yesterday").statusCode()).isEqualTo(400);
    String page = get("/remediations").body();
    assertThat(page).contains("Remediations").contains("checkout/payments-api")
        .contains("Succeeded");
    assertThat(get("/incidents/" + id).body()).contains("Remediation requests")
        .contains(requestId);
    assertThat(JSON.readTree(get("/api/incidents/" + id).body()).path("remediations"))
        .hasSize(1);
  }
}
