package dev.alertdesk.delivery;

import static dev.alertdesk.testing.StoreFixture.START;
import static dev.alertdesk.testing.StoreFixture.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.SlackStandIn.Call;
import dev.alertdesk.testing.SlackStandIn.Fault;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack misbehaving for a while: 429 with {@code Retry-After}, HTTP 5xx, transient Slack errors
 * and dropped connections, answered by {@code SlackStandIn} to the real Slack SDK. Afterwards
 * every message must have arrived exactly once, in order per incident. Time is a test clock moved
 * by hand, so backoff (1 s, 2 s, 4 s, …) and {@code Retry-After} cost no real time; only the
 * per-channel rate limit (5 at once, then 1/s) runs on the wall clock.
 */
class SlackFaultIT {
  @TempDir Path dir;
  DeliveryHarness h;

  @BeforeEach
  void start() throws Exception {
    h = new DeliveryHarness(TestDatabases.sqlite(dir), true);
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
  }

  @Test
  void afterRateLimitsServerErrorsAndDisconnectsEveryMessageArrivesExactlyOnceInOrder() {
    long a = openChangeResolve("#team-a", "DiskFull");
    long b = openChangeResolve("#team-b", "HighLatency");
    assertThat(h.pending()).isEqualTo(10);
    List<Fault> faults = List.of(
        Fault.rateLimited(1),
        Fault.httpError(500),
        Fault.httpError(500),
        Fault.rateLimited(1),
        Fault.httpError(503),
        Fault.disconnect(),
        Fault.httpError(502),
        Fault.slackError("internal_error"));
    h.slack.failNext(faults.toArray(Fault[]::new));

    h.deliverAll(Duration.ofSeconds(1));

    assertThat(h.slack.pendingFaults()).isZero();
    assertThat(h.slack.calls()).filteredOn(c -> !c.ok()).hasSize(faults.size());
    List<DeliveryHarness.Sent> expected = new java.util.ArrayList<>(h.expectedFor(a));
    expected.addAll(h.expectedFor(b));
    // Messages are composed when sent, from current state: parent updates sent after the
    // incident resolved look alike, so each message is counted as often as a row says it.
    assertThat(expected).hasSize(10);
    Map<DeliveryHarness.Sent, Long> arrivals = h.slack.successful().stream()
        .map(DeliveryHarness.Sent::of)
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(arrivals).as("each row arrives exactly once").isEqualTo(expected.stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())));
    assertThat(h.sentFor(a)).containsExactlyElementsOf(h.expectedFor(a));
    assertThat(h.sentFor(b)).containsExactlyElementsOf(h.expectedFor(b));
    assertThat(h.outboxRows()).extracting(r -> r.get("status")).containsOnly("delivered");
    // Each error counted one failed attempt; a 429 is a request to wait, not a failure. A
    // dropped keep-alive connection may be retried by OkHttp itself, unseen by the worker.
    double failedAttempts = h.store.metrics().find("alertdesk_slack_calls").tag("outcome", "retry")
        .counters().stream().mapToDouble(c -> c.count()).sum();
    assertThat(h.outboxRows()).extracting(r -> num(r.get("attempts")))
        .satisfies(attempts -> assertThat((double) attempts.stream().mapToLong(Long::longValue)
            .sum()).isEqualTo(failedAttempts));
    assertThat(failedAttempts).isBetween(faults.size() - 3.0, faults.size() - 2.0);
    assertThat(h.store.count("slack_message")).isEqualTo(2);
    assertThat(h.store.rows("SELECT kind FROM incident_event WHERE kind = 'slack_failed'"))
        .isEmpty();
    double retriedAfter = h.store.metrics().find("alertdesk_slack_calls")
        .tag("outcome", "retry_after").counters().stream().mapToDouble(c -> c.count()).sum();
    assertThat(retriedAfter).isEqualTo(2.0);
  }

  @Test
  void aRateLimitedCallWaitsForRetryAfterAndNotLonger() {
    h.slack.failNext(Fault.rateLimited(3));
    h.store.ingest(AlertmanagerPayload.group("team-a", "DiskFull").firing("db-1", START));

    assertThat(h.worker.runOnce()).isEqualTo(1);
    Map<String, Object> row = h.outboxRows().get(0);
    assertThat(row.get("status")).isEqualTo("pending");
    assertThat(num(row.get("attempts"))).isZero();
    assertThat(num(row.get("next_attempt_at"))).isEqualTo(START.plusSeconds(3).toEpochMilli());
    assertThat(row.get("last_error")).isEqualTo("ratelimited");

    h.store.clock().advance(Duration.ofMillis(2_999));
    assertThat(h.worker.runOnce()).isZero();
    assertThat(h.slack.calls()).hasSize(1);

    h.store.clock().advance(Duration.ofMillis(1));
    assertThat(h.worker.runOnce()).isEqualTo(1);
    assertThat(h.slack.calls()).extracting(Call::status).containsExactly(429, 200);
    assertThat(h.slack.successful("chat.postMessage")).hasSize(1);
    assertThat(h.outboxRows().get(0).get("status")).isEqualTo("delivered");
  }

  @Test
  void aRateLimitLongerThanTheRetryBudgetDelaysTheMessageButNeverLosesIt() {
    int rateLimited = OutboxWorker.MAX_ATTEMPTS + 1;
    for (int i = 0; i < rateLimited; i++) {
      h.slack.failNext(Fault.rateLimited(1));
    }
    h.store.ingest(AlertmanagerPayload.group("team-a", "DiskFull").firing("db-1", START));

    h.deliverAll(Duration.ofSeconds(1));

    assertThat(h.slack.calls()).hasSize(rateLimited + 1);
    assertThat(h.slack.successful("chat.postMessage")).hasSize(1);
    Map<String, Object> row = h.outboxRows().get(0);
    assertThat(row.get("status")).isEqualTo("delivered");
    assertThat(num(row.get("attempts"))).as("429 asks to wait; it is not a failed attempt")
        .isZero();
    assertThat(h.store.rows("SELECT kind FROM incident_event WHERE kind = 'slack_failed'"))
        .isEmpty();
  }

  @Test
  void aRetryAfterOfZeroStillWaitsASecond() {
    h.slack.failNext(new Fault(429, 0, "{\"ok\":false,\"error\":\"ratelimited\"}"));
    h.store.ingest(AlertmanagerPayload.group("team-a", "DiskFull").firing("db-1", START));

    assertThat(h.worker.runOnce()).isEqualTo(1);
    assertThat(h.worker.runOnce()).isZero();
    assertThat(num(h.outboxRows().get(0).get("next_attempt_at")))
        .isEqualTo(START.plusSeconds(1).toEpochMilli());
    h.store.clock().advance(Duration.ofSeconds(1));
    assertThat(h.worker.runOnce()).isEqualTo(1);
    assertThat(h.slack.successful()).hasSize(1);
  }

  @Test
  void serverErrorsAreRetriedAfterOneTwoAndFourSeconds() {
    h.slack.failNext(Fault.httpError(500), Fault.httpError(502),
        new Fault(500, null, "{\"ok\":false,\"error\":\"fatal_error\"}"));
    h.store.ingest(AlertmanagerPayload.group("team-a", "DiskFull").firing("db-1", START));

    Instant now = START;
    for (long backoffSeconds : new long[] {1, 2, 4}) {
      assertThat(h.worker.runOnce()).isEqualTo(1);
      assertThat(h.slack.successful()).isEmpty();
      Map<String, Object> row = h.outboxRows().get(0);
      assertThat(num(row.get("next_attempt_at")))
          .isEqualTo(now.plusSeconds(backoffSeconds).toEpochMilli());

      now = h.store.clock().advance(Duration.ofSeconds(backoffSeconds).minusMillis(1));
      int calls = h.slack.calls().size();
      assertThat(h.worker.runOnce()).isZero();
      assertThat(h.slack.calls()).hasSize(calls);
      now = h.store.clock().advance(Duration.ofMillis(1));
    }
    assertThat(h.worker.runOnce()).isEqualTo(1);
    assertThat(h.slack.successful("chat.postMessage")).hasSize(1);
    Map<String, Object> row = h.outboxRows().get(0);
    assertThat(row.get("status")).isEqualTo("delivered");
    assertThat(num(row.get("attempts"))).isEqualTo(3);
    assertThat(h.slack.calls()).extracting(Call::status).containsExactly(500, 502, 500, 200);
  }

  @Test
  void aDroppedConnectionIsRetriedAsANetworkErrorAndDeliveredOnce() {
    h.slack.failNext(Fault.disconnect(), Fault.disconnect());
    h.store.ingest(AlertmanagerPayload.group("team-a", "DiskFull").firing("db-1", START));

    h.deliverAll(Duration.ofSeconds(1));

    assertThat(h.slack.pendingFaults()).isZero();
    assertThat(h.slack.successful()).hasSize(1);
    Map<String, Object> row = h.outboxRows().get(0);
    assertThat(row.get("status")).isEqualTo("delivered");
    assertThat(num(row.get("attempts"))).isPositive();
    assertThat((String) row.get("last_error")).startsWith("network: ")
        .doesNotContain(DeliveryHarness.BOT_TOKEN);
  }

  @Test
  void aSuccessStatusWithABodyThatIsNotJsonIsRetriedWithBackoff() {
    // A captive proxy or misrouted load balancer may answer 200 with an HTML page.
    h.slack.failNext(new Fault(200, null, "<html>maintenance</html>"));
    h.store.ingest(AlertmanagerPayload.group("team-a", "DiskFull").firing("db-1", START));

    assertThat(h.worker.runOnce()).isEqualTo(1);
    Map<String, Object> row = h.outboxRows().get(0);
    assertThat(row.get("status")).isEqualTo("pending");
    assertThat(num(row.get("attempts"))).isEqualTo(1);
    assertThat(row.get("locked_until")).as("the job is not left leased").isNull();
    assertThat(num(row.get("next_attempt_at"))).isEqualTo(START.plusSeconds(1).toEpochMilli());

    h.store.clock().advance(Duration.ofSeconds(1));
    assertThat(h.worker.runOnce()).isEqualTo(1);
    assertThat(h.slack.successful("chat.postMessage")).hasSize(1);
    assertThat(h.outboxRows().get(0).get("status")).isEqualTo("delivered");
  }

  @Test
  void anIncidentWaitingOutARateLimitDoesNotHoldUpOtherIncidents() {
    h.slack.failNext(Fault.rateLimited(30));
    long waiting = h.store.ingest("#team-a", AlertmanagerPayload.group("team-a", "DiskFull")
        .firing("db-1", START)).incidentId();
    long flowing = openChangeResolve("#team-b", "HighLatency");

    await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> {
          h.worker.runOnce();
          return h.sentFor(flowing).size() == 5;
        });
    assertThat(h.store.clock().instant()).isBefore(START.plusSeconds(30));
    assertThat(h.sentFor(waiting)).isEmpty();
    assertThat(h.sentFor(flowing)).containsExactlyElementsOf(h.expectedFor(flowing));

    h.store.clock().advance(Duration.ofSeconds(30));
    h.deliverAll(Duration.ofSeconds(1));
    assertThat(h.sentFor(waiting)).containsExactlyElementsOf(h.expectedFor(waiting));
  }

  @Test
  void aRateLimitPausesEveryIncidentOfThatChannelUntilRetryAfter() {
    h.slack.failNext(Fault.rateLimited(30));
    long first = h.store.ingest("#team-a", AlertmanagerPayload.group("team-a", "DiskFull")
        .firing("db-1", START)).incidentId();
    assertThat(h.worker.runOnce()).isEqualTo(1);
    long second = h.store.ingest("#team-a", AlertmanagerPayload.group("team-a", "HighLatency")
        .firing("api-1", START)).incidentId();

    h.store.clock().advance(Duration.ofSeconds(29));
    assertThat(h.worker.runOnce()).isZero();
    assertThat(h.sentFor(first)).isEmpty();
    assertThat(h.sentFor(second)).as("same channel, so it waits out the 429 too").isEmpty();
    assertThat(h.slack.calls()).hasSize(1);

    h.store.clock().advance(Duration.ofSeconds(1));
    h.deliverAll(Duration.ofSeconds(1));
    assertThat(h.sentFor(first)).containsExactlyElementsOf(h.expectedFor(first));
    assertThat(h.sentFor(second)).containsExactlyElementsOf(h.expectedFor(second));
  }

  /** Opens an incident in {@code channel}, adds an alert, resolves all: five Slack jobs. */
  long openChangeResolve(String channel, String alertname) {
    long id = h.store.ingest(channel, AlertmanagerPayload.group("team-a", alertname)
        .firing("node-1", START)).incidentId();
    h.store.ingest(channel, AlertmanagerPayload.group("team-a", alertname)
        .firing("node-1", START).firing("node-2", START.plusSeconds(20)));
    h.store.ingest(channel, AlertmanagerPayload.group("team-a", alertname)
        .resolved("node-1", START, START.plusSeconds(90))
        .resolved("node-2", START.plusSeconds(20), START.plusSeconds(90)));
    return id;
  }
}
