package dev.alertdesk.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.alertmanager.AlertmanagerClient;
import dev.alertdesk.alertmanager.Silence;
import dev.alertdesk.slack.ActionValue;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.slack.ResponseUrlResponder;
import dev.alertdesk.slack.SilenceChoice;
import dev.alertdesk.slack.SlackInteraction;
import dev.alertdesk.store.JdbiActionStore;
import dev.alertdesk.store.JdbiAuditLog;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.StoreFixture;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Silence handler and the {@link SilenceExpiry} job against a real Alertmanager 0.25 and a
 * SQLite file: an "until resolved" silence is expired once its incident resolves, or once
 * Alertmanager holds no alert it matches, and never before; other silences are left alone. The
 * job is run by hand ({@link SilenceExpiry#run()}), so nothing waits on its schedule.
 */
class SilenceExpiryIT {
  private static final AtomicInteger CLICKS = new AtomicInteger();

  @TempDir Path dir;

  private StoreFixture store;
  private SlackStandIn slack;
  private AlertmanagerProcess alertmanagerProcess;
  private AlertmanagerClient alertmanager;
  private ActionDispatcher actions;
  private SilenceExpiry expiry;
  private JdbiAuditLog audit;
  private Instant now;

  @BeforeEach
  void start() throws Exception {
    store = new StoreFixture(TestDatabases.sqlite(dir), true);
    // Alertmanager refuses silences that end in the past: act at the real time.
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    store.clock().set(now);
    slack = new SlackStandIn();
    alertmanagerProcess = AlertmanagerProcess.start("SilenceExpiryIT",
        AlertmanagerProcess.Config.webhook("http://127.0.0.1:9/api/alerts"));
    alertmanager = new AlertmanagerClient(alertmanagerProcess.url());
    JdbiActionStore actionStore = new JdbiActionStore(store.database(), store.clock(), true,
        StoreFixture.CHANNEL);
    ActionWriter writer = new ActionWriter(actionStore,
        ResponseUrlResponder.forSlackApi(slack.apiUrl()), () -> { });
    actions = new ActionDispatcher(actionStore, writer, store.clock(),
        List.of(new SilenceHandler(writer, alertmanager, store.clock())));
    expiry = new SilenceExpiry(actionStore, alertmanager, writer, store.clock());
    audit = new JdbiAuditLog(store.database());
  }

  @AfterEach
  void stop() {
    expiry.close();
    actions.close();
    alertmanagerProcess.close();
    slack.close();
    store.close();
  }

  private static AlertmanagerPayload group() {
    return AlertmanagerPayload.group("team-a", "HighLatency");
  }

  /** Opens an incident with a parent message in the stand-in's channel; returns its id. */
  private long openIncident() {
    long id = store.ingest(group().firing("api-1", now)).incidentId();
    store.execute("INSERT INTO slack_message (incident_id, channel, channel_id, ts, posted_at) "
        + "VALUES (?, ?, ?, '1700000000.000100', 0)", id, StoreFixture.CHANNEL,
        SlackStandIn.CHANNEL_ID);
    return id;
  }

  /** Chooses {@code choice} in the incident's Silence select and returns the silence created. */
  private Silence silence(long id, SilenceChoice choice) {
    String payload = SlackRequests.blockActions("U1", "alice", IncidentActionBlocks.SILENCE,
        ActionValue.option(id, choice.value()), true, "1700000000." + CLICKS.incrementAndGet(),
        slack.responseUrl(), null);
    SlackInteraction interaction = SlackInteraction.parse(payload);
    actions.dispatch(interaction, interaction.actions().get(0));
    assertThat(slack.responses()).as("no refusal").isEmpty();
    return alertmanager.silences().stream().filter(s -> s.state().equals("active"))
        .findFirst().orElseThrow();
  }

  private String state(String silenceId) {
    return alertmanager.silences().stream().filter(s -> s.id().equals(silenceId))
        .findFirst().orElseThrow().state();
  }

  private List<String> auditActions(long id) {
    return audit.forIncident(id).stream().map(r -> r.action() + " " + r.userId()).toList();
  }

  /** The incident's last queued thread reply, composed now as the worker would send it. */
  private String lastThreadReply(long id) throws Exception {
    List<String> replies = dev.alertdesk.testing.ComposedMessages.of(store.database(),
            store.clock(), dev.alertdesk.noise.NoiseRules.NONE, id, true)
        .stream().filter(m -> m.kind().equals("THREAD_REPLY"))
        .map(dev.alertdesk.history.HistoryRepository.RenderedMessage::payloadJson).toList();
    // Re-serialised by Jackson, which leaves < and > unescaped (Gson writes \u003c).
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(replies.get(replies.size() - 1)).toString();
  }

  @Test
  void anUntilResolvedSilenceStaysWhileItsAlertFiresAndIsExpiredOnceTheIncidentResolves()
      throws Exception {
    long id = openIncident();
    alertmanagerProcess.push(PostableAlert.firing(
        Map.of("alertname", "HighLatency", "instance", "api-1"), Map.of(), now, null));
    Silence silence = silence(id, SilenceChoice.UNTIL_RESOLVED);
    assertThat(silence.endsAt()).isAfter(now.plus(SilenceChoice.UNTIL_RESOLVED.duration())
        .minusSeconds(60));

    expiry.run();
    assertThat(state(silence.id())).isEqualTo("active");
    assertThat(auditActions(id)).containsExactly("silence U1");

    store.clock().advance(java.time.Duration.ofSeconds(30));
    store.ingest(group().resolved("api-1", now, store.clock().instant()));
    expiry.run();

    assertThat(state(silence.id())).isEqualTo("expired");
    assertThat(auditActions(id)).containsExactly("silence U1", "unsilence alertdesk");
    assertThat(store.rows("SELECT details_json FROM incident_event WHERE incident_id = ? "
        + "AND kind = 'unsilenced'", id)).singleElement().satisfies(r ->
            assertThat((String) r.get("details_json")).contains("\"reason\":\"incident resolved\"")
                .contains("\"user_id\":\"alertdesk\""));
    assertThat(lastThreadReply(id)).contains("Resolved: Alertdesk expired silence")
        .contains(silence.id()).contains("created by <@U1>");
    assertThat(store.rows("SELECT silence_id FROM incident_response WHERE incident_id = ?", id))
        .singleElement().satisfies(r -> assertThat(r.get("silence_id")).isNull());

    expiry.run();
    assertThat(auditActions(id)).hasSize(2);
    assertThat(slack.responses()).isEmpty();
  }

  @Test
  void anUntilResolvedSilenceWhoseAlertsLeftAlertmanagerIsExpiredBeforeTheResolutionArrives() {
    long id = openIncident();
    Silence silence = silence(id, SilenceChoice.UNTIL_RESOLVED);

    expiry.run();

    assertThat(state(silence.id())).isEqualTo("expired");
    assertThat(store.rows("SELECT details_json FROM incident_event WHERE incident_id = ? "
        + "AND kind = 'unsilenced'", id)).singleElement().satisfies(r ->
            assertThat((String) r.get("details_json"))
                .contains("\"reason\":\"no alert matches in Alertmanager\""));
  }

  @Test
  void aSilenceForAFixedTimeIsLeftToAlertmanagerEvenAfterTheIncidentResolves() {
    long id = openIncident();
    Silence silence = silence(id, SilenceChoice.ONE_HOUR);
    store.clock().advance(java.time.Duration.ofSeconds(30));
    store.ingest(group().resolved("api-1", now, store.clock().instant()));

    expiry.run();

    assertThat(state(silence.id())).isEqualTo("active");
    assertThat(auditActions(id)).containsExactly("silence U1");
  }
}
