package dev.alertdesk.history;

import static dev.alertdesk.testing.HistorySeed.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.graph.StoredChart;
import dev.alertdesk.store.JdbiHistoryRepository;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.HistorySeed;
import dev.alertdesk.testing.MutableClock;
import dev.alertdesk.testing.SeededHistory;
import dev.alertdesk.testing.StoreFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The history API over HTTP against a running service on a real database, seeded with
 * {@link HistorySeed}'s incidents. {@link SqliteHistoryApiIT} and {@link PostgresHistoryApiIT}
 * run these same tests; the retention test runs last, as it deletes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AbstractHistoryApiIT {
  private SeededHistory seeded;
  private MutableClock clock;
  private AlertdeskClient client;
  private StoreFixture store;
  private Path storage;

  /** Returns a new, empty database, as a {@code DB_CONNECTION_STRING}. */
  protected abstract String newDatabase(Path scratch);

  @BeforeAll
  void seed(@org.junit.jupiter.api.io.TempDir Path dir) {
    storage = dir;
    seeded = new SeededHistory(dir, newDatabase(dir));
    clock = seeded.clock();
    client = seeded.client();
    store = seeded.store();
    HistorySeed.acknowledge(store);
  }

  @AfterAll
  void stop() {
    if (seeded != null) {
      seeded.close();
    }
  }

  private StoredChart chart(long incidentId) {
    return seeded.chart(incidentId, ChartKind.FIRING, "up{job=\"api\"}");
  }

  private List<Long> ids(JsonNode page) {
    List<Long> ids = new ArrayList<>();
    page.path("incidents").forEach(i -> ids.add(i.path("id").asLong()));
    return ids;
  }

  @Test
  @Order(1)
  void listsEveryIncidentNewestFirstWithSeenCounts() {
    JsonNode page = client.getJson("/api/incidents");
    assertThat(page.path("total").asLong()).isEqualTo(4);
    assertThat(ids(page)).containsExactly(4L, 3L, 2L, 1L);
    JsonNode flappy = page.path("incidents").get(1);
    assertThat(flappy.path("alertname").asText()).isEqualTo("Flappy");
    assertThat(flappy.path("status").asText()).isEqualTo("firing");
    assertThat(flappy.path("reopen_count").asInt()).isEqualTo(1);
    assertThat(flappy.path("seen_count").asInt()).isEqualTo(2);
    JsonNode second = page.path("incidents").get(2);
    // api-1 fired in #1 and #2, api-2 once: "seen 2 times" is the most of any member.
    assertThat(second.path("seen_count").asInt()).isEqualTo(2);
    // #2: started 11:59 (api-1), ended 12:29.
    assertThat(second.path("duration_seconds").asLong()).isEqualTo(1800);
  }

  @Test
  @Order(2)
  void filtersByStatusAlertnameAndTimeRange() {
    assertThat(ids(client.getJson("/api/incidents?status=firing"))).containsExactly(4L, 3L);
    assertThat(ids(client.getJson("/api/incidents?status=resolved"))).containsExactly(2L, 1L);
    assertThat(ids(client.getJson("/api/incidents?alertname=HighLatency"))).containsExactly(2L, 1L);
    assertThat(ids(client.getJson("/api/incidents?alertname=HighLatency&status=firing"))).isEmpty();
    // Started before 11:00: only #1.
    assertThat(ids(client.getJson("/api/incidents?to=2026-03-01T11:00:00Z"))).containsExactly(1L);
    // Still open at or after 12:15: #2 (resolved 12:30) and the two firing ones.
    assertThat(ids(client.getJson("/api/incidents?from=2026-03-01T12:15:00Z")))
        .containsExactly(4L, 3L, 2L);
    // A day given as a date: open on March 1st (to = end of that day).
    assertThat(ids(client.getJson("/api/incidents?from=2026-03-01&to=2026-03-01")))
        .containsExactly(3L, 2L, 1L);
  }

  @Test
  @Order(2)
  void searchesByLabelMatchersOnMemberAlerts() {
    assertThat(ids(client.getJson("/api/incidents?matcher=" + enc("instance=\"api-2\""))))
        .containsExactly(2L);
    assertThat(ids(client.getJson("/api/incidents?matcher=" + enc("severity=\"warning\""))))
        .containsExactly(4L);
    assertThat(ids(client.getJson("/api/incidents?matcher=" + enc("instance=~\"api-.*\"")
        + "&matcher=" + enc("severity!=\"warning\"")))).containsExactly(2L, 1L);
    assertThat(ids(client.getJson("/api/incidents?matcher=" + enc("{instance=~\"api-.*|x-1\"}")
        + "&status=firing"))).containsExactly(3L);
    JsonNode paged = client.getJson("/api/incidents?limit=1&offset=1&matcher="
        + enc("severity=\"critical\""));
    assertThat(paged.path("total").asLong()).isEqualTo(3);
    assertThat(ids(paged)).containsExactly(2L);
    HttpResponse<String> bad = client.get("/api/incidents?matcher=" + enc("severity=~\"(\""));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(AlertdeskClient.json(bad).path("error").asText()).startsWith("matcher");
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  @Order(3)
  void pagesWithLimitAndOffset() {
    JsonNode first = client.getJson("/api/incidents?limit=3");
    assertThat(ids(first)).containsExactly(4L, 3L, 2L);
    assertThat(first.path("total").asLong()).isEqualTo(4);
    JsonNode second = client.getJson("/api/incidents?limit=3&offset=3");
    assertThat(ids(second)).containsExactly(1L);
    assertThat(second.path("offset").asInt()).isEqualTo(3);
    assertThat(ids(client.getJson("/api/incidents?limit=3&offset=9"))).isEmpty();
  }

  @Test
  @Order(4)
  void rejectsBadParametersWithAMessageNamingThem() {
    for (String[] c : List.of(
        new String[] {"status=bogus", "status"},
        new String[] {"limit=0", "limit"},
        new String[] {"limit=501", "limit"},
        new String[] {"offset=-1", "offset"},
        new String[] {"from=yesterday", "from"},
        new String[] {"from=2026-03-02&to=2026-03-01", "from must be before to"})) {
      HttpResponse<String> r = client.get("/api/incidents?" + c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(AlertdeskClient.json(r).path("error").asText()).as(c[0]).contains(c[1]);
    }
    assertThat(client.get("/api/insights?period=soon").statusCode()).isEqualTo(400);
    assertThat(client.get("/api/incidents/99").statusCode()).isEqualTo(404);
    assertThat(client.get("/api/fingerprints/0000").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(5)
  void detailCarriesAlertsTimelineGraphsAndMessages() {
    seeded.audit(2, "bob", "acknowledge", "{\"note\":\"on it\"}", "2026-03-01T12:09:00Z");
    JsonNode detail = client.getJson("/api/incidents/2");
    assertThat(detail.path("audit")).hasSize(1);
    assertThat(detail.path("audit").get(0).path("user_name").asText()).isEqualTo("bob");
    assertThat(detail.path("audit").get(0).path("at").asText()).isEqualTo("2026-03-01T12:09:00Z");
    assertThat(detail.path("audit").get(0).path("parameters").path("note").asText()).isEqualTo("on it");
    assertThat(detail.path("alerts")).hasSize(2);
    List<String> kinds = new ArrayList<>();
    detail.path("timeline").forEach(e -> kinds.add(e.path("kind").asText()));
    assertThat(kinds).containsExactly("opened", "alerts_firing", "alerts_resolved", "resolved",
        "acknowledged");
    assertThat(detail.path("graphs").get(0).path("url").asText())
        .isEqualTo("/incidents/2/activity.png");
    assertThat(client.get("/incidents/2/activity.png").headers().firstValue("Content-Type"))
        .hasValue("image/png");
    // A Prometheus graph the enrichment stored shows too, and is served.
    StoredChart graph = chart(2);
    JsonNode graphs = client.getJson("/api/incidents/2").path("graphs");
    assertThat(graphs).hasSize(2);
    assertThat(graphs.get(1).path("url").asText()).isEqualTo("/api/charts/" + graph.id() + ".png");
    assertThat(graphs.get(1).path("title").asText()).contains("up{job=\"api\"}");
    assertThat(client.get(graphs.get(1).path("url").asText()).statusCode()).isEqualTo(200);
    assertThat(detail.path("slack_messages")).isEmpty();
    JsonNode messages = client.getJson(detail.path("messages_url").asText());
    // Without a bot token every rendered message is kept as a skipped preview.
    assertThat(messages.path("messages")).isNotEmpty();
    messages.path("messages").forEach(m -> {
      assertThat(m.path("status").asText()).isEqualTo("skipped");
      assertThat(m.path("payload").isObject()).isTrue();
    });
    assertThat(messages.path("messages").get(0).path("kind").asText()).isEqualTo("parent_post");
  }

  @Test
  @Order(6)
  void fingerprintHistoryShowsOccurrencesAndFlaps() {
    String api1 = AlertmanagerPayload.group("team-a", "HighLatency").fingerprint("api-1");
    JsonNode h = client.getJson("/api/fingerprints/" + api1);
    assertThat(h.path("occurrence_count").asInt()).isEqualTo(2);
    assertThat(h.path("first_seen_at").asText()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(h.path("last_seen_at").asText()).isEqualTo("2026-03-01T12:30:00Z");
    assertThat(h.path("flapping").asBoolean()).isFalse();
    assertThat(h.path("occurrences").get(0).path("starts_at").asText())
        .isEqualTo("2026-03-01T09:58:00Z");
    assertThat(h.path("occurrences").get(1).path("incident_id").asLong()).isEqualTo(2);

    String x1 = AlertmanagerPayload.group("team-c", "Flappy").fingerprint("x-1");
    JsonNode flappy = client.getJson("/api/fingerprints/" + x1);
    // Resolved 14:05, fired again 14:10: 5 minutes apart, within the 15-minute flap gap.
    assertThat(flappy.path("flapping").asBoolean()).isTrue();
    assertThat(flappy.path("occurrences").get(0).path("flapping").asBoolean()).isFalse();
    assertThat(flappy.path("occurrences").get(1).path("flapping").asBoolean()).isTrue();
    assertThat(flappy.path("occurrences").get(1).path("ends_at").isNull()).isTrue();
  }

  @Test
  @Order(7)
  void insightsMatchTheHandComputedNumbers() {
    // Noise control's record of messages it held back for #4, as its incident events.
    for (String[] e : List.of(new String[] {"notification_suppressed", "{\"reason\":\"history_only\"}"},
        new String[] {"notification_suppressed", "{\"reason\":\"history_only\"}"},
        new String[] {"rolled_up", "{\"reason\":\"storm\"}"},
        new String[] {"notification_delayed", "{\"reason\":\"notify_after\"}"})) {
      store.execute("INSERT INTO incident_event (incident_id, at, kind, details_json) "
          + "VALUES (4, ?, ?, ?)", at("2026-03-02T08:01:00Z").toEpochMilli(), e[0], e[1]);
    }
    JsonNode in = client.getJson("/api/insights?from=2026-03-01&to=2026-03-02");
    assertThat(in.path("from").asText()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(in.path("to").asText()).isEqualTo("2026-03-03T00:00:00Z");
    assertThat(in.path("incident_count").asInt()).isEqualTo(4);

    // Notifications: HighLatency 3 + 3, Flappy 3, DiskFull 1. Occurrences: api-1 twice and
    // api-2; x-1 twice; db-1. Transitions: #1 opened, alerts_resolved, resolved (3) + #2
    // opened, alerts_firing, alerts_resolved, resolved (4); #3 opened, alerts_resolved,
    // resolved, reopened, alerts_firing (5); #4 opened (1).
    JsonNode noisiest = in.path("noisiest");
    assertThat(noisiest).hasSize(3);
    assertNoisy(noisiest.get(0), "HighLatency", 6, 3, 7, 2);
    assertNoisy(noisiest.get(1), "Flappy", 3, 2, 5, 1);
    assertNoisy(noisiest.get(2), "DiskFull", 1, 1, 1, 1);

    // MTTR: #1 09:58 -> 10:19 = 1260 s, #2 11:59 -> 12:29 = 1800 s; mean 1530 s.
    JsonNode mttr = in.path("mttr");
    assertThat(mttr.path("total").path("count").asInt()).isEqualTo(2);
    assertThat(mttr.path("total").path("mean_seconds").asDouble()).isCloseTo(1530.0, within(0.001));
    assertThat(mttr.path("by_alertname").path("HighLatency").path("mean_seconds").asDouble())
        .isCloseTo(1530.0, within(0.001));
    assertThat(mttr.path("by_severity").path("critical").path("count").asInt()).isEqualTo(2);
    assertThat(mttr.path("by_receiver").path("team-a").path("mean_seconds").asDouble())
        .isCloseTo(1530.0, within(0.001));
    assertThat(mttr.path("by_alertname").has("DiskFull")).isFalse();

    // MTTA: #1 09:58 -> 10:03 = 300 s, #2 11:59 -> 12:09 = 600 s; mean 450 s.
    JsonNode mtta = in.path("mtta");
    assertThat(mtta.path("total").path("count").asInt()).isEqualTo(2);
    assertThat(mtta.path("total").path("mean_seconds").asDouble()).isCloseTo(450.0, within(0.001));

    assertThat(in.path("incidents_per_day").path("2026-03-01").asInt()).isEqualTo(3);
    assertThat(in.path("incidents_per_day").path("2026-03-02").asInt()).isEqualTo(1);

    // 10 notifications, one duplicate (10:05).
    JsonNode s = in.path("suppression");
    assertThat(s.path("notifications").asInt()).isEqualTo(10);
    assertThat(s.path("suppressed").asInt()).isEqualTo(1);
    assertThat(s.path("share").asDouble()).isCloseTo(0.1, within(1e-9));
    assertThat(s.path("by_reason").path("duplicate").asInt()).isEqualTo(1);
    // Suppression events add their reasons; a delayed notification is not suppressed.
    assertThat(s.path("by_reason").path("history_only").asInt()).isEqualTo(2);
    assertThat(s.path("by_reason").path("storm").asInt()).isEqualTo(1);
    assertThat(s.path("by_reason").has("notify_after")).isFalse();
    assertThat(s.path("by_reason").fieldNames()).toIterable().first().isEqualTo("history_only");

    // Ranked by transitions instead: HighLatency 7, Flappy 5, DiskFull 1 (the same order here).
    JsonNode byTransitions = client.getJson(
        "/api/insights?from=2026-03-01&to=2026-03-02&rank_by=transitions&top=2");
    assertThat(byTransitions.path("noisiest")).hasSize(2);
    assertThat(byTransitions.path("noisiest").get(1).path("alertname").asText()).isEqualTo("Flappy");
    assertThat(client.get("/api/insights?rank_by=loudness").statusCode()).isEqualTo(400);

    // Only March 2nd: DiskFull alone.
    JsonNode day2 = client.getJson("/api/insights?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z");
    assertThat(day2.path("incident_count").asInt()).isEqualTo(1);
    assertThat(day2.path("noisiest").get(0).path("alertname").asText()).isEqualTo("DiskFull");
    assertThat(day2.path("mttr").path("total").path("count").asInt()).isZero();
    assertThat(day2.path("mttr").path("total").path("mean_seconds").isNull()).isTrue();
  }

  private static void assertNoisy(JsonNode n, String name, long notifications, long occurrences,
      long transitions, long incidents) {
    assertThat(n.path("alertname").asText()).isEqualTo(name);
    assertThat(n.path("notifications").asLong()).as(name + " notifications").isEqualTo(notifications);
    assertThat(n.path("occurrences").asLong()).as(name + " occurrences").isEqualTo(occurrences);
    assertThat(n.path("transitions").asLong()).as(name + " transitions").isEqualTo(transitions);
    assertThat(n.path("incidents").asLong()).as(name + " incidents").isEqualTo(incidents);
  }

  @Test
  @Order(8)
  void exportsCsvAndJsonLinesWithTheSameFilters() {
    HttpResponse<String> csv = client.get("/api/export/incidents.csv?status=resolved");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    List<String> lines = csv.body().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("id,status,alertname,severity,receiver,group_key,"
        + "started_at,opened_at,resolved_at,ended_at,duration_seconds,firing_count,resolved_count,"
        + "truncated_alerts,reopen_count,seen_count,group_labels");
    assertThat(lines.get(1)).startsWith("2,resolved,HighLatency,critical,team-a,");
    assertThat(lines.get(1)).contains("\"{\"\"alertname\"\":\"\"HighLatency\"\"}\"");

    HttpResponse<String> jsonl = client.get("/api/export/incidents.jsonl");
    assertThat(jsonl.statusCode()).isEqualTo(200);
    List<String> rows = jsonl.body().lines().toList();
    assertThat(rows).hasSize(4);
    assertThat(rows).allSatisfy(r -> assertThat(r).startsWith("{\"id\":"));
    assertThat(rows.get(3)).contains("\"alertname\":\"HighLatency\"").contains("\"seen_count\":2");
  }

  @Test
  @Order(100)
  void retentionPurgesOldResolvedIncidentsOnlyAndCountsThem() {
    // What the actions feature keeps about #1: who responded, and the audit log.
    store.execute("INSERT INTO incident_response (incident_id, acknowledged_by_id, "
        + "acknowledged_by_name, acknowledged_at, updated_at) VALUES (1, 'U1', 'alice', ?, ?)",
        at("2026-03-01T10:03:00Z").toEpochMilli(), at("2026-03-01T10:03:00Z").toEpochMilli());
    seeded.audit(1, "alice", "acknowledge", "{}", "2026-03-01T10:03:00Z");
    long auditBefore = store.count("audit_log");
    StoredChart old = chart(1);
    Path oldFile = storage.resolve("charts").resolve(old.fileName());
    assertThat(oldFile).exists();
    long eventsBefore = store.count("incident_event");
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    // 90 days after 2026-03-01T12:00Z: #1 (resolved 10:20) is older, #2 (resolved 12:30) is not.
    MutableClock later = new MutableClock(at("2026-03-01T12:00:00Z").plus(Duration.ofDays(90)));
    RetentionPurge purge = new RetentionPurge(new JdbiHistoryRepository(store.database(), storage.resolve("charts")),
        Duration.ofDays(90), later, metrics);
    HistoryRepository.PurgeResult result = purge.runOnce();
    purge.close();
    assertThat(result.incidents()).isEqualTo(1);
    assertThat(result.charts()).isEqualTo(1);
    assertThat(oldFile).doesNotExist();
    assertThat(store.rows("SELECT * FROM chart WHERE incident_id = ?", 1L)).isEmpty();
    // #2's graph stays, row and file.
    assertThat(store.rows("SELECT * FROM chart WHERE incident_id = ?", 2L)).hasSize(1);
    assertThat(client.getJson("/api/incidents/2").path("graphs")).hasSize(2);
    // #1's notifications: opened, the duplicate and resolved.
    assertThat(result.notifications()).isEqualTo(3);
    assertThat(metrics.get("alertdesk_retention_purged_incidents").counter().count()).isEqualTo(1.0);
    assertThat(metrics.get("alertdesk_retention_purged_notifications").counter().count())
        .isEqualTo(3.0);
    assertThat(client.get("/api/incidents/1").statusCode()).isEqualTo(404);
    assertThat(ids(client.getJson("/api/incidents"))).containsExactly(4L, 3L, 2L);
    // #1 had 3 timeline events plus its acknowledgement.
    assertThat(store.count("incident_event")).isEqualTo(eventsBefore - 4);
    assertThat(store.rows("SELECT * FROM incident_alert WHERE incident_id = ?", 1L)).isEmpty();
    assertThat(store.rows("SELECT * FROM outbox WHERE incident_id = ?", 1L)).isEmpty();
    assertThat(store.rows("SELECT * FROM incident_response WHERE incident_id = ?", 1L)).isEmpty();
    // The audit log is kept.
    assertThat(store.count("audit_log")).isEqualTo(auditBefore);
    // api-1 stays known through #2; its lifetime count keeps the purged period.
    String api1 = AlertmanagerPayload.group("team-a", "HighLatency").fingerprint("api-1");
    JsonNode h = client.getJson("/api/fingerprints/" + api1);
    assertThat(h.path("occurrences")).hasSize(1);
    assertThat(h.path("occurrence_count").asInt()).isEqualTo(2);
    // A second run finds nothing more.
    RetentionPurge again = new RetentionPurge(new JdbiHistoryRepository(store.database(), storage.resolve("charts")),
        Duration.ofDays(90), later, metrics);
    assertThat(again.runOnce().incidents()).isZero();
    again.close();
  }
}
