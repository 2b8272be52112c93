package dev.alertdesk.store;

import dev.alertdesk.ingest.IngestPipeline;
import dev.alertdesk.ingest.IngestPipelineFactory;
import dev.alertdesk.noise.IncidentResponseState;
import dev.alertdesk.noise.NoiseRules;
import static dev.alertdesk.testing.StoreFixture.CHANNEL;
import static dev.alertdesk.testing.StoreFixture.START;
import static dev.alertdesk.testing.StoreFixture.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.alert.Notification;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.delivery.Outbox;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.IncidentRepository.IncidentDetail;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.IncidentRepository.IncidentPage;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.IncidentSummary;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.IngestPlanner;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.IngestResult;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.ReceivedNotification;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.ingest.WebhookPayloadParser;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.testing.StoreFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The incident store against a real database. {@link SqliteIncidentStoreIT} and
 * {@link PostgresIncidentStoreIT} run these same tests, each on a fresh, empty database per test,
 * through the real ingest path ({@code NotificationIngestor}, {@code IncidentEngine},
 * {@code IncidentMessageRenderer}) on a fixed clock.
 */
abstract class AbstractIncidentStoreIT {
  /** Every table of V1__core.sql. */
  static final List<String> TABLES = List.of("alert_group", "notification", "incident",
      "incident_alert", "alert_occurrence", "alert_fingerprint", "incident_event",
      "slack_message", "outbox");

  static final String BEARER = "it-webhook-bearer-4f1c9e";

  StoreFixture store;

  /** Returns a new, empty database; called before each test. */
  protected abstract DatabaseTarget newDatabase();

  @BeforeEach
  void openStore() {
    store = new StoreFixture(newDatabase(), true);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // --- migrations -------------------------------------------------------------------------

  @Test
  void migrationsCreateEveryTableAndRunningThemAgainChangesNothing() {
    for (String table : TABLES) {
      assertThat(store.count(table)).as(table).isZero();
    }
    long applied = store.count("flyway_schema_history");
    assertThat(applied).isPositive();
    store.ingest(AlertmanagerPayload.group("team-a", "HighLatency").firing("api-1", START));

    store.database().migrate();
    try (Database second = Database.open(store.target())) {
      second.migrate();
      assertThat(second.isMigrated()).isTrue();
    }

    assertThat(store.count("flyway_schema_history")).isEqualTo(applied);
    assertThat(store.rows("SELECT success FROM flyway_schema_history"))
        .allSatisfy(row -> assertThat(row.get("success")).isIn(true, 1, 1L));
    assertThat(store.count("incident")).isEqualTo(1);
  }

  @Test
  void aDatabaseThatWasNeverMigratedIsReportedAsStorageUnavailable() {
    try (Database unmigrated = Database.open(store.target())) {
      JdbiIncidentRepository repository = new JdbiIncidentRepository(unmigrated);
      IngestPipeline pipeline = new IngestPipelineFactory(store.clock(), store.engine(),
          CHANNEL, false, NoiseRules.NONE)
          .pipeline(new JdbiIngestStore(unmigrated, true), IncidentResponseState.NONE);
      assertThat(unmigrated.isMigrated()).isFalse();
      assertThatThrownBy(() -> repository.list(null, 10, 0))
          .isInstanceOf(StorageException.class);
      assertThatThrownBy(() -> pipeline.ingest(received(payloadOf("x"))))
          .isInstanceOf(StorageException.class);
    }
  }

  // --- ingest -----------------------------------------------------------------------------

  @Test
  void firstFiringNotificationStoresRawNotificationIncidentMembersOccurrencesEventsAndOutbox() {
    Instant t0 = START.minus(Duration.ofMinutes(3));
    AlertmanagerPayload payload = AlertmanagerPayload.group("team-a", "HighLatency")
        .firing("api-1", t0)
        .firing("api-2", t0.plusSeconds(30));
    String body = payload.json();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + BEARER);
    headers.put("Content-Type", "application/json");
    headers.put("User-Agent", "Alertmanager/0.28.1");
    headers.put("X-Scope-OrgID", "tenant-1");

    IngestResult result = store.ingestor(CHANNEL).ingest(body.getBytes(StandardCharsets.UTF_8),
        headers);

    assertThat(result.outcome()).isEqualTo(NotificationOutcome.OPENED);
    assertThat(result.alertCount()).isEqualTo(2);
    long id = result.incidentId();

    Map<String, Object> notification = single("SELECT * FROM notification");
    assertThat(num(notification.get("id"))).isEqualTo(result.notificationId());
    assertThat(notification.get("raw_json")).isEqualTo(body);
    assertThat(notification.get("outcome")).isEqualTo("opened");
    assertThat(notification.get("status")).isEqualTo("firing");
    assertThat(notification.get("receiver")).isEqualTo("team-a");
    assertThat(notification.get("group_key")).isEqualTo(
        "{}/{severity=\"critical\"}:{alertname=\"HighLatency\"}");
    assertThat(num(notification.get("incident_id"))).isEqualTo(id);
    assertThat(num(notification.get("alert_count"))).isEqualTo(2);
    assertThat(num(notification.get("truncated_alerts"))).isZero();
    assertThat(num(notification.get("received_at"))).isEqualTo(START.toEpochMilli());
    String storedHeaders = (String) notification.get("headers_json");
    assertThat(storedHeaders)
        .doesNotContain(BEARER)
        .contains("\"authorization\":\"[redacted]\"")
        .contains("\"user-agent\":\"Alertmanager/0.28.1\"")
        .contains("\"x-scope-orgid\":\"tenant-1\"");

    Map<String, Object> incident = single("SELECT * FROM incident");
    assertThat(num(incident.get("id"))).isEqualTo(id);
    assertThat(incident.get("status")).isEqualTo("firing");
    assertThat(incident.get("alertname")).isEqualTo("HighLatency");
    assertThat(incident.get("severity")).isEqualTo("critical");
    assertThat(num(incident.get("firing_count"))).isEqualTo(2);
    assertThat(num(incident.get("resolved_count"))).isZero();
    assertThat(num(incident.get("started_at"))).isEqualTo(t0.toEpochMilli());
    assertThat(num(incident.get("opened_at"))).isEqualTo(START.toEpochMilli());
    assertThat(num(incident.get("reopen_count"))).isZero();

    assertThat(store.rows("SELECT fingerprint, status, starts_at FROM incident_alert "
            + "WHERE incident_id = ? ORDER BY position", id))
        .extracting(r -> r.get("fingerprint"), r -> r.get("status"), r -> num(r.get("starts_at")))
        .containsExactly(
            tuple(payload.fingerprint("api-1"), "firing",
                t0.toEpochMilli()),
            tuple(payload.fingerprint("api-2"), "firing",
                t0.plusSeconds(30).toEpochMilli()));

    assertThat(store.rows("SELECT * FROM alert_occurrence ORDER BY starts_at"))
        .extracting(r -> r.get("fingerprint"), r -> num(r.get("incident_id")),
            r -> r.get("ends_at"))
        .containsExactly(
            tuple(payload.fingerprint("api-1"), id, null),
            tuple(payload.fingerprint("api-2"), id, null));

    assertThat(store.rows("SELECT * FROM alert_fingerprint ORDER BY fingerprint"))
        .hasSize(2)
        .allSatisfy(r -> {
          assertThat(num(r.get("first_seen_at"))).isEqualTo(START.toEpochMilli());
          assertThat(num(r.get("last_seen_at"))).isEqualTo(START.toEpochMilli());
          assertThat(num(r.get("occurrence_count"))).isEqualTo(1);
          assertThat(r.get("alertname")).isEqualTo("HighLatency");
        });

    assertThat(eventKinds(id)).containsExactly("opened");

    Map<String, Object> outbox = single("SELECT * FROM outbox");
    assertThat(num(outbox.get("incident_id"))).isEqualTo(id);
    assertThat(outbox.get("kind")).isEqualTo("PARENT_POST");
    assertThat(outbox.get("channel")).isEqualTo(CHANNEL);
    assertThat(outbox.get("status")).isEqualTo("pending");
    assertThat(num(outbox.get("attempts"))).isZero();
    assertThat(num(outbox.get("next_attempt_at"))).isEqualTo(START.toEpochMilli());
    // A typed intent: composed only when the worker sends it (here: on demand, as the preview).
    assertThat(outbox.get("message")).isEqualTo("parent");
    assertThat(outbox.get("reason")).isEqualTo("opened");
    assertThat(outbox.get("payload_json")).isEqualTo("");
    assertThat(ComposedMessages.first(store.database(), store.clock(), NoiseRules.NONE, id,
        "PARENT_POST")).contains("(incident #" + id + ")");

    assertThat(store.count("alert_group")).isEqualTo(1);
    assertThat(store.count("slack_message")).isZero();

    IncidentDetail detail = store.repository().find(id).orElseThrow();
    assertThat(detail.incident().members()).hasSize(2);
    assertThat(detail.events()).extracting(e -> e.knownKind().orElseThrow()).containsExactly(EventKind.OPENED);
    assertThat(detail.occurrenceCounts()).containsOnly(
        Map.entry(payload.fingerprint("api-1"), 1), Map.entry(payload.fingerprint("api-2"), 1));
    assertThat(detail.slackMessages()).isEmpty();
  }

  @Test
  void duplicateNotificationIsStoredRawButWritesNoEventsNoOutboxRowsAndNoOccurrence() {
    AlertmanagerPayload payload = AlertmanagerPayload.group("team-a", "HighLatency")
        .firing("api-1", START.minusSeconds(60));
    IngestResult first = store.ingest(payload);
    long events = store.count("incident_event");
    long outbox = store.count("outbox");

    store.clock().advance(Duration.ofMinutes(5));
    IngestResult repeat = store.ingest(payload);
    IngestResult replica = store.ingest(payload);

    assertThat(repeat.outcome()).isEqualTo(NotificationOutcome.DUPLICATE);
    assertThat(replica.outcome()).isEqualTo(NotificationOutcome.DUPLICATE);
    assertThat(repeat.incidentId()).isEqualTo(first.incidentId());
    assertThat(store.count("incident_event")).isEqualTo(events);
    assertThat(store.count("outbox")).isEqualTo(outbox);
    assertThat(store.count("incident")).isEqualTo(1);
    assertThat(store.rows("SELECT outcome, incident_id, raw_json FROM notification ORDER BY id"))
        .extracting(r -> r.get("outcome"), r -> num(r.get("incident_id")), r -> r.get("raw_json"))
        .containsExactly(
            tuple("opened", first.incidentId(), payload.json()),
            tuple("duplicate", first.incidentId(), payload.json()),
            tuple("duplicate", first.incidentId(), payload.json()));
    Map<String, Object> fingerprint = single("SELECT * FROM alert_fingerprint");
    assertThat(num(fingerprint.get("occurrence_count"))).isEqualTo(1);
    assertThat(num(fingerprint.get("last_seen_at"))).isEqualTo(START.toEpochMilli());
    assertThat(store.count("alert_occurrence")).isEqualTo(1);
  }

  @Test
  void lifecycleKeepsOccurrenceCountsEventsAndOutboxRowsInOrder() {
    Instant a1 = START.minus(Duration.ofMinutes(2));
    Instant b1 = START.plus(Duration.ofMinutes(4));
    Instant a2 = START.plus(Duration.ofMinutes(14));
    Instant b2 = START.plus(Duration.ofMinutes(29));
    List<NotificationOutcome> outcomes = new ArrayList<>();

    outcomes.add(step(0, group().firing("api-1", a1)));
    outcomes.add(step(1, group().firing("api-1", a1)));
    outcomes.add(step(5, group().firing("api-1", a1).firing("api-2", b1)));
    outcomes.add(step(10, group().resolved("api-1", a1, START.plus(Duration.ofMinutes(9)))
        .firing("api-2", b1)));
    outcomes.add(step(15, group().firing("api-1", a2).firing("api-2", b1)));
    outcomes.add(step(20, group().resolved("api-1", a2, START.plus(Duration.ofMinutes(19)))
        .resolved("api-2", b1, START.plus(Duration.ofMinutes(19)))));
    outcomes.add(step(21, group().resolved("api-1", a2, START.plus(Duration.ofMinutes(19)))
        .resolved("api-2", b1, START.plus(Duration.ofMinutes(19)))));
    outcomes.add(step(30, group().firing("api-2", b2)));

    assertThat(outcomes).containsExactly(NotificationOutcome.OPENED, NotificationOutcome.DUPLICATE,
        NotificationOutcome.UPDATED, NotificationOutcome.UPDATED, NotificationOutcome.UPDATED,
        NotificationOutcome.RESOLVED, NotificationOutcome.DUPLICATE, NotificationOutcome.REOPENED);
    assertThat(store.count("incident")).isEqualTo(1);
    long id = num(single("SELECT id FROM incident").get("id"));

    assertThat(store.rows("SELECT outcome FROM notification ORDER BY id"))
        .extracting(r -> r.get("outcome"))
        .containsExactly("opened", "duplicate", "updated", "updated", "updated", "resolved",
            "duplicate", "reopened");
    assertThat(eventKinds(id)).containsExactly("opened", "alerts_firing", "alerts_resolved",
        "alerts_firing", "alerts_resolved", "resolved", "reopened", "alerts_firing");
    assertThat(store.rows("SELECT kind, status FROM outbox ORDER BY id"))
        .extracting(r -> r.get("kind"))
        .containsExactly("PARENT_POST",
            "PARENT_UPDATE", "THREAD_REPLY",
            "PARENT_UPDATE", "THREAD_REPLY",
            "PARENT_UPDATE", "THREAD_REPLY",
            "PARENT_UPDATE", "THREAD_REPLY",
            "PARENT_UPDATE", "THREAD_REPLY");
    assertThat(store.rows("SELECT created_at FROM outbox ORDER BY id"))
        .extracting(r -> num(r.get("created_at")))
        .isSorted();

    String api1 = group().fingerprint("api-1");
    String api2 = group().fingerprint("api-2");
    Map<String, Object> fp1 = single("SELECT * FROM alert_fingerprint WHERE fingerprint = ?", api1);
    assertThat(num(fp1.get("occurrence_count"))).isEqualTo(2);
    assertThat(num(fp1.get("first_seen_at"))).isEqualTo(START.toEpochMilli());
    assertThat(num(fp1.get("last_seen_at"))).isEqualTo(at(20).toEpochMilli());
    Map<String, Object> fp2 = single("SELECT * FROM alert_fingerprint WHERE fingerprint = ?", api2);
    assertThat(num(fp2.get("occurrence_count"))).isEqualTo(2);
    assertThat(num(fp2.get("first_seen_at"))).isEqualTo(at(5).toEpochMilli());
    assertThat(num(fp2.get("last_seen_at"))).isEqualTo(at(30).toEpochMilli());

    assertThat(store.rows("SELECT fingerprint, starts_at, ends_at FROM alert_occurrence "
            + "ORDER BY starts_at"))
        .extracting(r -> r.get("fingerprint"), r -> num(r.get("starts_at")),
            r -> num(r.get("ends_at")))
        .containsExactly(
            tuple(api1, a1.toEpochMilli(),
                START.plus(Duration.ofMinutes(9)).toEpochMilli()),
            tuple(api2, b1.toEpochMilli(),
                START.plus(Duration.ofMinutes(19)).toEpochMilli()),
            tuple(api1, a2.toEpochMilli(),
                START.plus(Duration.ofMinutes(19)).toEpochMilli()),
            tuple(api2, b2.toEpochMilli(), null));

    IncidentDetail detail = store.repository().find(id).orElseThrow();
    assertThat(detail.incident().status()).isEqualTo(IncidentStatus.FIRING);
    assertThat(detail.incident().reopenCount()).isEqualTo(1);
    assertThat(detail.incident().firingCount()).isEqualTo(1);
    assertThat(detail.incident().resolvedCount()).isEqualTo(1);
    assertThat(detail.occurrenceCounts()).containsOnly(Map.entry(api1, 2), Map.entry(api2, 2));
    assertThat(detail.events()).extracting(e -> e.at())
        .containsExactly(at(0), at(5), at(10), at(15), at(20), at(20), at(30), at(30));
  }

  @Test
  void resolvedNotificationForAGroupWithoutIncidentIsKeptOnlyAsRawNotification() {
    IngestResult result = store.ingest(group().resolved("api-1", START.minusSeconds(600),
        START.minusSeconds(60)));

    assertThat(result.outcome()).isEqualTo(NotificationOutcome.NO_INCIDENT);
    assertThat(result.incidentId()).isNull();
    Map<String, Object> notification = single("SELECT * FROM notification");
    assertThat(notification.get("outcome")).isEqualTo("no_incident");
    assertThat(notification.get("incident_id")).isNull();
    for (String table : List.of("incident", "incident_alert", "alert_occurrence",
        "alert_fingerprint", "incident_event", "outbox")) {
      assertThat(store.count(table)).as(table).isZero();
    }
  }

  @Test
  void aNulCharacterInTheAlertnameIsStoredAndTheGroupStillRecognisedOnEveryDatabase() {
    // Valid UTF-8, so valid for Prometheus and Alertmanager; PostgreSQL TEXT cannot hold it.
    String alertname = "Disk\u0000Full";
    AlertmanagerPayload payload = AlertmanagerPayload.group("team-a", alertname)
        .firing("db-1", START);

    IngestResult first = store.ingest(payload);
    store.clock().advance(Duration.ofMinutes(1));
    IngestResult repeat = store.ingest(payload);

    assertThat(first.outcome()).isEqualTo(NotificationOutcome.OPENED);
    assertThat(repeat.outcome()).isEqualTo(NotificationOutcome.DUPLICATE);
    assertThat(repeat.incidentId()).isEqualTo(first.incidentId());
    assertThat(store.count("incident")).isEqualTo(1);
    // Normalised consistently (U+FFFD) everywhere it is stored and compared: labels too.
    Incident incident = store.repository().find(first.incidentId()).orElseThrow().incident();
    assertThat(incident.groupLabels().get("alertname")).isEqualTo("Disk\uFFFDFull");
    assertThat(incident.members()).singleElement()
        .satisfies(a -> assertThat(a.labels().get("alertname")).isEqualTo("Disk\uFFFDFull"));
    assertThat(store.repository().list(null, 10, 0).incidents()).singleElement()
        .satisfies(s -> assertThat(s.alertname()).isEqualTo("Disk\uFFFDFull"));
    assertThat(single("SELECT raw_json FROM notification WHERE id = ?",
        first.notificationId()).get("raw_json")).isEqualTo(payload.json());
  }

  // --- find and list ----------------------------------------------------------------------

  @Test
  void findAndListFilterByStatusPageNewestFirstAndCountTheTotal() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      store.clock().advance(Duration.ofMinutes(1));
      ids.add(store.ingest(AlertmanagerPayload.group("team-a", "Alert" + i)
          .firing("api-1", START)).incidentId());
    }
    for (int i : new int[] {1, 3}) {
      store.clock().advance(Duration.ofMinutes(1));
      IngestResult resolved = store.ingest(AlertmanagerPayload.group("team-a", "Alert" + i)
          .resolved("api-1", START, store.clock().instant()));
      assertThat(resolved.outcome()).isEqualTo(NotificationOutcome.RESOLVED);
    }

    IncidentPage firstPage = store.repository().list(null, 2, 0);
    assertThat(firstPage.total()).isEqualTo(5);
    assertThat(firstPage.incidents()).extracting(IncidentSummary::id)
        .containsExactly(ids.get(4), ids.get(3));
    IncidentPage lastPage = store.repository().list(null, 2, 4);
    assertThat(lastPage.total()).isEqualTo(5);
    assertThat(lastPage.incidents()).extracting(IncidentSummary::id).containsExactly(ids.get(0));
    assertThat(store.repository().list(null, 2, 10).incidents()).isEmpty();

    IncidentPage firing = store.repository().list(IncidentStatus.FIRING, 10, 0);
    assertThat(firing.total()).isEqualTo(3);
    assertThat(firing.incidents()).extracting(IncidentSummary::id)
        .containsExactly(ids.get(4), ids.get(2), ids.get(0));
    IncidentPage resolved = store.repository().list(IncidentStatus.RESOLVED, 1, 1);
    assertThat(resolved.total()).isEqualTo(2);
    assertThat(resolved.incidents()).singleElement().satisfies(s -> {
      assertThat(s.id()).isEqualTo(ids.get(1));
      assertThat(s.status()).isEqualTo(IncidentStatus.RESOLVED);
      assertThat(s.alertname()).isEqualTo("Alert1");
      assertThat(s.receiver()).isEqualTo("team-a");
      assertThat(s.severity()).isEqualTo("critical");
      assertThat(s.firingCount()).isZero();
      assertThat(s.resolvedCount()).isEqualTo(1);
      assertThat(s.groupLabels().get("alertname")).isEqualTo("Alert1");
      assertThat(s.openedAt()).isEqualTo(START.plus(Duration.ofMinutes(2)));
      assertThat(s.resolvedAt()).isEqualTo(START.plus(Duration.ofMinutes(6)));
      assertThat(s.startedAt()).isEqualTo(START);
    });

    IncidentDetail detail = store.repository().find(ids.get(3)).orElseThrow();
    assertThat(detail.incident().id()).isEqualTo(ids.get(3));
    assertThat(detail.incident().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(detail.events()).extracting(e -> e.knownKind().orElseThrow())
        .containsExactly(EventKind.OPENED, EventKind.ALERTS_RESOLVED, EventKind.RESOLVED);
    assertThat(detail.events()).extracting(e -> e.id()).isSorted();
    assertThat(store.repository().find(ids.get(4) + 1000)).isEmpty();
    assertThatThrownBy(() -> store.repository().list(null, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.repository().list(null, 501, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.repository().list(null, 10, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- concurrency ------------------------------------------------------------------------

  @Test
  void eightConcurrentNotificationsWithDifferentAlertsOfANewGroupOpenExactlyOneIncident()
      throws Exception {
    for (int round = 0; round < 3; round++) {
      String alertname = "Race" + round;
      List<IngestResult> results = concurrently(8, i -> AlertmanagerPayload
          .group("team-a", alertname).firing("api-" + i, START.minusSeconds(i)));

      List<Map<String, Object>> incidents = store.rows(
          "SELECT id FROM incident WHERE alertname = ?", alertname);
      assertThat(incidents).as("incidents of %s", alertname).hasSize(1);
      long id = num(incidents.get(0).get("id"));
      assertThat(results).extracting(IngestResult::incidentId).containsOnly(id);
      assertThat(results).extracting(IngestResult::outcome)
          .filteredOn(o -> o == NotificationOutcome.OPENED).hasSize(1);
      assertThat(results).extracting(IngestResult::outcome)
          .filteredOn(o -> o == NotificationOutcome.UPDATED).hasSize(7);
      assertThat(store.repository().find(id).orElseThrow().incident().members()).hasSize(8);
      assertThat(store.rows("SELECT kind FROM outbox WHERE incident_id = ? ORDER BY id", id))
          .extracting(r -> r.get("kind"))
          .hasSize(15)
          .first().isEqualTo("PARENT_POST");
      assertThat(eventKinds(id)).hasSize(8).first().isEqualTo("opened");
    }
  }

  @Test
  void eightConcurrentCopiesOfTheSameNotificationOpenOneIncidentAndSendOneMessage()
      throws Exception {
    for (int round = 0; round < 3; round++) {
      AlertmanagerPayload payload = AlertmanagerPayload.group("team-a", "Replica" + round)
          .firing("api-1", START.minusSeconds(60)).firing("api-2", START.minusSeconds(30));
      List<IngestResult> results = concurrently(8, i -> payload);

      assertThat(results).extracting(IngestResult::outcome)
          .filteredOn(o -> o == NotificationOutcome.OPENED).hasSize(1);
      assertThat(results).extracting(IngestResult::outcome)
          .filteredOn(o -> o == NotificationOutcome.DUPLICATE).hasSize(7);
      long id = results.get(0).incidentId();
      assertThat(store.rows("SELECT id FROM incident WHERE alertname = ?", "Replica" + round))
          .hasSize(1);
      assertThat(store.rows("SELECT id FROM outbox WHERE incident_id = ?", id)).hasSize(1);
      assertThat(store.rows("SELECT id FROM notification WHERE incident_id = ?", id)).hasSize(8);
      assertThat(store.rows("SELECT occurrence_count FROM alert_fingerprint "
              + "WHERE fingerprint = ?", payload.fingerprint("api-1")))
          .extracting(r -> num(r.get("occurrence_count"))).containsExactly(1L);
    }
  }

  // --- atomicity --------------------------------------------------------------------------

  @Test
  void aFailureWhileRenderingANewIncidentLeavesNoRowInAnyTable() {
    AlertmanagerPayload payload = group().firing("api-1", START).firing("api-2", START);

    assertThatThrownBy(() -> store.pipeline(CHANNEL).ingest(received(payload), failingRender(payload)))
        .hasMessageContaining("renderer exploded");

    for (String table : TABLES) {
      assertThat(store.count(table)).as(table).isZero();
    }
    IngestResult retried = store.ingest(payload);
    assertThat(retried.outcome()).isEqualTo(NotificationOutcome.OPENED);
    assertThat(store.count("incident")).isEqualTo(1);
    assertThat(store.count("outbox")).isEqualTo(1);
  }

  @Test
  void aFailureWhileRenderingAChangeLeavesEveryTableAsItWas() {
    store.ingest(group().firing("api-1", START));
    store.clock().advance(Duration.ofMinutes(5));
    Map<String, List<Map<String, Object>>> before = snapshot();
    AlertmanagerPayload change = group().resolved("api-1", START, store.clock().instant())
        .firing("api-2", store.clock().instant());

    assertThatThrownBy(() -> store.pipeline(CHANNEL).ingest(received(change), failingRender(change)))
        .hasMessageContaining("renderer exploded");

    assertThat(snapshot()).isEqualTo(before);
    assertThat(store.ingest(change).outcome()).isEqualTo(NotificationOutcome.UPDATED);
  }

  // --- storage unavailable ----------------------------------------------------------------

  @Test
  void aClosedDatabaseIsReportedAsStorageUnavailableByEveryOperation() {
    IngestResult opened = store.ingest(group().firing("api-1", START));
    JdbiIncidentRepository repository = store.repository();
    Outbox outbox = new JdbiOutbox(store.database());
    store.database().close();

    AlertmanagerPayload next = group().firing("api-2", START);
    assertThatThrownBy(() -> store.ingest(next)).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> repository.find(opened.incidentId()))
        .isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> repository.list(null, 10, 0)).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> outbox.claimDue(START, Duration.ofMinutes(1), "w", 10))
        .isInstanceOf(StorageException.class);
    assertThatThrownBy(outbox::depth).isInstanceOf(StorageException.class);
    assertThat(store.metrics().counter("alertdesk_notifications_received", "outcome", "error")
        .count()).isEqualTo(1.0);
    assertThat(store.database().isReachable()).isFalse();
  }

  // --- helpers ----------------------------------------------------------------------------

  static AlertmanagerPayload group() {
    return AlertmanagerPayload.group("team-a", "HighLatency");
  }

  static AlertmanagerPayload payloadOf(String instance) {
    return group().firing(instance, START);
  }

  static Instant at(int minutes) {
    return START.plus(Duration.ofMinutes(minutes));
  }

  /** Moves the clock to START + {@code minutes} and ingests. */
  NotificationOutcome step(int minutes, AlertmanagerPayload payload) {
    store.clock().set(at(minutes));
    return store.ingest(payload).outcome();
  }

  List<String> eventKinds(long incidentId) {
    return store.rows("SELECT kind FROM incident_event WHERE incident_id = ? ORDER BY id",
            incidentId)
        .stream().map(r -> (String) r.get("kind")).toList();
  }

  Map<String, Object> single(String sql, Object... args) {
    List<Map<String, Object>> rows = store.rows(sql, args);
    assertThat(rows).as(sql).hasSize(1);
    return rows.get(0);
  }

  /** Every row of every table, in primary-key order. */
  Map<String, List<Map<String, Object>>> snapshot() {
    Map<String, List<Map<String, Object>>> all = new LinkedHashMap<>();
    for (String table : TABLES) {
      all.put(table, store.rows("SELECT * FROM " + table + " ORDER BY 1, 2"));
    }
    return all;
  }

  ReceivedNotification received(AlertmanagerPayload payload) {
    return new ReceivedNotification(store.clock().instant(), parse(payload), "{}",
        payload.json());
  }

  IngestPlanner plannerFor(AlertmanagerPayload payload) {
    return store.planner(CHANNEL).planner(parse(payload));
  }

  /** The real planner, except that rendering throws after the incident rows were written. */
  IngestPlanner failingRender(AlertmanagerPayload payload) {
    IngestPlanner real = plannerFor(payload);
    return new IngestPlanner() {
      @Override
      public Decision decide(@Nullable Incident latest) {
        return real.decide(latest);
      }

      @Override
      public List<OutgoingMessage> render(Incident incident, Decision decision) {
        throw new IllegalStateException("renderer exploded");
      }
    };
  }

  static Notification parse(AlertmanagerPayload payload) {
    return new WebhookPayloadParser().parse(payload.bytes());
  }

  interface PayloadForThread {
    AlertmanagerPayload payload(int thread);
  }

  /** Ingests {@code threads} notifications at once, released together by a barrier. */
  List<IngestResult> concurrently(int threads, PayloadForThread payloads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier barrier = new CyclicBarrier(threads);
      List<Future<IngestResult>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        AlertmanagerPayload payload = payloads.payload(i);
        Callable<IngestResult> task = () -> {
          barrier.await(10, TimeUnit.SECONDS);
          return store.ingest(payload);
        };
        futures.add(pool.submit(task));
      }
      List<IngestResult> results = new ArrayList<>();
      for (Future<IngestResult> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
