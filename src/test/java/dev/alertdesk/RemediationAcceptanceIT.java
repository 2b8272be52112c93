package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.alertmanager.AlertmanagerClient;
import dev.alertdesk.app.Application;
import dev.alertdesk.app.Main;
import dev.alertdesk.config.Settings;
import dev.alertdesk.remediation.KubernetesExecutor;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.slack.RemediationMessageRenderer;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.KubeApiServer;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
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
 * Issue 15's "Done when", tried as a new user would, with every real part the service has: a
 * real Alertmanager fires {@code KubePodCrashLooping} for {@code checkout/payments-api}; the
 * service (real {@link Application}, SQLite, the {@code rbac} and {@code remediation} sections)
 * posts it to the Slack stand-in; user groups come from the stand-in's
 * {@code usergroups.users.list} through the real Slack SDK; clicks arrive signed at
 * {@code /slack/events}; the executor is the real {@link KubernetesExecutor} against a real
 * kube-apiserver ({@link KubeApiServer}), as the chart's ServiceAccount bound to exactly the
 * chart's Role. alice (oncall) requests a restart, her own approval is refused, bob (S0LEADS)
 * approves and only then the Deployment gets {@code restartedAt}; the thread and parent show the
 * result; the audit chain verifies; carol (no role) cannot silence.
 */
class RemediationAcceptanceIT {
  private static final String SIGNING_SECRET = "acceptance-it-signing-secret-4f2a";
  private static final String API_TOKEN = "acceptance-it-api-token-9b";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong CLICK = new AtomicLong(1_900_000_000L);
  private static final String CONFIG = """
      slack_channel: "#alerts"
      rbac:
        roles:
          oncall: {users: [U0ALICE]}
          leads:  {usergroups: [S0LEADS]}
        grants:
          - {role: oncall, actions: [acknowledge, silence, snooze, "remediate:*"]}
          - {role: leads,  actions: ["approve:*"], channels: ["#alerts"]}
      remediation:
        executors:
          kubernetes: {kubeconfig: "%s", timeout: 30s}
        actions:
          - id: restart
            title: Restart deployment
            when: ['alertname="KubePodCrashLooping"']
            executor: kubernetes
            operation: rollout-restart
            target: {namespace: "{{ .Labels.namespace }}", name: "{{ .Labels.deployment }}"}
            namespaces: {allow: [checkout]}
            approval: {approvers: [leads]}
      """;

  @TempDir Path storage;

  private KubeApiServer kube;
  private SlackStandIn slack;
  private AlertmanagerProcess alertmanager;
  private Application app;
  private SlackRequests requests;
  private String base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    kube = KubeApiServer.start();
    for (String ns : List.of("alertdesk", "checkout")) {
      kube.createNamespace(ns);
    }
    kube.applyChartRemediationRbac(storage, List.of("checkout"));
    Path kubeconfig = kube.writeKubeconfig(storage,
        kube.serviceAccountToken("alertdesk", "alertdesk"));
    kube.admin().apps().deployments().inNamespace("checkout").resource(new DeploymentBuilder()
        .withNewMetadata().withNamespace("checkout").withName("payments-api").endMetadata()
        .withNewSpec().withReplicas(2)
        .withNewSelector().addToMatchLabels("app", "payments-api").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "payments-api").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.36").endContainer()
        .endSpec().endTemplate().endSpec().build()).create();

    slack = new SlackStandIn();
    slack.usergroup("S0LEADS", "U0BOB");
    AlertmanagerProcess.Config config = AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:9/api/alerts")
        .withGroupBy("alertname", "namespace")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1));
    alertmanager = AlertmanagerProcess.start("RemediationAcceptanceIT", config);
    Path file = storage.resolve("alertdesk.yml");
    Files.writeString(file, CONFIG.formatted(kubeconfig));
    Map<String, String> env = Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "CONFIG_FILE", file.toString(),
        "SLACK_BOT_TOKEN", "xoxb-acceptance-it-bot-token",
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
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  void aCrashLoopIsRestartedFromSlackOnlyAfterASecondPersonApprovesAndAllOfItIsAudited()
      throws Exception {
    // 1. A real Alertmanager fires; Alertdesk posts the parent, offering the restart.
    alertmanager.push(PostableAlert.firing(
        Map.of("alertname", "KubePodCrashLooping", "namespace", "checkout",
            "deployment", "payments-api", "pod", "payments-api-7d9-x2k4p",
            "severity", "critical"),
        Map.of("summary", "payments-api is crash looping"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30), null));
    await("the parent message").atMost(TIMEOUT).until(() -> !slack.parentPosts().isEmpty());
    Call parent = slack.parentPosts().get(0);
    String parentTs = parent.answeredTs();
    long id = incidentId(parent);
    String requestAction = RemediationMessageRenderer.REQUEST + "_restart";
    assertThat(parent.param("attachments")).contains(requestAction)
        .contains("Restart deployment").contains("checkout/payments-api");
    await("the parent recorded").atMost(TIMEOUT).until(() -> {
      HttpResponse<String> r = get("/api/incidents/" + id);
      return r.statusCode() == 200 && !JSON.readTree(r.body()).path("slack_messages").isEmpty();
    });

    // 2. alice (oncall by user id) requests it: the thread shows it with the dry-run preview.
    click("U0ALICE", requestAction, id + ":restart", parentTs);
    await("the request in the thread").atMost(TIMEOUT).until(() -> slack.threadReplies(parentTs)
        .stream().anyMatch(c -> c.param("text").startsWith("Restart deployment")));
    Call request = slack.threadReplies(parentTs).stream()
        .filter(c -> c.param("text").startsWith("Restart deployment")).findFirst().orElseThrow();
    String requestTs = request.answeredTs();
    await("pending approval").atMost(TIMEOUT).until(() -> latestBlocks(request, requestTs)
        .contains("Pending approval"));
    assertThat(latestBlocks(request, requestTs)).contains("dry run accepted")
        .contains("restartedAt").contains("U0ALICE");
    JsonNode listed = JSON.readTree(get("/api/remediations").body()).path("items");
    assertThat(listed).hasSize(1);
    String requestId = listed.path(0).path("id").asText();
    assertThat(listed.path(0).path("state").asText()).isEqualTo("pending_approval");
    assertThat(restartedAt()).as("restartedAt after the preview").isNull();

    // 3. alice's own Approve is refused, ephemerally; nothing changes.
    int answered = slack.responses().size();
    click("U0ALICE", RemediationMessageRenderer.APPROVE, id + ":" + requestId, parentTs);
    await("alice's refusal").atMost(TIMEOUT).until(() -> slack.responses().size() > answered);
    assertThat(slack.responses().get(answered)).contains("Not allowed: needs role leads")
        .contains("\"response_type\":\"ephemeral\"");
    assertThat(JSON.readTree(get("/api/remediations").body()).path("items").path(0)
        .path("state").asText()).isEqualTo("pending_approval");
    assertThat(restartedAt()).as("restartedAt after alice's own approval").isNull();

    // 4. bob (in S0LEADS, read from usergroups.users.list) approves: only now the restart.
    click("U0BOB", RemediationMessageRenderer.APPROVE, id + ":" + requestId, parentTs);
    await("restartedAt in the real API server").atMost(TIMEOUT)
        .until(() -> restartedAt() != null);
    assertThat(slack.calls()).anyMatch(c -> c.method().equals("usergroups.users.list"));

    // 5. The request message, a thread reply and the parent show the result.
    await("the request shows success").atMost(TIMEOUT)
        .until(() -> latestBlocks(request, requestTs).contains("Succeeded"));
    await("the parent line").atMost(TIMEOUT).until(() -> slack.updates(parentTs).stream()
        .anyMatch(c -> String.valueOf(c.param("attachments")).contains("approved by <@U0BOB>")));
    assertThat(slack.threadReplies(parentTs)).anySatisfy(c ->
        assertThat(String.valueOf(c.param("blocks"))).contains("succeeded"));
    assertThat(JSON.readTree(get("/api/remediations?state=succeeded").body()).path("items"))
        .hasSize(1);

    // 7. carol, in no role, cannot silence; the real Alertmanager has no silence.
    int before = slack.responses().size();
    click("U0CAROL", IncidentActionBlocks.SILENCE, id + ":1h", parentTs);
    await("carol's refusal").atMost(TIMEOUT).until(() -> slack.responses().size() > before);
    assertThat(slack.responses().get(before)).contains("Not allowed: needs role oncall")
        .contains("\"response_type\":\"ephemeral\"");
    await("carol's denial audited").atMost(TIMEOUT).until(() -> audit().stream()
        .anyMatch(l -> l.path("action").asText().equals("silence")));
    assertThat(new AlertmanagerClient(alertmanager.url()).silences()).isEmpty();

    // 6. The audit chain verifies, with rows for requested, approved and succeeded.
    List<String> actions = audit().stream()
        .map(l -> l.path("action").asText() + " " + l.path("result").asText() + " "
            + l.path("user_id").asText()).toList();
    assertThat(actions).as(actions.toString())
        .anyMatch(a -> a.startsWith("remediation.requested") && a.endsWith("U0ALICE"))
        .anyMatch(a -> a.startsWith("remediation.approved") && a.endsWith("U0BOB"))
        .anyMatch(a -> a.startsWith("remediation.succeeded"))
        .anyMatch(a -> a.equals("silence denied U0CAROL"));
    StringWriter out = new StringWriter();
    picocli.CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    assertThat(cli.execute("audit", "verify", "--database",
        "sqlite://" + storage.resolve("alertdesk.db"))).as(out.toString()).isZero();
  }

  private String restartedAt() {
    Deployment d = kube.admin().apps().deployments().inNamespace("checkout")
        .withName("payments-api").get();
    Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(KubernetesExecutor.RESTARTED_AT);
  }

  /** The request message's blocks as last posted or edited. */
  private String latestBlocks(Call posted, String ts) {
    List<Call> updates = slack.updates(ts);
    return updates.isEmpty() ? posted.param("blocks")
        : updates.get(updates.size() - 1).param("blocks");
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

  private void click(String userId, String actionId, String value, String ts) {
    boolean select = actionId.equals(IncidentActionBlocks.SILENCE);
    HttpResponse<String> r = requests.sendInteraction(SlackRequests.blockActions(userId,
        "name-" + userId, actionId, value, select, CLICK.incrementAndGet() + ".000300",
        slack.responseUrl(), ts));
    assertThat(r.statusCode()).isEqualTo(200);
  }

  private List<JsonNode> audit() throws Exception {
    HttpResponse<String> r = get("/api/audit?limit=1000");
    assertThat(r.statusCode()).isEqualTo(200);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }
}
