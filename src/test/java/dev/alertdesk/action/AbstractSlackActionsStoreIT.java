package dev.alertdesk.action;

import static dev.alertdesk.testing.StoreFixture.START;
import static dev.alertdesk.testing.StoreFixture.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.alertmanager.AlertmanagerClient;
import dev.alertdesk.app.Main;
import dev.alertdesk.audit.AuditChain;
import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.history.HistoryRepository;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.history.HistoryRepository;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.slack.ResponseUrlResponder;
import dev.alertdesk.history.HistoryRepository;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.slack.SlackInteraction;
import dev.alertdesk.store.JdbiActionStore;
import dev.alertdesk.store.JdbiAuditLog;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.StoreFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Acknowledge, Unacknowledge and Snooze against a real database, through the real action code
 * (the {@link ActionDispatcher} with every handler; nothing listens where Alertmanager would be)
 * and the real ingest path, on a fixed clock; and the audit chain with
 * {@code alertdesk audit verify}. {@link SqliteSlackActionsStoreIT} and
 * {@link PostgresSlackActionsStoreIT} run the same tests. (Silences need a real Alertmanager:
 * see {@link SilenceExpiryIT} and {@code SlackInteractivityIT}.)
 */
abstract class AbstractSlackActionsStoreIT {
  private static final AtomicInteger CLICKS = new AtomicInteger();
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  StoreFixture store;
  SlackStandIn slack;
  JdbiActionStore actionStore;
  ActionDispatcher actions;
  JdbiAuditLog audit;

  /** Returns a new, empty database; called before each test. */
  protected abstract DatabaseTarget newDatabase();

  /** Returns the database of {@link #newDatabase()} as a {@code DB_CONNECTION_STRING}. */
  protected abstract String connectionString();

  @BeforeEach
  void open() throws Exception {
    store = new StoreFixture(newDatabase(), true);
    slack = new SlackStandIn();
    actionStore = new JdbiActionStore(store.database(), store.clock(), true, StoreFixture.CHANNEL);
    // Nothing listens on port 9: these tests never reach Alertmanager.
    ActionWriter writer = new ActionWriter(actionStore,
        ResponseUrlResponder.forSlackApi(slack.apiUrl()), () -> { });
    AlertmanagerClient alertmanager = new AlertmanagerClient("http://127.0.0.1:9");
    actions = new ActionDispatcher(actionStore, writer, store.clock(), List.of(
        new AcknowledgeHandler(writer, store.clock(), store.metrics()),
        new UnacknowledgeHandler(writer, store.clock()),
        new SilenceHandler(writer, alertmanager, store.clock()),
        new UnsilenceHandler(writer, alertmanager, store.clock()),
        new SnoozeHandler(writer, store.clock())));
    audit = new JdbiAuditLog(store.database());
  }

  @AfterEach
  void close() {
    actions.close();
    slack.close();
    store.close();
  }

  private static AlertmanagerPayload group() {
    return AlertmanagerPayload.group("team-a", "HighLatency");
  }

  /** Opens an incident and returns its id. */
  protected long openIncident() {
    Long id = store.ingest(group().firing("api-1", START)).incidentId();
    assertThat(id).isNotNull();
    return withParent(id);
  }

  /** Records the incident's parent message in the stand-in's channel, where clicks come from. */
  private long withParent(long id) {
    store.execute("INSERT INTO slack_message (incident_id, channel, channel_id, ts, posted_at) "
        + "VALUES (?, ?, ?, '1700000000.000100', 0)", id, StoreFixture.CHANNEL,
        SlackStandIn.CHANNEL_ID);
    return id;
  }

  /** Clicks as {@code userId}, as Slack would deliver it, and waits for the action. */
  protected void click(String userId, String actionId, String value, boolean select) {
    String payload = SlackRequests.blockActions(userId, "name-" + userId, actionId, value, select,
        "1700000000." + CLICKS.incrementAndGet(), slack.responseUrl(), null);
    SlackInteraction interaction = SlackInteraction.parse(payload);
    actions.dispatch(interaction, interaction.actions().get(0));
  }

  /** The incident's queued messages of one kind, composed now as the worker would send them. */
  private List<String> outbox(long incidentId, String kind) {
    return ComposedMessages.of(store.database(), store.clock(), NoiseRules.NONE, incidentId, true)
        .stream().filter(m -> m.kind().equals(kind))
        .map(HistoryRepository.RenderedMessage::payloadJson).toList();
  }

  private String lastPayload(long incidentId, String kind) {
    List<String> rows = outbox(incidentId, kind);
    if (rows.isEmpty()) {
      return "";
    }
    try {
      // Re-serialised by Jackson, which leaves < and > unescaped (Gson writes \u003c).
      return JSON.readTree(rows.get(rows.size() - 1)).toString();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void acknowledgeRecordsWhoAndWhenWithMttaAnAuditRowAndQueuesTheParentUpdateAndAReply() {
    long id = openIncident();
    store.clock().advance(Duration.ofMinutes(4));

    click("U1", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);

    assertThat(store.rows("SELECT acknowledged_by_id, acknowledged_by_name, acknowledged_at "
        + "FROM incident_response WHERE incident_id = ?", id)).singleElement().satisfies(r -> {
          assertThat(r.get("acknowledged_by_id")).isEqualTo("U1");
          assertThat(r.get("acknowledged_by_name")).isEqualTo("name-U1");
          assertThat(num(r.get("acknowledged_at")))
              .isEqualTo(START.plus(Duration.ofMinutes(4)).toEpochMilli());
        });
    assertThat(store.rows("SELECT details_json FROM incident_event WHERE incident_id = ? "
        + "AND kind = 'acknowledged'", id)).singleElement()
        .satisfies(r -> assertThat((String) r.get("details_json")).contains("\"mtta_seconds\":240"));
    assertThat(audit.forIncident(id)).singleElement().satisfies(r -> {
      assertThat(r.action()).isEqualTo("acknowledge");
      assertThat(r.userId()).isEqualTo("U1");
      assertThat(r.result()).isEqualTo("success");
    });
    assertThat(lastPayload(id, "PARENT_UPDATE")).contains("Acknowledged by <@U1>")
        .contains(IncidentActionBlocks.UNACKNOWLEDGE).doesNotContain("\"" + IncidentActionBlocks.ACKNOWLEDGE);
    assertThat(lastPayload(id, "THREAD_REPLY")).contains("Acknowledged by <@U1>").contains("4m");
    assertThat(slack.responses()).isEmpty();
    var mtta = store.metrics().get("alertdesk_time_to_acknowledge").timer();
    assertThat(mtta.count()).isEqualTo(1);
    assertThat(mtta.totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(240);
  }

  @Test
  void mttaRunsFromTheFirstAlertFiringToTheFirstAcknowledgementEverywhere() {
    // Alertmanager's group_wait and the alert's own "for" delay the notification: the alert
    // fired 71 s before Alertdesk opened the incident, which is acknowledged 60 s later.
    long id = withParent(store.ingest(group().firing("api-1", START.minusSeconds(71)))
        .incidentId());
    store.clock().advance(Duration.ofSeconds(60));

    click("U1", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);
    click("U1", IncidentActionBlocks.UNACKNOWLEDGE, String.valueOf(id), false);
    store.clock().advance(Duration.ofMinutes(10));
    click("U2", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);

    assertThat(store.rows("SELECT details_json FROM incident_event WHERE incident_id = ? "
        + "AND kind = 'acknowledged' ORDER BY id", id)).extracting(r -> (String) r.get("details_json"))
        .hasSize(2).first().asString().contains("\"mtta_seconds\":131");
    assertThat(audit.forIncident(id)).filteredOn(r -> r.action().equals("acknowledge"))
        .extracting(r -> r.parametersJson()).hasSize(2)
        .first().asString().contains("\"mtta_seconds\":131");
    var mtta = store.metrics().get("alertdesk_time_to_acknowledge").timer();
    assertThat(mtta.count()).as("only the first acknowledgement is a sample").isEqualTo(1);
    assertThat(mtta.totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(131);
    assertThat(mtta.max(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(131);
  }

  @Test
  void aSecondAcknowledgeSaysWhoAlreadyAcknowledgedAndWritesNothing() {
    long id = openIncident();
    click("U1", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);
    long outboxRows = store.count("outbox");

    click("U2", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);
    click("U1", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);

    assertThat(audit.count()).isEqualTo(1);
    assertThat(store.metrics().get("alertdesk_time_to_acknowledge").timer().count()).isEqualTo(1);
    assertThat(store.count("outbox")).isEqualTo(outboxRows);
    assertThat(slack.responses()).hasSize(2);
    assertThat(slack.responses().get(0)).contains("<@U1> already acknowledged")
        .contains("\"response_type\":\"ephemeral\"");
    assertThat(slack.responses().get(1)).contains("You already acknowledged");
  }

  @Test
  void notificationsAfterAnAcknowledgementKeepShowingItOnTheParent() {
    long id = openIncident();
    click("U1", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);
    store.clock().advance(Duration.ofMinutes(1));

    store.ingest(group().firing("api-1", START).firing("api-2", START.plusSeconds(50)));

    assertThat(lastPayload(id, "PARENT_UPDATE")).contains("FIRING:2")
        .contains("Acknowledged by <@U1>");
  }

  @Test
  void unacknowledgeClearsItAndIsAudited() {
    long id = openIncident();
    click("U1", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);
    click("U2", IncidentActionBlocks.UNACKNOWLEDGE, String.valueOf(id), false);

    assertThat(store.rows("SELECT acknowledged_by_id FROM incident_response WHERE incident_id = ?",
        id)).singleElement().satisfies(r -> assertThat(r.get("acknowledged_by_id")).isNull());
    assertThat(audit.forIncident(id)).extracting(r -> r.action())
        .containsExactly("acknowledge", "unacknowledge");
    assertThat(lastPayload(id, "PARENT_UPDATE")).doesNotContain("Acknowledged by")
        .contains(IncidentActionBlocks.ACKNOWLEDGE);
  }

  @Test
  void unknownActionsAndUnreadableValuesGetAPoliteEphemeralReplyAndNoWrite() {
    long id = openIncident();
    click("U1", "incident_escalate", String.valueOf(id), false);
    click("U1", IncidentActionBlocks.ACKNOWLEDGE, "not-an-id", false);
    click("U1", "link_runbook", "", false);

    assertThat(slack.responses()).hasSize(2);
    assertThat(slack.responses().get(0)).contains("Sorry").contains("incident_escalate");
    assertThat(slack.responses().get(1)).contains("could not read");
    assertThat(audit.count()).isZero();
  }

  @Test
  void theDispatcherRefusesAnUnknownActionIdFromAnyTransportWithAnEscapedEphemeralAnswer() {
    long id = openIncident();

    actions.dispatch(request("incident_<!channel>", id, null, SlackStandIn.CHANNEL_ID));

    assertThat(slack.responses()).singleElement().asString()
        .contains("\"response_type\":\"ephemeral\"")
        .contains("does not know the action `incident_&lt;!channel&gt;`")
        .doesNotContain("<!channel>");
    assertThat(audit.count()).isZero();
    assertThat(actions.actionIds()).containsExactlyInAnyOrder(IncidentActionBlocks.ACKNOWLEDGE,
        IncidentActionBlocks.UNACKNOWLEDGE, IncidentActionBlocks.SILENCE,
        IncidentActionBlocks.UNSILENCE, IncidentActionBlocks.SNOOZE);
  }

  @Test
  void aRequestFromAnotherTransportPassesTheSameChannelCheckAndReachesTheSameHandler() {
    long id = openIncident();
    long outboxRows = store.count("outbox");

    actions.dispatch(request(IncidentActionBlocks.ACKNOWLEDGE, id, null, null));
    actions.dispatch(request(IncidentActionBlocks.ACKNOWLEDGE, id, null, "C0ELSEWHERE"));
    assertThat(audit.count()).isZero();
    assertThat(store.count("outbox")).isEqualTo(outboxRows);
    assertThat(slack.responses()).hasSize(2)
        .allSatisfy(r -> assertThat(r).contains("does not belong to incident #" + id));

    actions.dispatch(request(IncidentActionBlocks.ACKNOWLEDGE, id, null, SlackStandIn.CHANNEL_ID));
    assertThat(actionStore.load(id).orElseThrow().response().acknowledgement())
        .satisfies(a -> assertThat(a.userId()).isEqualTo("U9"));
    assertThat(audit.forIncident(id)).extracting(r -> r.action()).containsExactly("acknowledge");
  }

  @Test
  void malformedSilenceAndSnoozeChoicesAreRefusedBeforeAlertmanagerOrTheDatabase() {
    long id = openIncident();
    long outboxRows = store.count("outbox");

    click("U1", IncidentActionBlocks.SILENCE, id + ":2h", true);
    click("U1", IncidentActionBlocks.SILENCE, String.valueOf(id), true);
    click("U1", IncidentActionBlocks.SNOOZE, id + ":n1000", true);
    click("U1", IncidentActionBlocks.SNOOZE, id + ":<b>*x*</b>", true);

    // Alertmanager (nothing listens on port 9) was never called: no failure row either.
    assertThat(audit.count()).isZero();
    assertThat(store.count("outbox")).isEqualTo(outboxRows);
    assertThat(store.count("incident_response")).isZero();
    assertThat(slack.responses()).hasSize(4);
    assertThat(slack.responses().get(0)).contains("does not know the silence duration `2h`");
    assertThat(slack.responses().get(1)).contains("does not know the silence duration `null`");
    assertThat(slack.responses().get(2)).contains("does not know the snooze choice `n1000`");
    assertThat(slack.responses().get(3)).contains("snooze choice `&lt;b&gt;")
        .doesNotContain("<b>");
  }

  @Test
  void everyRenderedSnoozeChoiceSnoozesForWhatItSays() {
    for (dev.alertdesk.slack.SnoozeChoice choice : dev.alertdesk.slack.SnoozeChoice.values()) {
      long id = withParent(store.ingest(AlertmanagerPayload.group("team-a", "Snooze" + choice)
          .firing("api-1", START)).incidentId());

      click("U1", IncidentActionBlocks.SNOOZE,
          dev.alertdesk.slack.ActionValue.option(id, choice.value()), true);

      assertThat(store.rows("SELECT snoozed_until, until_occurrence_count FROM fingerprint_snooze "
          + "WHERE incident_id = ?", id)).as(choice.name()).singleElement().satisfies(r -> {
            if (choice.duration() != null) {
              assertThat(num(r.get("snoozed_until"))).isEqualTo(
                  store.clock().instant().plus(choice.duration()).toEpochMilli());
              assertThat(r.get("until_occurrence_count")).isNull();
            } else {
              assertThat(r.get("snoozed_until")).isNull();
              assertThat(num(r.get("until_occurrence_count"))).isEqualTo(1L + choice.firings());
            }
          });
    }
    assertThat(audit.count()).isEqualTo(dev.alertdesk.slack.SnoozeChoice.values().length);
  }

  private ActionRequest request(String actionId, long incidentId, String choice,
      String channelId) {
    return new ActionRequest(actionId, incidentId, choice, "U9", "name-U9", channelId,
        slack.responseUrl());
  }

  @Test
  void aSnoozeByTimeLeavesTheFingerprintOutOfRepliesWhileHistoryRecordsEveryFiring() {
    long id = openIncident();
    String fp1 = group().fingerprint("api-1");
    click("U1", IncidentActionBlocks.SNOOZE, id + ":1h", true);
    assertThat(lastPayload(id, "THREAD_REPLY")).contains("snoozed 1 alert");
    int replies = outbox(id, "THREAD_REPLY").size();

    // api-2 joins: the reply names api-2 only.
    store.clock().advance(Duration.ofMinutes(1));
    store.ingest(group().firing("api-1", START).firing("api-2", START.plusSeconds(60)));
    assertThat(outbox(id, "THREAD_REPLY")).hasSize(replies + 1);
    assertThat(lastPayload(id, "THREAD_REPLY")).contains("api-2").doesNotContain("api-1");

    // api-1 resolves and fires again: no reply, but both occurrences are recorded.
    Instant refire = START.plus(Duration.ofMinutes(5));
    store.clock().advance(Duration.ofMinutes(2));
    store.ingest(group().resolved("api-1", START, START.plus(Duration.ofMinutes(2)))
        .firing("api-2", START.plusSeconds(60)));
    store.clock().advance(Duration.ofMinutes(2));
    store.ingest(group().firing("api-1", refire).firing("api-2", START.plusSeconds(60)));
    assertThat(outbox(id, "THREAD_REPLY")).hasSize(replies + 1);
    assertThat(store.rows("SELECT occurrence_count FROM alert_fingerprint WHERE fingerprint = ?",
        fp1)).singleElement().satisfies(r -> assertThat(num(r.get("occurrence_count"))).isEqualTo(2));

    // After the hour, api-1's changes are replied to again.
    store.clock().advance(Duration.ofMinutes(61));
    store.ingest(group().resolved("api-1", refire, store.clock().instant())
        .firing("api-2", START.plusSeconds(60)));
    assertThat(outbox(id, "THREAD_REPLY")).hasSize(replies + 2);
    assertThat(lastPayload(id, "THREAD_REPLY")).contains("api-1");
    assertThat(audit.forIncident(id)).extracting(r -> r.action()).containsExactly("snooze");
  }

  @Test
  void aSnoozeForTheNextTenFiringsEndsOnTheTenth() {
    long id = withParent(store.ingest(group().firing("api-1", START).firing("api-2", START))
        .incidentId());
    click("U1", IncidentActionBlocks.SNOOZE, id + ":n10", true);
    int replies = outbox(id, "THREAD_REPLY").size();
    Instant startsAt = START;
    for (int firing = 1; firing <= 10; firing++) {
      store.clock().advance(Duration.ofMinutes(1));
      store.ingest(group().resolved("api-1", startsAt, store.clock().instant())
          .firing("api-2", START));
      startsAt = store.clock().instant().plusSeconds(1);
      store.clock().advance(Duration.ofMinutes(1));
      store.ingest(group().firing("api-1", startsAt).firing("api-2", START));
      int expected = firing < 10 ? replies : replies + 1;
      assertThat(outbox(id, "THREAD_REPLY")).as("replies after firing %d", firing)
          .hasSize(expected);
    }
  }

  @Test
  void aSignedClickFromAnotherChannelChangesNothing() {
    long id = store.ingest(group().firing("api-1", START)).incidentId();
    store.execute("INSERT INTO slack_message (incident_id, channel, channel_id, ts, posted_at) "
        + "VALUES (?, '#elsewhere', 'C0ELSEWHERE', '1700000000.000100', 0)", id);
    long auditRows = store.count("audit_log");
    int updates = outbox(id, "PARENT_UPDATE").size();

    click("U1", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);

    assertThat(store.count("audit_log")).isEqualTo(auditRows);
    assertThat(outbox(id, "PARENT_UPDATE")).hasSize(updates);
    assertThat(actionStore.load(id).orElseThrow().response().acknowledgement()).isNull();
    await().atMost(Duration.ofSeconds(10)).until(() -> !slack.responses().isEmpty());
    assertThat(slack.responses().get(0)).contains("does not belong to incident #" + id);
  }

  @Test
  void aStepThatFailsWritesNothing() {
    long id = openIncident();
    long outboxRows = store.count("outbox");
    assertThatThrownBy(() -> actionStore.apply(id, ctx -> {
      throw new IllegalStateException("boom");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(audit.count()).isZero();
    assertThat(store.count("incident_response")).isZero();
    assertThat(store.count("outbox")).isEqualTo(outboxRows);
    assertThat(actionStore.apply(id + 1000, ctx -> ActionChange.tellOnly("x"))).isEmpty();
  }

  @Test
  void aClickIsRecordedOncePerKeyAndResumedUntilFinished() {
    Instant now = store.clock().instant();
    var first = actionStore.accept("U1:incident_acknowledge:1.1", "{\"a\":1}", now);
    var again = actionStore.accept("U1:incident_acknowledge:1.1", "{\"a\":1}", now);
    assertThat(first).isPresent();
    assertThat(again).isEmpty();
    assertThat(actionStore.pending(now.minusSeconds(60))).singleElement()
        .satisfies(p -> assertThat(p.payloadJson()).isEqualTo("{\"a\":1}"));
    actionStore.finish(first.get(), now);
    assertThat(actionStore.pending(now.minusSeconds(60))).isEmpty();
  }

  @Test
  void rbacDeniesOnThisDatabaseResolvingAChannelGrantedByNameAndAuditsTheDenial() {
    long id = openIncident();
    // oncall may acknowledge only in #alerts (named, resolved through the stored parent);
    // snooze only in #elsewhere.
    dev.alertdesk.rbac.RbacPolicy policy = new dev.alertdesk.rbac.RbacPolicy(
        Map.of("oncall", new dev.alertdesk.rbac.RbacPolicy.Role("oncall", java.util.Set.of(
            "U0ALICE"), java.util.Set.of("S0ONCALL"))),
        List.of(new dev.alertdesk.rbac.RbacPolicy.Grant("oncall", List.of("acknowledge"),
                List.of(StoreFixture.CHANNEL)),
            new dev.alertdesk.rbac.RbacPolicy.Grant("oncall", List.of("snooze"),
                List.of("#elsewhere"))));
    dev.alertdesk.rbac.UserGroupMembership groups = new dev.alertdesk.rbac.UserGroupMembership(
        group -> java.util.Set.of("U0BOB"), store.clock());
    ActionWriter writer = new ActionWriter(actionStore,
        ResponseUrlResponder.forSlackApi(slack.apiUrl()), () -> { });
    actions.close();
    actions = new ActionDispatcher(actionStore, writer, store.clock(), List.of(
        new AcknowledgeHandler(writer, store.clock(), store.metrics()),
        new SnoozeHandler(writer, store.clock())),
        new dev.alertdesk.rbac.ConfiguredAuthorizer(policy, groups,
            new dev.alertdesk.store.JdbiChannelNames(store.database())));

    click("U0CAROL", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);
    click("U0ALICE", IncidentActionBlocks.SNOOZE, id + ":n10", true);
    click("U0BOB", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);

    assertThat(audit.forIncident(id)).extracting(r -> r.action() + " " + r.result() + " "
        + r.userId()).containsExactly("acknowledge denied U0CAROL", "snooze denied U0ALICE",
            "acknowledge success U0BOB");
    assertThat(audit.forIncident(id).get(0).parametersJson()).contains("\"S0ONCALL\":false");
    assertThat(audit.forIncident(id).get(1).error())
        .isEqualTo("no role is granted snooze in this channel");
    assertThat(slack.responses()).hasSize(2);
    assertThat(slack.responses().get(0)).contains("Not allowed: needs role oncall");
    assertThat(audit.verify()).isEmpty();
    assertThat(verifyCli()).isZero();
  }

  @Test
  void tamperingWithOneAuditRowMakesAuditVerifyFailAndNameThatRow() {
    long id = openIncident();
    click("U1", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);
    click("U2", IncidentActionBlocks.UNACKNOWLEDGE, String.valueOf(id), false);
    click("U3", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);
    assertThat(audit.count()).isEqualTo(3);
    assertThat(audit.verify()).isEmpty();
    assertThat(verifyCli()).isZero();
    assertThat(cliOut.toString()).contains("audit chain OK: 3 rows");

    store.execute("UPDATE audit_log SET user_name = 'mallory' WHERE id = 2");

    assertThat(audit.verify()).hasValueSatisfying(b -> assertThat(b.rowId()).isEqualTo(2));
    assertThat(verifyCli()).isEqualTo(1);
    assertThat(cliErr.toString()).contains("BROKEN at row 2");
  }

  @Test
  void deletingAnAuditRowIsFoundToo() {
    long id = openIncident();
    click("U1", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);
    click("U2", IncidentActionBlocks.UNACKNOWLEDGE, String.valueOf(id), false);
    click("U3", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);

    store.execute("DELETE FROM audit_log WHERE id = 2");

    assertThat(audit.verify()).hasValueSatisfying(b -> {
      assertThat(b.rowId()).isEqualTo(3);
      assertThat(b.reason()).contains("prev_hash");
    });
    assertThat(audit.list(null, id, 10)).extracting(r -> r.id()).containsExactly(1L, 3L);
    assertThat(audit.list(null, null, 10).get(0).prevHash()).isEqualTo(AuditChain.GENESIS);
  }

  private final StringWriter cliOut = new StringWriter();
  private final StringWriter cliErr = new StringWriter();

  private int verifyCli() {
    return verifyCli(connectionString());
  }

  /** Runs {@code audit verify --database connection}; its output is in {@link #cliOut()}. */
  protected int verifyCli(String connection) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(cliOut, true));
    cli.setErr(new PrintWriter(cliErr, true));
    return cli.execute("audit", "verify", "--database", connection);
  }

  /** What the command line printed to stdout. */
  protected String cliOut() {
    return cliOut.toString();
  }

  /** What the command line printed to stderr. */
  protected String cliErr() {
    return cliErr.toString();
  }

  /** Stops the actions and closes the database, as a stopped service leaves it. */
  protected void closeStore() {
    actions.close();
    store.close();
  }
}
