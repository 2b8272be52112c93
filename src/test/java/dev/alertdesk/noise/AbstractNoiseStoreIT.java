package dev.alertdesk.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.incident.IncidentEngine;
import dev.alertdesk.incident.IncidentRepository.IncidentDetail;
import dev.alertdesk.ingest.NotificationIngestor;
import dev.alertdesk.ingest.IngestPipeline;
import dev.alertdesk.ingest.IngestPipelineFactory;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.store.Database;
import dev.alertdesk.store.JdbiIncidentRepository;
import dev.alertdesk.store.JdbiIngestStore;
import dev.alertdesk.store.JdbiNoiseStore;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Noise control on a real database through the real ingest path: its state lives in the store,
 * so a restart in the middle of a window (a new service over the same database, the old one
 * gone) continues where the old one stopped. {@link SqliteNoiseStoreIT} and
 * {@link PostgresNoiseStoreIT} run these tests.
 */
abstract class AbstractNoiseStoreIT {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final NoiseRules RULES = new NoiseRules(List.of(), Duration.ofMinutes(2),
      Duration.ofHours(1), 4, Duration.ofMinutes(1), 3, List.of("namespace"), Duration.ofMinutes(30));

  private final MutableClock clock = new MutableClock(T0);
  private DatabaseTarget target;
  private Service service;

  protected abstract DatabaseTarget newDatabase();

  /** One running service: what {@code Application} builds, without HTTP and Slack. */
  private final class Service implements AutoCloseable {
    final Database database;
    final JdbiIncidentRepository repository;
    final NotificationIngestor ingestor;
    final NoiseWorker worker;

    Service() {
      database = Database.open(target);
      database.migrate();
      IngestPipeline pipeline = new IngestPipelineFactory(clock,
          new IncidentEngine(clock, Duration.ofHours(1)), "#alerts", false, RULES)
          .pipeline(new JdbiIngestStore(database, true), IncidentResponseState.NONE);
      repository = new JdbiIncidentRepository(database);
      ingestor = new NotificationIngestor(pipeline, clock, new SimpleMeterRegistry());
      worker = new NoiseWorker(pipeline.gate(), new JdbiNoiseStore(database, true, clock), clock,
          Duration.ofSeconds(1), () -> { });
    }

    void ingest(Instant at, AlertmanagerPayload payload) {
      clock.set(at);
      ingestor.ingest(payload.bytes(), Map.of());
    }

    int tick(Instant at) {
      clock.set(at);
      return worker.runOnce();
    }

    @Override
    public void close() {
      worker.close();
      database.close();
    }
  }

  @BeforeEach
  void start() {
    target = newDatabase();
    service = new Service();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private void restart() {
    service.close();
    service = new Service();
  }

  private static AlertmanagerPayload firing(String alertname, Instant startsAt, String namespace) {
    return NoiseScenario.firing(alertname, startsAt, "namespace=" + namespace);
  }

  private List<Map<String, Object>> rows(String sql) {
    return service.database.jdbi().withHandle(h -> h.createQuery(sql).mapToMap().list());
  }

  private long count(String sql) {
    return service.database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  @Test
  void aStormWithMoreIncidentsThanTheLedgerListsCountsThemAllAndListsTheOldest() {
    Instant old = T0.minus(Duration.ofMinutes(10));
    int rolledUp = NoiseLedger.MAX_STORM_MEMBERS + 3;
    for (int i = 0; i < 3 + rolledUp; i++) {
      service.ingest(T0.plusMillis(i), firing("DiskFull", old, "ns-" + i));
    }

    assertThat(count("SELECT COUNT(*) FROM incident_channel WHERE mode = 'rolled_up'"))
        .isEqualTo(rolledUp);
    String storm = ComposedMessages.first(service.database, clock, RULES, 4, "PARENT_UPDATE");
    assertThat(storm).contains("Alert storm: " + rolledUp + " incidents (" + rolledUp + " firing)")
        .contains("*DiskFull* — " + NoiseLedger.MAX_STORM_MEMBERS + " incidents")
        .contains("+3 newer incidents not listed here")
        .contains("#4 ").doesNotContain("#" + (3 + rolledUp) + " ");
  }

  @Test
  void aStormWindowSurvivesARestartInTheMiddle() {
    Instant old = T0.minus(Duration.ofMinutes(10));
    service.ingest(T0, firing("A", old, "a"));
    service.ingest(T0.plusSeconds(5), firing("B", old, "b"));
    restart();
    service.ingest(T0.plusSeconds(10), firing("C", old, "c"));
    service.ingest(T0.plusSeconds(15), firing("D", old, "d"));
    restart();
    service.ingest(T0.plusSeconds(20), firing("E", old, "e"));

    assertThat(count("SELECT COUNT(*) FROM outbox WHERE kind = 'PARENT_POST'")).isEqualTo(4);
    assertThat(rows("SELECT incident_id, mode, storm_id FROM incident_channel ORDER BY incident_id"))
        .extracting(r -> r.get("mode"))
        .containsExactly("posted", "posted", "posted", "rolled_up", "rolled_up");
    assertThat(count("SELECT COUNT(*) FROM incident_event WHERE kind = 'rolled_up'")).isEqualTo(2);
    // The storm message is the parent of incident 4 and lists 4 and 5; it was updated, not reposted.
    assertThat(rows("SELECT incident_id, kind FROM outbox WHERE incident_id = 4 ORDER BY id"))
        .extracting(r -> r.get("kind")).containsExactly("PARENT_POST", "PARENT_UPDATE");
    String storm = ComposedMessages.first(service.database, clock, RULES, 4, "PARENT_UPDATE");
    assertThat(storm).contains("Alert storm: 2 incidents").contains("#4").contains("#5");

    restart();
    assertThat(service.tick(T0.plusSeconds(75))).isPositive();
    assertThat(count("SELECT COUNT(*) FROM incident_event WHERE kind = 'storm_ended'")).isEqualTo(1);
  }

  @Test
  void aDelayedIncidentIsPostedByTheDeadlineWorkerAfterARestart() {
    service.ingest(T0.plusSeconds(30), firing("A", T0, "a"));
    service.ingest(T0.plusSeconds(30), firing("B", T0, "b"));
    assertThat(count("SELECT COUNT(*) FROM outbox")).isZero();
    restart();

    service.ingest(T0.plusSeconds(90), NoiseScenario.resolved("B", T0, T0.plusSeconds(80),
        "namespace=b"));
    assertThat(service.tick(T0.plus(Duration.ofMinutes(2)).minusMillis(1))).isZero();
    assertThat(service.tick(T0.plus(Duration.ofMinutes(2)))).isEqualTo(1);

    assertThat(rows("SELECT incident_id, kind FROM outbox ORDER BY id"))
        .extracting(r -> ((Number) r.get("incident_id")).longValue(), r -> r.get("kind"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "PARENT_POST"));
    IncidentDetail b = service.repository.find(2).orElseThrow();
    assertThat(b.events()).extracting(e -> e.kind())
        .contains("notification_delayed", "notification_suppressed");
    assertThat(b.events().stream().filter(e -> e.kind()
        .equals("notification_suppressed")).findFirst().orElseThrow().details())
        .containsEntry("reason", "resolved_before_notify_after");
  }

  @Test
  void flappingCountsAndRemindersContinueAcrossRestarts() {
    Instant t = T0.minus(Duration.ofMinutes(5));
    service.ingest(T0, firing("Flappy", t, "f"));
    Instant started = t;
    for (int i = 1; i <= 5; i++) {
      Instant at = T0.plus(Duration.ofMinutes(2L * i));
      if (i % 2 == 1) {
        service.ingest(at, NoiseScenario.resolved("Flappy", started, at, "namespace=f"));
      } else {
        started = at;
        service.ingest(at, firing("Flappy", started, "f"));
      }
      restart();
    }
    assertThat(count("SELECT COUNT(*) FROM incident_event WHERE kind = 'flapping_started'"))
        .isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM noise_flapping")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM incident_event WHERE kind = 'notification_suppressed'"))
        .isEqualTo(1);

    // Fires again at 12 min: a critical incident, posted at T0, so its reminder was due at 30 min.
    service.ingest(T0.plus(Duration.ofMinutes(12)), firing("Flappy", T0.plus(Duration.ofMinutes(12)), "f"));
    restart();
    assertThat(service.tick(T0.plus(Duration.ofMinutes(42)))).isPositive();
    assertThat(count("SELECT COUNT(*) FROM incident_event WHERE kind = 'reminder_sent'"))
        .isEqualTo(1);
  }

  @Test
  void aCorrelatedIncidentLinksToTheRelatedParentInTheHistoryApi() {
    Instant old = T0.minus(Duration.ofMinutes(10));
    service.ingest(T0, firing("DnsErrors", old, "shop"));
    service.ingest(T0.plusSeconds(5), firing("HighLatency", old, "shop"));
    service.database.jdbi().useHandle(h -> h.execute("INSERT INTO slack_message (incident_id, "
        + "channel, channel_id, ts, posted_at) VALUES (1, '#alerts', 'C1', '111.222', 0)"));

    IncidentDetail related = service.repository.find(2).orElseThrow();
    assertThat(related.slackMessages()).extracting(m -> m.ts()).containsExactly("111.222");
    assertThat(rows("SELECT incident_id, kind FROM outbox ORDER BY id"))
        .extracting(r -> ((Number) r.get("incident_id")).longValue(), r -> r.get("kind"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "PARENT_POST"),
            org.assertj.core.groups.Tuple.tuple(1L, "THREAD_REPLY"));
  }

  @Test
  void everyChannelStateSurvivesTheRoundTripThroughItsStoredRow() {
    service.ingest(T0, firing("A", T0.minusSeconds(600), "a"));
    ChannelState.Routing r = new ChannelState.Routing(1, "#x", 2, "<!subteam^S1>",
        "namespace=\"a\"");
    List<ChannelState> states = List.of(
        new ChannelState.Posted(routing(r, "#posted"), T0.plusSeconds(1700), 3),
        new ChannelState.Posted(routing(r, "#posted-no-reminder"), null, 0),
        new ChannelState.HistoryOnly(new ChannelState.Routing(1, "#history", -1, null, null)),
        new ChannelState.Delayed(routing(r, "#delayed"), T0.plusSeconds(120)),
        new ChannelState.Suppressed(routing(r, "#suppressed")),
        new ChannelState.RolledUp(routing(r, "#rolled-up"), 7),
        new ChannelState.Correlated(routing(r, "#correlated"), 9));
    JdbiNoiseStore store = new JdbiNoiseStore(service.database, true, clock);

    store.inTransaction(l -> {
      states.forEach(l::saveChannel);
      return null;
    });

    List<ChannelState> read = store.inTransaction(l -> l.channels(1));
    assertThat(read).filteredOn(s -> !s.channel().equals("#alerts"))
        .containsExactlyElementsOf(states);
    assertThat(rows("SELECT channel, mode FROM incident_channel WHERE channel <> '#alerts' "
        + "ORDER BY position")).extracting(m -> m.get("mode")).containsExactly("posted", "posted",
        "history_only", "delayed", "suppressed", "rolled_up", "correlated");
    List<ChannelState.Delayed> delayed = store.inTransaction(
        l -> l.delayedDue(T0.plusSeconds(120), 10));
    assertThat(delayed).containsExactly((ChannelState.Delayed) states.get(3));
    List<ChannelState.Posted> reminders = store.inTransaction(
        l -> l.remindersDue(T0.plusSeconds(1750), 10));
    assertThat(reminders).containsExactly((ChannelState.Posted) states.get(0));
  }

  private static ChannelState.Routing routing(ChannelState.Routing r, String channel) {
    return new ChannelState.Routing(r.incidentId(), channel, r.routeIndex(), r.mention(),
        r.correlationKey());
  }
}
