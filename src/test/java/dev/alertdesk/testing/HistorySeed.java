package dev.alertdesk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

/**
 * A fixed history, posted as Alertmanager webhooks to a running service whose clock the test
 * owns. The numbers the history tests expect are worked out by hand from this script:
 *
 * <pre>
 * #1 HighLatency (team-a, critical) api-1 starts 03-01 09:58, received 10:00 (opened),
 *    repeated 10:05 (duplicate), resolved 10:20 with endsAt 10:19; acknowledged 10:03.
 * #2 HighLatency (team-a, critical) api-1 starts 11:59, received 12:00 (opened, 2 h after #1
 *    resolved, so a new incident); api-2 starts 12:00 and joins at 12:01 (updated); both
 *    resolve at 12:30 with endsAt 12:29 (resolved); acknowledged 12:09.
 * #3 Flappy (team-c, critical) x-1 starts 14:00, received 14:00 (opened); resolved 14:06 with
 *    endsAt 14:05; fires again (starts 14:10) at 14:10: reopened, still firing.
 * #4 DiskFull (team-b, warning) db-1 starts 03-02 07:55, received 08:00 (opened), firing.
 * </pre>
 */
public final class HistorySeed {
  /** The first day of the script. */
  public static final Instant DAY1 = Instant.parse("2026-03-01T00:00:00Z");

  private HistorySeed() {}

  /** Parses an RFC 3339 instant. */
  public static Instant at(String time) {
    return Instant.parse(time);
  }

  /** Posts the script; the clock ends at 2026-03-02T09:00Z. */
  public static void post(AlertdeskClient client, MutableClock clock) {
    send(client, clock, "2026-03-01T10:00:00Z",
        AlertmanagerPayload.group("team-a", "HighLatency").firing("api-1", at("2026-03-01T09:58:00Z")),
        "opened");
    send(client, clock, "2026-03-01T10:05:00Z",
        AlertmanagerPayload.group("team-a", "HighLatency").firing("api-1", at("2026-03-01T09:58:00Z")),
        "duplicate");
    send(client, clock, "2026-03-01T10:20:00Z",
        AlertmanagerPayload.group("team-a", "HighLatency")
            .resolved("api-1", at("2026-03-01T09:58:00Z"), at("2026-03-01T10:19:00Z")),
        "resolved");
    send(client, clock, "2026-03-01T12:00:00Z",
        AlertmanagerPayload.group("team-a", "HighLatency").firing("api-1", at("2026-03-01T11:59:00Z")),
        "opened");
    send(client, clock, "2026-03-01T12:01:00Z",
        AlertmanagerPayload.group("team-a", "HighLatency")
            .firing("api-1", at("2026-03-01T11:59:00Z"))
            .firing("api-2", at("2026-03-01T12:00:00Z")),
        "updated");
    send(client, clock, "2026-03-01T12:30:00Z",
        AlertmanagerPayload.group("team-a", "HighLatency")
            .resolved("api-1", at("2026-03-01T11:59:00Z"), at("2026-03-01T12:29:00Z"))
            .resolved("api-2", at("2026-03-01T12:00:00Z"), at("2026-03-01T12:29:00Z")),
        "resolved");
    send(client, clock, "2026-03-01T14:00:00Z",
        AlertmanagerPayload.group("team-c", "Flappy").firing("x-1", at("2026-03-01T14:00:00Z")),
        "opened");
    send(client, clock, "2026-03-01T14:06:00Z",
        AlertmanagerPayload.group("team-c", "Flappy")
            .resolved("x-1", at("2026-03-01T14:00:00Z"), at("2026-03-01T14:05:00Z")),
        "resolved");
    send(client, clock, "2026-03-01T14:10:00Z",
        AlertmanagerPayload.group("team-c", "Flappy").firing("x-1", at("2026-03-01T14:10:00Z")),
        "reopened");
    send(client, clock, "2026-03-02T08:00:00Z",
        AlertmanagerPayload.group("team-b", "DiskFull").alert("firing",
            Map.of("alertname", "DiskFull", "severity", "warning", "instance", "db-1"),
            at("2026-03-02T07:55:00Z"), null),
        "opened");
    clock.set(at("2026-03-02T09:00:00Z"));
  }

  /** Records acknowledgements as the actions feature does: an {@code acknowledged} event. */
  public static void acknowledge(StoreFixture store) {
    store.execute("INSERT INTO incident_event (incident_id, at, kind, details_json) "
        + "VALUES (?, ?, 'acknowledged', '{\"by\":\"alice\"}')", 1L,
        at("2026-03-01T10:03:00Z").toEpochMilli());
    store.execute("INSERT INTO incident_event (incident_id, at, kind, details_json) "
        + "VALUES (?, ?, 'acknowledged', '{\"by\":\"bob\"}')", 2L,
        at("2026-03-01T12:09:00Z").toEpochMilli());
  }

  private static void send(AlertdeskClient client, MutableClock clock, String receivedAt,
      AlertmanagerPayload payload, String outcome) {
    clock.set(at(receivedAt));
    HttpResponse<String> response = client.post("/api/alerts", payload.json(), null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(AlertdeskClient.json(response).path("outcome").asText()).as(receivedAt)
        .isEqualTo(outcome);
  }
}
