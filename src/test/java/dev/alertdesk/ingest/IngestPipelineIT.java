package dev.alertdesk.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.alert.Matchers;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.IncidentEngine;
import dev.alertdesk.incident.IngestResult;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.ReceivedNotification;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.noise.InMemoryNoiseLedger;
import dev.alertdesk.noise.NoiseLedger;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.noise.Route;
import dev.alertdesk.store.Database;
import dev.alertdesk.store.JdbiIncidentResponseState;
import dev.alertdesk.store.JdbiIngestStore;
import dev.alertdesk.store.JdbiNoiseStore;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.MutableClock;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline {@link IngestPipelineFactory} builds for {@code serve}, on a SQLite file, against
 * the {@link DryRun} the same factory builds for {@code replay}.
 */
class IngestPipelineIT {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Critical incidents to #oncall with a mention and on to #team; notify after 2 min; flapping
   * after 2 changes in 1 h; correlation by namespace; reminders after 30 min.
   */
  static final NoiseRules RULES = new NoiseRules(List.of(
      new Route(Matchers.parse("severity=\"critical\""), "#oncall", "<!subteam^S1>", true, true),
      new Route(Matchers.ALL, "#team", null, true, false)),
      Duration.ofMinutes(2), Duration.ofHours(1), 2, Duration.ZERO, 0, List.of("namespace"),
      Duration.ofMinutes(30));

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(T0);
  final IngestPipelineFactory factory = new IngestPipelineFactory(clock,
      new IncidentEngine(clock, Duration.ofHours(1)), "#alerts", true, RULES);
  Database database;

  @BeforeEach
  void openDatabase() {
    database = Database.open(TestDatabases.sqlite(dir));
    database.migrate();
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  @Test
  void theServicePipelineOnSqliteAndTheDryRunMakeTheSameDecisionsEventsAndSlackCalls()
      throws Exception {
    IngestPipeline service = factory.pipeline(new JdbiIngestStore(database, true),
        new JdbiIncidentResponseState(database, clock));
    JdbiNoiseStore deadlines = new JdbiNoiseStore(database, true, clock);
    DryRun dryRun = factory.dryRun(dev.alertdesk.noise.IncidentResponseState.NONE);
    List<InMemoryNoiseLedger.Queued> dryRunCalls = new ArrayList<>();
    List<String> dryRunEvents = new ArrayList<>();
    Instant a = T0;
    Instant b = T0.plus(Duration.ofMinutes(4));

    List<Object> steps = new ArrayList<>();
    steps.add(firing("Disk", a));
    steps.add(Duration.ofSeconds(30));
    steps.add(Duration.ofMinutes(3));
    steps.add(firing("Latency", b));
    steps.add(Duration.ofMinutes(7));
    for (int flip = 0; flip < 4; flip++) {
      Instant at = T0.plus(Duration.ofMinutes(8 + flip));
      steps.add(flip % 2 == 0 ? resolved("Disk", a, at) : firing("Disk", a = at));
    }
    steps.add(Duration.ofMinutes(45));
    steps.add(resolved("Disk", a, T0.plus(Duration.ofMinutes(50))));
    steps.add(resolved("Latency", b, T0.plus(Duration.ofMinutes(50))));
    steps.add(Duration.ofHours(2));

    for (Object step : steps) {
      if (step instanceof Duration sinceT0) {
        clock.set(T0.plus(sinceT0));
        service.gate().tick(deadlines, clock.instant());
        DryRun.Step ran = dryRun.tick();
        dryRunCalls.addAll(ran.messages());
        ran.events().forEach(r -> dryRunEvents.add(r.incidentId() + " " + r.event().kind()));
        continue;
      }
      AlertmanagerPayload payload = (AlertmanagerPayload) step;
      clock.set(latest(payload, clock.instant()));
      IngestResult stored = service.ingest(received(payload));
      DryRun.Step ran = dryRun.apply(received(payload).notification());
      assertThat(ran.decision().outcome()).as("outcome at %s", clock.instant())
          .isEqualTo(stored.outcome());
      assertThat(ran.incident() == null ? null : ran.incident().id()).isEqualTo(stored.incidentId());
      dryRunCalls.addAll(ran.messages());
      ran.events().forEach(r -> dryRunEvents.add(r.incidentId() + " " + r.event().kind()));
    }

    List<String> outbox = rows("SELECT incident_id, channel, kind, message, reason, params_json "
        + "FROM outbox ORDER BY id", r -> r.get("incident_id") + " " + r.get("channel") + " "
        + r.get("kind") + " " + r.get("message") + " " + r.get("reason") + " "
        + r.get("params_json"));
    assertThat(dryRunCalls).extracting(q -> q.incidentId() + " " + q.message().channel() + " "
        + q.message().kind() + " " + q.message().message().wire() + " " + q.message().reason()
        + " " + JSON.writeValueAsString(q.message().params()))
        .containsExactlyElementsOf(outbox);
    List<String> events = rows("SELECT incident_id, kind FROM incident_event ORDER BY id",
        r -> r.get("incident_id") + " " + EventKind.valueOf(
            ((String) r.get("kind")).toUpperCase(java.util.Locale.ROOT)));
    assertThat(dryRunEvents).containsExactlyElementsOf(events);
    // The sequence exercised what a dry run must not miss: both routes, a delay released by a
    // deadline, a correlation, flapping, a reminder and graph jobs.
    assertThat(outbox).anyMatch(r -> r.startsWith("1 #oncall PARENT_POST"))
        .anyMatch(r -> r.startsWith("1 #team PARENT_POST"))
        .anyMatch(r -> r.contains(" GRAPH "));
    assertThat(events).contains("1 " + EventKind.NOTIFICATION_DELAYED, "2 " + EventKind.CORRELATED,
        "1 " + EventKind.FLAPPING_STARTED, "1 " + EventKind.REMINDER_SENT);
    assertThat(dryRunCalls).extracting(q -> q.message().kind())
        .contains(SlackIntent.Kind.THREAD_REPLY, SlackIntent.Kind.PARENT_UPDATE);
  }

  @Test
  void aFailureWhileEnqueueingRollsBackWhatTheEarlierStepsWrote() {
    JdbiIngestStore real = new JdbiIngestStore(database, true);
    IngestStore failingOutbox = new IngestStore() {
      @Override
      public <T> T inTransaction(Instant at, Function<IngestTransaction, T> work) {
        return real.inTransaction(at, tx -> work.apply(new IngestTransaction() {
          @Override
          public IncidentWriter incidents() {
            return tx.incidents();
          }

          @Override
          public NoiseLedger noise() {
            return tx.noise();
          }

          @Override
          public OutboxWriter outbox() {
            return new OutboxWriter() {
              @Override
              public void enqueue(long incidentId, OutgoingMessage message) {
                throw new IllegalStateException("outbox exploded");
              }

              @Override
              public void enqueueLatestUpdate(long incidentId, OutgoingMessage message) {
                throw new IllegalStateException("outbox exploded");
              }
            };
          }
        }));
      }
    };
    clock.set(T0.plus(Duration.ofMinutes(5)));
    IngestPipeline pipeline = factory.pipeline(failingOutbox,
        new JdbiIncidentResponseState(database, clock));

    assertThatThrownBy(() -> pipeline.ingest(received(firing("Disk", T0))))
        .hasMessageContaining("outbox exploded");

    for (String table : List.of("alert_group", "incident", "incident_alert", "alert_occurrence",
        "incident_event", "incident_channel", "noise_arrival", "outbox", "notification")) {
      assertThat(rows("SELECT * FROM " + table, r -> r)).as(table).isEmpty();
    }
    IngestResult retried = factory.pipeline(real, new JdbiIncidentResponseState(database, clock))
        .ingest(received(firing("Disk", T0)));
    assertThat(retried.outcome()).isEqualTo(NotificationOutcome.OPENED);
    assertThat(rows("SELECT channel FROM incident_channel ORDER BY position",
        r -> r.get("channel"))).containsExactly("#oncall", "#team");
  }

  static AlertmanagerPayload firing(String alertname, Instant startsAt) {
    return AlertmanagerPayload.group("team", alertname)
        .alert("firing", labels(alertname), startsAt, null);
  }

  static AlertmanagerPayload resolved(String alertname, Instant startsAt, Instant endsAt) {
    return AlertmanagerPayload.group("team", alertname)
        .alert("resolved", labels(alertname), startsAt, endsAt);
  }

  private static Map<String, String> labels(String alertname) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", alertname);
    labels.put("severity", "critical");
    labels.put("namespace", "shop");
    return labels;
  }

  /** The newest time a payload mentions, or {@code now} when that is later (as replay does). */
  private static Instant latest(AlertmanagerPayload payload, Instant now) {
    Instant latest = now;
    for (var alert : new WebhookPayloadParser().parse(payload.bytes()).alerts()) {
      if (alert.startsAt().isAfter(latest)) {
        latest = alert.startsAt();
      }
      if (alert.endsAt() != null && alert.endsAt().isAfter(latest)) {
        latest = alert.endsAt();
      }
    }
    return latest;
  }

  ReceivedNotification received(AlertmanagerPayload payload) {
    return new ReceivedNotification(clock.instant(),
        new WebhookPayloadParser().parse(payload.bytes()), "{}", payload.json());
  }

  <T> List<T> rows(String sql, Function<Map<String, Object>, T> row) {
    return database.jdbi().withHandle(h -> h.createQuery(sql).mapToMap().list()).stream()
        .map(row).toList();
  }
}
