package dev.alertdesk.command;

import static dev.alertdesk.testing.StoreFixture.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.store.JdbiCommandStore;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.StoreFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbiCommandStore} against a real database, through the real ingest path:
 * {@link SqliteCommandStoreIT} and {@link PostgresCommandStoreIT} run the same tests.
 */
abstract class AbstractCommandStoreIT {
  private static final String HERE = "C0HERE";
  private static final String ELSEWHERE = "C0ELSEWHERE";

  StoreFixture store;
  JdbiCommandStore commands;

  /** Returns a new, empty database; called before each test. */
  protected abstract DatabaseTarget newDatabase();

  @BeforeEach
  void open() {
    store = new StoreFixture(newDatabase(), true);
    commands = new JdbiCommandStore(store.database());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private long incident(String alertname, String channelId, String ts) {
    Long id = store.ingest(AlertmanagerPayload.group("team-a", alertname)
        .groupLabel("namespace", "prod").firing("api-1", START)).incidentId();
    // The fixture's payloads carry no commonAnnotations; Alertmanager's do.
    store.execute("UPDATE incident SET common_annotations_json = ? WHERE id = ?",
        "{\"summary\":\"sum of " + alertname + "\"}", id);
    store.execute("INSERT INTO slack_message (incident_id, channel, channel_id, ts, posted_at) "
        + "VALUES (?, ?, ?, ?, 0)", id, "#" + channelId, channelId, ts);
    return id;
  }

  @Test
  void anInvocationIsAcceptedOnceAndItsKeyIsForgottenAfterADay() {
    Instant now = store.clock().instant();
    assertThat(commands.accept("U1:1.2.3", now)).isTrue();
    assertThat(commands.accept("U1:1.2.3", now.plusSeconds(60))).isFalse();
    assertThat(commands.accept("U2:1.2.3", now)).isTrue();
    assertThat(commands.accept("U3:9", now.plus(Duration.ofDays(1)).plusSeconds(1))).isTrue();
    assertThat(store.count("slack_command")).isEqualTo(1);
    assertThat(commands.accept("U1:1.2.3", now.plus(Duration.ofDays(2)))).isTrue();
  }

  @Test
  void listsTheOpenIncidentsOfOneChannelNewestFirstWithTheirResponse() {
    long first = incident("DiskFull", HERE, "1700000001.000100");
    long second = incident("HighLatency", HERE, "1700000002.000100");
    incident("Elsewhere", ELSEWHERE, "1700000003.000100");
    long resolved = incident("Gone", HERE, "1700000004.000100");
    store.execute("UPDATE incident SET status = 'resolved' WHERE id = ?", resolved);
    store.execute("INSERT INTO incident_response (incident_id, acknowledged_by_id, "
        + "acknowledged_by_name, acknowledged_at, silence_id, silenced_until, updated_at) "
        + "VALUES (?, 'U7', 'seven', 0, 's-1', ?, 0)", first,
        START.plus(Duration.ofHours(4)).toEpochMilli());

    List<CommandStore.Listed> open = commands.openIn(HERE, 10);
    assertThat(open).extracting(CommandStore.Listed::id).containsExactly(second, first);
    assertThat(commands.countOpenIn(HERE)).isEqualTo(2);
    assertThat(commands.openIn(HERE, 1)).extracting(CommandStore.Listed::id)
        .containsExactly(second);
    CommandStore.Listed acked = open.get(1);
    assertThat(acked.acknowledgedById()).isEqualTo("U7");
    assertThat(acked.silencedUntil()).isEqualTo(START.plus(Duration.ofHours(4)));
    assertThat(acked.status()).isEqualTo(IncidentStatus.FIRING);
    assertThat(acked.alertname()).isEqualTo("DiskFull");
    assertThat(acked.groupLabels().get("namespace")).isEqualTo("prod");
    assertThat(acked.ts()).isEqualTo("1700000001.000100");
    assertThat(acked.channelId()).isEqualTo(HERE);
    assertThat(open.get(0).acknowledgedById()).isNull();
    assertThat(open.get(0).silencedUntil()).isNull();
    assertThat(commands.openIn("C0NONE", 10)).isEmpty();
  }

  @Test
  void showsAnIncidentOnlyInItsOwnChannelWithItsLatestValueLine() {
    long id = incident("DiskFull", HERE, "1700000001.000100");
    assertThat(commands.showIn(id, ELSEWHERE)).isEmpty();
    assertThat(commands.showIn(id + 100, HERE)).isEmpty();
    CommandStore.Shown shown = commands.showIn(id, HERE).orElseThrow();
    assertThat(shown.valueLine()).isNull();
    assertThat(shown.commonAnnotations().get("summary")).isEqualTo("sum of DiskFull");

    store.execute("INSERT INTO enrichment_job (incident_id, kind, episode, status, attempts, "
        + "next_attempt_at, created_at, value_line, finished_at) "
        + "VALUES (?, 'firing', 1, 'done', 0, 0, 0, 'Current value: 97%', ?)", id,
        START.toEpochMilli());
    shown = commands.showIn(id, HERE).orElseThrow();
    assertThat(shown.valueLine()).isEqualTo("Current value: 97%");
    assertThat(shown.valueAt()).isEqualTo(START);
  }
}
