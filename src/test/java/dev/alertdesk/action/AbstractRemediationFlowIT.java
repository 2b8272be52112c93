package dev.alertdesk.action;

import static dev.alertdesk.testing.StoreFixture.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.app.Main;
import dev.alertdesk.audit.AuditRecord;
import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.delivery.OutboxWorker;
import dev.alertdesk.alert.Matchers;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.remediation.ApprovalPolicy;
import dev.alertdesk.remediation.ExecutorKind;
import dev.alertdesk.remediation.NamespacePolicy;
import dev.alertdesk.remediation.RateLimit;
import dev.alertdesk.remediation.RemediationAction;
import dev.alertdesk.remediation.RemediationCatalogue;
import dev.alertdesk.remediation.RemediationRequest;
import dev.alertdesk.remediation.RemediationResult;
import dev.alertdesk.remediation.RemediationState;
import dev.alertdesk.remediation.TargetTemplate;
import dev.alertdesk.slack.RemediationMessageRenderer;
import dev.alertdesk.slack.ResponseUrlResponder;
import dev.alertdesk.slack.SlackInteraction;
import dev.alertdesk.slack.SlackMessageComposer;
import dev.alertdesk.slack.SlackProblems;
import dev.alertdesk.slack.SlackWebApiGateway;
import dev.alertdesk.store.JdbiActionStore;
import dev.alertdesk.store.JdbiAuditLog;
import dev.alertdesk.store.JdbiMessageState;
import dev.alertdesk.store.JdbiOutbox;
import dev.alertdesk.store.JdbiRemediationStore;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.FakeAuthorizer;
import dev.alertdesk.testing.RecordingExecutor;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.StoreFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The remediation flow end to end against a real database: Slack interactions (as Slack sends
 * them) through the real {@link ActionDispatcher} and handlers, a hand-written executor and
 * authorizer, the outbox delivered by the real worker to the Slack stand-in through the real
 * SDK, and {@code alertdesk audit verify} and {@code freeze} on the database.
 * {@link SqliteRemediationFlowIT} and {@link PostgresRemediationFlowIT} run the same tests.
 */
abstract class AbstractRemediationFlowIT {
  private static final AtomicInteger CLICKS = new AtomicInteger();
  protected static final String PARENT_TS = "1700000000.000100";

  protected StoreFixture store;
  protected SlackStandIn slack;
  protected FakeAuthorizer rbac;
  protected RecordingExecutor executor;
  protected JdbiRemediationStore remediations;
  protected ActionDispatcher actions;
  protected RemediationFlow flow;
  protected AtomicBoolean enabled;
  protected JdbiAuditLog audit;
  private OutboxWorker worker;

  /** Returns a new, empty database; called before each test. */
  protected abstract DatabaseTarget newDatabase();

  /** Returns the database as a {@code DB_CONNECTION_STRING}. */
  protected abstract String connectionString();

  static RemediationCatalogue catalogue(int count, RateLimit perTarget) {
    return new RemediationCatalogue(List.of(new RemediationAction("restart-deployment",
        "Restart deployment", Matchers.parseEach(List.of("alertname=\"KubePodCrashLooping\"")),
        ExecutorKind.KUBERNETES, "rollout-restart",
        TargetTemplate.parse("{{ .Labels.namespace }}", TargetTemplate.Kind.NAMESPACE),
        TargetTemplate.parse("{{ .Labels.deployment }}", TargetTemplate.Kind.NAME),
        new NamespacePolicy(List.of("checkout"), List.of()), "alertdesk.io/remediable=true",
        perTarget, null, null, new ApprovalPolicy(List.of("leads"), count,
            Duration.ofMinutes(15), ApprovalPolicy.Required.ALWAYS))), null);
  }

  @BeforeEach
  void open() throws Exception {
    store = new StoreFixture(newDatabase(), true);
    slack = new SlackStandIn();
    rbac = new FakeAuthorizer()
        .grant("oncall", "remediate:*", "acknowledge")
        .grant("leads", "approve:*")
        .user("UALICE", "oncall")
        .user("UBOB", "leads")
        .user("UDAN", "leads", "oncall")
        .user("UCAROL");
    executor = new RecordingExecutor();
    enabled = new AtomicBoolean(true);
    build(catalogue(1, new RateLimit(5, Duration.ofHours(1))));
  }

  /** (Re)builds the flow and dispatcher with {@code catalogue}. */
  protected void build(RemediationCatalogue catalogue) {
    if (actions != null) {
      actions.close();
    }
    JdbiActionStore actionStore = new JdbiActionStore(store.database(), store.clock(), true,
        StoreFixture.CHANNEL);
    ActionWriter writer = new ActionWriter(actionStore,
        ResponseUrlResponder.forSlackApi(slack.apiUrl()), () -> { });
    remediations = new JdbiRemediationStore(store.database(), store.clock(), true);
    flow = new RemediationFlow(remediations, catalogue,
        Map.of(ExecutorKind.KUBERNETES, executor), rbac, enabled::get, writer, () -> { },
        store.clock());
    List<ActionHandler> handlers = new java.util.ArrayList<>();
    handlers.addAll(RemediationRequestHandler.all(flow));
    handlers.addAll(RemediationDecisionHandler.all(flow));
    handlers.add(new AcknowledgeHandler(writer, store.clock(), store.metrics()));
    actions = new ActionDispatcher(actionStore, writer, store.clock(), handlers, rbac);
    audit = new JdbiAuditLog(store.database());
    SlackMessageComposer composer = new SlackMessageComposer(store.clock(), true, NoiseRules.NONE,
        new JdbiMessageState(store.database(), store.clock()), catalogue);
    worker = new OutboxWorker(new JdbiOutbox(store.database()),
        new SlackWebApiGateway(slack.apiUrl(), "xoxb-test",
            new SlackProblems(store.metrics(), store.clock(), true)),
        composer, store.clock(), store.metrics(), Duration.ofMillis(50));
  }

  @AfterEach
  void close() {
    actions.close();
    flow.close();
    slack.close();
    store.close();
  }

  /** Opens a KubePodCrashLooping incident for checkout/payments-api with its parent posted. */
  protected long openIncident() {
    AlertmanagerPayload p = AlertmanagerPayload.group("team-a", "KubePodCrashLooping")
        .alert("firing", Map.of("alertname", "KubePodCrashLooping", "namespace", "checkout",
            "deployment", "payments-api", "severity", "critical"), START, null);
    long id = store.ingest(p).incidentId();
    store.execute("INSERT INTO slack_message (incident_id, channel, channel_id, ts, posted_at) "
        + "VALUES (?, ?, ?, ?, 0)", id, StoreFixture.CHANNEL, SlackStandIn.CHANNEL_ID, PARENT_TS);
    // The parent was posted: its queued post is done.
    store.execute("UPDATE outbox SET status = 'delivered' WHERE incident_id = ?", id);
    return id;
  }

  /** Clicks a button as {@code userId}, as Slack delivers it, and waits for the work. */
  protected void click(String userId, String actionId, String value) {
    String payload = SlackRequests.blockActions(userId, "name-" + userId, actionId, value, false,
        "1700000001." + CLICKS.incrementAndGet(), slack.responseUrl(), PARENT_TS);
    SlackInteraction interaction = SlackInteraction.parse(payload);
    actions.dispatch(interaction, interaction.actions().get(0));
  }

  protected void requestRestart(String userId, long incidentId) {
    // A second apart, so the newest request is first.
    store.clock().advance(Duration.ofSeconds(1));
    click(userId, RemediationMessageRenderer.REQUEST + "_restart-deployment",
        incidentId + ":restart-deployment");
  }

  protected RemediationRequest only(long incidentId) {
    List<RemediationRequest> all = remediations.forIncident(incidentId);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  protected void decide(String userId, String actionId, RemediationRequest r) {
    click(userId, actionId, r.incidentId() + ":" + r.id());
  }

  protected List<String> auditActions(long incidentId) {
    return audit.forIncident(incidentId).stream().map(AuditRecord::action).toList();
  }

  protected void assertAuditChainVerifies() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    assertThat(cli.execute("audit", "verify", "--database", connectionString()))
        .as(out.toString()).isZero();
  }

  protected String lastEphemeral() {
    List<String> r = slack.responses();
    return r.isEmpty() ? "" : r.get(r.size() - 1);
  }

  /** Sends everything queued (the channel's rate limit spreads it over a few seconds). */
  private void deliver() {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200)).until(() -> {
          worker.runOnce();
          return store.rows("SELECT id FROM outbox WHERE status = 'pending'").isEmpty();
        });
  }

  @Test
  void aRequestApprovedByAnotherUserInTheRoleExecutesOnceAndTheThreadAndParentShowIt() {
    long id = openIncident();
    requestRestart("UALICE", id);
    RemediationRequest r = only(id);
    assertThat(r.state()).isEqualTo(RemediationState.PENDING_APPROVAL);
    assertThat(r.preview().summary()).contains("checkout/payments-api");
    assertThat(r.target().parameters()).containsEntry("requiredLabel",
        "alertdesk.io/remediable=true");
    assertThat(executor.previews()).isEqualTo(1);
    assertThat(executor.executions()).isEmpty();
    deliver();
    List<SlackStandIn.Call> requestPosts = slack.threadReplies(PARENT_TS);
    assertThat(requestPosts).hasSize(1);
    String requestTs = requestPosts.get(0).answeredTs();
    assertThat(requestPosts.get(0).param("blocks")).contains("Pending approval")
        .contains(RemediationMessageRenderer.APPROVE).contains(r.incidentId() + ":" + r.id())
        .contains("<@UALICE>").contains("dry run");

    decide("UBOB", RemediationMessageRenderer.APPROVE, r);

    assertThat(executor.executions()).containsExactly(
        "rollout-restart checkout/payments-api " + r.id() + " [UBOB]");
    RemediationRequest done = remediations.find(r.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(RemediationState.SUCCEEDED);
    assertThat(rbac.checks()).contains("UALICE remediate:restart-deployment FRESH",
        "UBOB approve:restart-deployment FRESH");
    deliver();
    // The request message was edited in place, never posted again; the result is a reply.
    assertThat(slack.updates(requestTs)).isNotEmpty().last().satisfies(c ->
        assertThat(c.param("blocks")).contains("Succeeded")
            .doesNotContain(RemediationMessageRenderer.APPROVE));
    assertThat(slack.threadReplies(PARENT_TS)).hasSize(2).last().satisfies(c ->
        assertThat(c.param("blocks")).contains("succeeded").contains("approved by <@UBOB>"));
    assertThat(slack.updates(PARENT_TS)).last().satisfies(c ->
        assertThat(c.param("attachments")).contains("Restart deployment")
            .contains("by <@UALICE>, approved by <@UBOB>"));
    assertThat(auditActions(id)).containsSubsequence("remediation.requested",
        "remediation.previewed", "remediation.pending_approval", "remediation.approved",
        "remediation.executing", "remediation.succeeded");
    assertThat(audit.forIncident(id)).filteredOn(a -> a.action().equals("remediation.approved"))
        .singleElement().satisfies(a -> {
          assertThat(a.userId()).isEqualTo("UBOB");
          assertThat(a.parametersJson()).contains("\"memberships\"").contains("S_leads")
              .contains(done.previewHash());
        });
    assertThat(store.rows("SELECT kind FROM incident_event WHERE incident_id = ? "
        + "AND kind = 'remediation'", id)).hasSizeGreaterThanOrEqualTo(3);
    assertAuditChainVerifies();
  }

  @Test
  void aSelfApprovalAndAnApprovalWithoutTheRoleAreRefusedAndAudited() {
    long id = openIncident();
    requestRestart("UDAN", id);
    RemediationRequest r = only(id);

    decide("UDAN", RemediationMessageRenderer.APPROVE, r);
    assertThat(lastEphemeral()).contains("another person must approve");
    decide("UCAROL", RemediationMessageRenderer.APPROVE, r);
    assertThat(lastEphemeral()).contains("needs role");
    decide("UALICE", RemediationMessageRenderer.APPROVE, r);
    assertThat(lastEphemeral()).containsIgnoringCase("not allowed");

    assertThat(remediations.find(r.id()).orElseThrow().state())
        .isEqualTo(RemediationState.PENDING_APPROVAL);
    assertThat(executor.executions()).isEmpty();
    assertThat(audit.forIncident(id)).filteredOn(a -> a.result().equals("denied"))
        .extracting(AuditRecord::action)
        .contains("remediation.self_approve_refused").hasSizeGreaterThanOrEqualTo(3);
    assertAuditChainVerifies();
  }

  @Test
  void aUserWithoutTheGrantCannotRequest() {
    long id = openIncident();
    requestRestart("UCAROL", id);
    assertThat(remediations.forIncident(id)).isEmpty();
    assertThat(lastEphemeral()).containsIgnoringCase("not allowed: needs role oncall");
    assertThat(audit.forIncident(id)).singleElement().satisfies(a ->
        assertThat(a.result()).isEqualTo("denied"));
  }

  @Test
  void rejectCancelAndExpireEndRequestsWithoutExecuting() {
    long id = openIncident();
    requestRestart("UALICE", id);
    RemediationRequest first = only(id);
    decide("UALICE", RemediationMessageRenderer.REJECT, first);
    assertThat(lastEphemeral()).as("alice holds no approver role").contains("needs role leads");
    decide("UBOB", RemediationMessageRenderer.REJECT, first);
    assertThat(remediations.find(first.id()).orElseThrow().state())
        .isEqualTo(RemediationState.REJECTED);

    requestRestart("UALICE", id);
    RemediationRequest second = remediations.forIncident(id).get(0);
    decide("UBOB", RemediationMessageRenderer.CANCEL, second);
    assertThat(lastEphemeral()).as("bob may not request").contains("needs role oncall");
    decide("UDAN", RemediationMessageRenderer.CANCEL, second);
    assertThat(lastEphemeral()).as("dan may request, but this is alice's")
        .contains("only the requester");
    decide("UALICE", RemediationMessageRenderer.CANCEL, second);
    assertThat(remediations.find(second.id()).orElseThrow().state())
        .isEqualTo(RemediationState.CANCELLED);

    requestRestart("UALICE", id);
    RemediationRequest third = remediations.forIncident(id).get(0);
    store.clock().advance(Duration.ofMinutes(16));
    assertThat(flow.runDue()).isEqualTo(1);
    assertThat(remediations.find(third.id()).orElseThrow().state())
        .isEqualTo(RemediationState.EXPIRED);
    decide("UBOB", RemediationMessageRenderer.APPROVE, third);
    assertThat(lastEphemeral()).contains("already expired");
    assertThat(executor.executions()).isEmpty();
    assertThat(auditActions(id)).contains("remediation.rejected", "remediation.cancelled",
        "remediation.expired");
    assertAuditChainVerifies();
  }

  @Test
  void aDoubleClickOnApproveExecutesOnce() {
    long id = openIncident();
    requestRestart("UALICE", id);
    RemediationRequest r = only(id);
    decide("UBOB", RemediationMessageRenderer.APPROVE, r);
    decide("UBOB", RemediationMessageRenderer.APPROVE, r);
    decide("UDAN", RemediationMessageRenderer.APPROVE, r);
    assertThat(executor.executions()).hasSize(1);
    assertThat(store.count("remediation_execution")).isEqualTo(1);
    assertThat(lastEphemeral()).contains("already succeeded");
    assertAuditChainVerifies();
  }

  @Test
  void theKillSwitchStopsRequestsAndBlocksApprovedOnes() {
    long id = openIncident();
    requestRestart("UALICE", id);
    RemediationRequest r = only(id);
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("freeze", "--reason", "change freeze", "--database",
        connectionString())).as(out.toString()).isZero();
    assertThat(out.toString()).contains("FROZEN");

    decide("UBOB", RemediationMessageRenderer.APPROVE, r);
    assertThat(remediations.find(r.id()).orElseThrow().state())
        .isEqualTo(RemediationState.BLOCKED);
    assertThat(executor.executions()).isEmpty();
    requestRestart("UALICE", id);
    assertThat(lastEphemeral()).contains("frozen");
    assertThat(remediations.forIncident(id)).hasSize(1);

    assertThat(cli.execute("unfreeze", "--database", connectionString())).isZero();
    enabled.set(false); // REMEDIATION_ENABLED=false
    flow.runDue();
    flow.runDue();
    requestRestart("UALICE", id);
    assertThat(remediations.forIncident(id)).hasSize(1);
    enabled.set(true);
    requestRestart("UALICE", id);
    assertThat(remediations.forIncident(id)).hasSize(2);
    assertThat(audit.list(null, null, 1000)).extracting(AuditRecord::action)
        .contains("remediation.freeze", "remediation.unfreeze", "remediation.blocked",
            "remediation.request_blocked")
        .containsOnlyOnce("remediation.disabled");
    assertAuditChainVerifies();
  }

  @Test
  void aLimitReachedBlocksTheExecution() {
    build(catalogue(1, new RateLimit(1, Duration.ofHours(1))));
    long id = openIncident();
    requestRestart("UALICE", id);
    decide("UBOB", RemediationMessageRenderer.APPROVE, only(id));
    requestRestart("UALICE", id);
    RemediationRequest second = remediations.forIncident(id).get(0);
    decide("UBOB", RemediationMessageRenderer.APPROVE, second);
    RemediationRequest blocked = remediations.find(second.id()).orElseThrow();
    assertThat(blocked.state()).isEqualTo(RemediationState.BLOCKED);
    assertThat(blocked.detail()).contains("limit reached").contains("target:restart-deployment");
    assertThat(executor.executions()).hasSize(1);
    // The bucket refills: an hour later another restart may run.
    store.clock().advance(Duration.ofHours(1));
    requestRestart("UALICE", id);
    decide("UBOB", RemediationMessageRenderer.APPROVE, remediations.forIncident(id).get(0));
    assertThat(executor.executions()).hasSize(2);
    assertAuditChainVerifies();
  }

  @Test
  void withCountTwoTwoDistinctApproversAreNeededAndAStaleTargetChangesNothing() {
    build(catalogue(2, null));
    executor.outcome(RemediationResult.Outcome.STALE);
    long id = openIncident();
    requestRestart("UALICE", id);
    RemediationRequest r = only(id);
    decide("UBOB", RemediationMessageRenderer.APPROVE, r);
    assertThat(executor.executions()).isEmpty();
    decide("UBOB", RemediationMessageRenderer.APPROVE, r);
    assertThat(lastEphemeral()).contains("already approved");
    decide("UDAN", RemediationMessageRenderer.APPROVE, r);
    assertThat(executor.executions()).hasSize(1).first().asString().contains("[UBOB, UDAN]");
    assertThat(remediations.find(r.id()).orElseThrow().state()).isEqualTo(RemediationState.STALE);
    assertAuditChainVerifies();
  }

  @Test
  void membershipThatCannotBeReadAtExecutionDeniesIt() {
    long id = openIncident();
    requestRestart("UALICE", id);
    RemediationRequest r = only(id);
    rbac.user("UBOB", "leads");
    // Bob's approval is checked with the cache; execution reads fresh and fails closed.
    FakeAuthorizer failing = rbac;
    failing.unreadable(false);
    decide("UBOB", RemediationMessageRenderer.APPROVE, r);
    assertThat(remediations.find(r.id()).orElseThrow().state())
        .isEqualTo(RemediationState.SUCCEEDED);
    requestRestart("UALICE", id);
    RemediationRequest second = remediations.forIncident(id).get(0);
    rbac.unreadable(true);
    decide("UBOB", RemediationMessageRenderer.APPROVE, second);
    assertThat(lastEphemeral()).contains("plan_upgrade_required");
    assertThat(remediations.find(second.id()).orElseThrow().state())
        .isEqualTo(RemediationState.PENDING_APPROVAL);
    assertThat(executor.executions()).hasSize(1);
  }
}
