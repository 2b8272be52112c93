package dev.alertdesk.delivery;

import static dev.alertdesk.testing.StoreFixture.CHANNEL;
import static dev.alertdesk.testing.StoreFixture.START;
import static dev.alertdesk.testing.StoreFixture.num;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.incident.DeliveryTarget;
import dev.alertdesk.incident.MessageKind;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.ingest.IngestPipelineFactory;
import dev.alertdesk.ingest.NotificationIngestor;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.noise.TargetPlanner;
import dev.alertdesk.store.JdbiIncidentResponseState;
import dev.alertdesk.store.JdbiIngestStore;
import dev.alertdesk.store.JdbiOutbox;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.StoreFixture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery-target infrastructure against a real database: intents a {@link TargetPlanner}
 * plans at noise moments land in the outbox under their target, only that target's
 * {@link TargetWorker} claims them, in order per incident, never held back by Slack jobs (nor
 * Slack by them), and the worker settles each outcome. The sender is scripted in the test: it
 * returns the outcomes a real target would classify. {@link TargetWorkerIT} runs these on
 * SQLite, {@link PostgresTargetWorkerIT} on PostgreSQL.
 */
abstract class AbstractTargetWorkerIT {
  private StoreFixture store;
  private NotificationIngestor ingestor;
  private JdbiOutbox outbox;
  private final Scripted sender = new Scripted();
  private TargetWorker worker;

  /** Returns a new, empty database; called at most once per test. */
  protected abstract DatabaseTarget newDatabase();

  /** Plans one e-mail intent when an incident opens and one when it resolves. */
  private static final TargetPlanner PLANNER = (moment, route, incidentId, details) ->
      switch (moment) {
        case OPENED -> List.of(OutgoingMessage.to(DeliveryTarget.EMAIL, "oncall@example.com",
            true, MessageKind.PARENT, "opened", Map.of()));
        case RESOLVED -> List.of(OutgoingMessage.to(DeliveryTarget.EMAIL, "oncall@example.com",
            false, MessageKind.RESOLVED, "resolved", Map.of()));
        default -> List.of();
      };

  /** A sender that answers with the outcomes queued in it, then delivers. */
  static final class Scripted implements TargetSender {
    final Deque<Object> answers = new ArrayDeque<>();
    final List<OutboxJob> seen = new ArrayList<>();
    RetryPolicy policy = RetryPolicy.DEFAULT;

    @Override
    public DeliveryTarget target() {
      return DeliveryTarget.EMAIL;
    }

    @Override
    public DeliveryResult send(OutboxJob job) {
      seen.add(job);
      Object next = answers.poll();
      if (next instanceof RuntimeException e) {
        throw e;
      }
      return next == null ? DeliveryResult.delivered("{\"text\":\"mail " + job.id() + "\"}")
          : (DeliveryResult) next;
    }

    @Override
    public RetryPolicy retryPolicy() {
      return policy;
    }
  }

  void open(boolean slackEnabled) {
    store = new StoreFixture(newDatabase(), slackEnabled);
    ingestor = new NotificationIngestor(new IngestPipelineFactory(store.clock(), store.engine(),
        CHANNEL, false, NoiseRules.NONE).withTargets(List.of(PLANNER))
        .pipeline(new JdbiIngestStore(store.database(), slackEnabled),
            new JdbiIncidentResponseState(store.database(), store.clock())),
        store.clock(), store.metrics());
    outbox = new JdbiOutbox(store.database());
    worker = new TargetWorker(outbox, sender, store.clock(), store.metrics(),
        Duration.ofMillis(100));
  }

  @AfterEach
  void close() {
    if (worker != null) {
      worker.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private long ingest(AlertmanagerPayload payload) {
    return ingestor.ingest(payload.bytes(), Map.of("Content-Type", "application/json"))
        .incidentId();
  }

  private static AlertmanagerPayload group() {
    return AlertmanagerPayload.group("team-a", "DiskFull");
  }

  private List<Map<String, Object>> rows(String target) {
    return store.rows("SELECT * FROM outbox WHERE target = ? ORDER BY id", target);
  }

  @Test
  void plannedIntentsArePendingUnderTheirTargetEvenWithSlackOffAndOnlyItsWorkerSendsThem() {
    open(false);
    long id = ingest(group().firing("db-1", START));

    assertThat(rows("slack")).extracting(r -> r.get("status")).containsOnly("skipped");
    Map<String, Object> mail = rows("email").get(0);
    assertThat(rows("email")).hasSize(1);
    assertThat(mail.get("status")).isEqualTo("pending");
    assertThat(mail.get("channel")).isEqualTo("oncall@example.com");
    assertThat(mail.get("kind")).isEqualTo("PARENT_POST");
    assertThat(mail.get("message")).isEqualTo("parent");
    assertThat(outbox.claimDue(START, Duration.ofMinutes(1), "slack-worker", 10))
        .as("the Slack claim never takes another target's rows").isEmpty();
    assertThat(outbox.depth().pending()).isZero();
    assertThat(outbox.depth(DeliveryTarget.EMAIL).pending()).isEqualTo(1);

    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(sender.seen).hasSize(1);
    assertThat(sender.seen.get(0).intent().target()).isEqualTo(DeliveryTarget.EMAIL);
    assertThat(sender.seen.get(0).incidentId()).isEqualTo(id);
    Map<String, Object> sent = rows("email").get(0);
    assertThat(sent.get("status")).isEqualTo("delivered");
    assertThat(sent.get("payload_json")).isEqualTo("{\"text\":\"mail " + sent.get("id") + "\"}");
    assertThat(store.repository().find(id).orElseThrow().events())
        .filteredOn(e -> e.kind().equals("delivered")).singleElement()
        .satisfies(e -> assertThat(e.details()).containsEntry("target", "email")
            .containsEntry("message", "parent").containsEntry("to", "oncall@example.com"));
    assertThat(store.metrics().counter("alertdesk_deliveries", "target", "email",
        "outcome", "delivered").count()).isEqualTo(1.0);
    assertThat(worker.health().outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
    assertThat(worker.runOnce()).isZero();
  }

  @Test
  void aTargetNeverWaitsForSlackJobsNorSlackForIt() {
    open(true);
    ingest(group().firing("db-1", START));
    assertThat(rows("slack")).extracting(r -> r.get("status")).containsOnly("pending");

    // The Slack parent is older and still pending; the mail goes anyway, and fails for now.
    sender.answers.add(DeliveryResult.retry("421 try later"));
    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(rows("email").get(0).get("status")).isEqualTo("pending");
    // The retrying mail holds back no Slack job.
    assertThat(outbox.claimDue(START, Duration.ofMinutes(1), "slack-worker", 10))
        .extracting(j -> j.intent().target()).containsOnly(DeliveryTarget.SLACK).isNotEmpty();
  }

  @Test
  void aTransientFailureBacksOffAndHoldsBackTheIncidentsLaterJobsOfTheTarget() {
    open(false);
    ingest(group().firing("db-1", START));
    store.clock().advance(Duration.ofMinutes(5));
    ingest(group().resolved("db-1", START, START.plusSeconds(200)));
    assertThat(rows("email")).extracting(r -> r.get("message"))
        .containsExactly("parent", "resolved");

    sender.answers.add(DeliveryResult.retry("421 4.7.0 try again later"));
    assertThat(worker.runOnce()).as("the resolved mail waits for the opened one").isEqualTo(1);
    Map<String, Object> first = rows("email").get(0);
    assertThat(num(first.get("attempts"))).isEqualTo(1);
    assertThat(first.get("last_error")).isEqualTo("421 4.7.0 try again later");
    assertThat(num(first.get("next_attempt_at")))
        .isEqualTo(store.clock().instant().plusSeconds(1).toEpochMilli());
    assertThat(worker.runOnce()).as("not due before its backoff").isZero();
    assertThat(worker.health().outcome()).isEqualTo(DeliveryOutcome.RETRY);

    store.clock().advance(Duration.ofSeconds(1));
    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(sender.seen).extracting(j -> j.intent().message())
        .containsExactly(MessageKind.PARENT, MessageKind.PARENT, MessageKind.RESOLVED);
    assertThat(rows("email")).extracting(r -> r.get("status")).containsOnly("delivered");
    assertThat(store.metrics().counter("alertdesk_deliveries", "target", "email",
        "outcome", "retry").count()).isEqualTo(1.0);
  }

  @Test
  void aPermanentFailureIsFailedForGoodAndVisibleOnTheIncident() {
    open(false);
    long id = ingest(group().firing("db-1", START));
    sender.answers.add(DeliveryResult.failed("550 5.1.1 mailbox unknown"));

    assertThat(worker.runOnce()).isEqualTo(1);
    Map<String, Object> row = rows("email").get(0);
    assertThat(row.get("status")).isEqualTo("failed");
    assertThat(row.get("last_error")).isEqualTo("550 5.1.1 mailbox unknown");
    assertThat(store.repository().find(id).orElseThrow().events())
        .filteredOn(e -> e.kind().equals("delivery_failed")).singleElement()
        .satisfies(e -> assertThat(e.details()).containsEntry("target", "email")
            .containsEntry("error", "550 5.1.1 mailbox unknown"));
    assertThat(worker.health().outcome()).isEqualTo(DeliveryOutcome.FAILED);
    assertThat(worker.runOnce()).isZero();
  }

  @Test
  void retriesRunOutIntoFailureAndAnAskedWaitIsNoAttempt() {
    open(false);
    ingest(group().firing("db-1", START));
    sender.policy = new RetryPolicy(2, Duration.ofSeconds(10), Duration.ofSeconds(10));
    sender.answers.add(DeliveryResult.retryAfter(Duration.ofSeconds(30), "rate limited"));
    sender.answers.add(DeliveryResult.retry("connection refused"));
    sender.answers.add(new IllegalStateException("secret-bearing message"));

    worker.runOnce();
    assertThat(num(rows("email").get(0).get("attempts"))).as("a wait asked for").isZero();
    store.clock().advance(Duration.ofSeconds(30));
    worker.runOnce();
    assertThat(num(rows("email").get(0).get("attempts"))).isEqualTo(1);
    store.clock().advance(Duration.ofSeconds(10));
    worker.runOnce();
    Map<String, Object> row = rows("email").get(0);
    assertThat(row.get("status")).isEqualTo("failed");
    assertThat((String) row.get("last_error"))
        .isEqualTo("gave up after 2 attempts: internal error (IllegalStateException)")
        .doesNotContain("secret");
  }
}
