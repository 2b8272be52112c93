package dev.alertdesk.delivery;

import static dev.alertdesk.testing.StoreFixture.CHANNEL;
import static dev.alertdesk.testing.StoreFixture.START;
import static dev.alertdesk.testing.StoreFixture.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.history.HistoryRepository;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.ComposedMessages;
import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.incident.IncidentRepository.SlackMessageRef;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.ingest.NotificationIngestor;
import dev.alertdesk.slack.SlackProblems;
import dev.alertdesk.slack.SlackWebApiGateway;
import dev.alertdesk.status.SectionStatus;
import dev.alertdesk.store.Database;
import dev.alertdesk.store.JdbiOutbox;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import dev.alertdesk.testing.SlackStandIn.Fault;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox worker against a real database and the Slack SDK talking to {@link SlackStandIn}.
 * {@link OutboxWorkerIT} runs these on SQLite, {@link PostgresOutboxWorkerIT} on PostgreSQL.
 */
abstract class AbstractOutboxWorkerIT {
  DeliveryHarness h;

  /** Returns a new, empty database; called at most once per test. */
  protected abstract DatabaseTarget newDatabase();

  DeliveryHarness harness(boolean slackEnabled) throws Exception {
    h = new DeliveryHarness(newDatabase(), slackEnabled);
    return h;
  }

  @AfterEach
  void close() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aNewIncidentPostsItsParentMessageAndStoresTheAnsweredTs() throws Exception {
    harness(true);
    long id = h.store.ingest(group("HighLatency").firing("api-1", START)).incidentId();
    assertThat(h.outboxRows().get(0).get("payload_json")).as("an intent, not yet composed")
        .isEqualTo("");

    assertThat(h.worker.runOnce()).isEqualTo(1);
    String payload = (String) h.outboxRows().get(0).get("payload_json");

    Call post = single(h.slack.calls());
    assertThat(post.method()).isEqualTo("chat.postMessage");
    assertThat(post.param("channel")).isEqualTo(CHANNEL);
    assertThat(post.param("thread_ts")).isNull();
    assertThat(post.authorization()).isEqualTo("Bearer " + DeliveryHarness.BOT_TOKEN);
    assertThat(DeliveryHarness.Content.of(post)).isEqualTo(DeliveryHarness.Content.of(payload));
    assertThat(post.param("text")).contains("[FIRING:1] HighLatency", "incident #" + id);

    Map<String, Object> row = single(h.outboxRows());
    assertThat(row.get("status")).isEqualTo("delivered");
    assertThat(num(row.get("finished_at"))).isEqualTo(START.toEpochMilli());
    assertThat(row.get("locked_until")).isNull();
    assertThat(num(row.get("attempts"))).isZero();

    SlackMessageRef parent = h.outbox.parentMessage(id, CHANNEL).orElseThrow();
    assertThat(parent.channelId()).isEqualTo(SlackStandIn.CHANNEL_ID);
    assertThat(parent.ts()).matches("\\d+\\.\\d+");
    var detail = h.store.repository().find(id).orElseThrow();
    assertThat(detail.slackMessages()).containsExactly(parent);
    assertThat(detail.events()).extracting(e -> e.kind())
        .containsExactly("opened", "slack_posted");
    assertThat(detail.events().get(1).details())
        .containsEntry("channel", SlackStandIn.CHANNEL_ID).containsEntry("ts", parent.ts());
    assertThat(h.store.metrics().counter("alertdesk_slack_calls", "method", "chat.postMessage",
        "outcome", "delivered").count()).isEqualTo(1.0);
    assertThat(h.worker.runOnce()).isZero();
    assertThat(h.slack.calls()).hasSize(1);
  }

  @Test
  void aChangeUpdatesTheParentByChannelIdAndTsThenRepliesInItsThread() throws Exception {
    harness(true);
    long id = h.store.ingest(group("HighLatency").firing("api-1", START)).incidentId();
    h.worker.runOnce();
    SlackMessageRef parent = h.outbox.parentMessage(id, CHANNEL).orElseThrow();

    h.store.clock().advance(Duration.ofMinutes(5));
    h.store.ingest(group("HighLatency").firing("api-1", START)
        .firing("api-2", START.plus(Duration.ofMinutes(4))));
    h.deliverAll(Duration.ofMillis(100));

    List<Call> calls = h.slack.calls();
    assertThat(calls).hasSize(3);
    Call update = calls.get(1);
    assertThat(update.method()).isEqualTo("chat.update");
    assertThat(update.param("channel")).isEqualTo(SlackStandIn.CHANNEL_ID);
    assertThat(update.param("ts")).isEqualTo(parent.ts());
    assertThat(update.param("text")).contains("[FIRING:2]");
    Call reply = calls.get(2);
    assertThat(reply.method()).isEqualTo("chat.postMessage");
    assertThat(reply.param("channel")).isEqualTo(SlackStandIn.CHANNEL_ID);
    assertThat(reply.param("thread_ts")).isEqualTo(parent.ts());
    assertThat(reply.param("text")).isEqualTo(":fire: 1 alert firing");
    assertThat(h.sentFor(id)).containsExactlyElementsOf(h.expectedFor(id));
    assertThat(h.outboxRows()).extracting(r -> r.get("status")).containsOnly("delivered");
    assertThat(h.store.count("slack_message")).isEqualTo(1);
  }

  @Test
  void jobsOfEachIncidentRunInOrderWhenEverythingIsQueuedBeforeDelivery() throws Exception {
    harness(true);
    long[] ids = new long[3];
    for (int i = 0; i < 3; i++) {
      String channel = "#team-" + i;
      ids[i] = h.store.ingest(channel, group("Alert" + i).firing("api-1", START)).incidentId();
      h.store.ingest(channel, group("Alert" + i).firing("api-1", START)
          .firing("api-2", START.plusSeconds(30)));
      h.store.ingest(channel, group("Alert" + i).resolved("api-1", START, START.plusSeconds(60))
          .resolved("api-2", START.plusSeconds(30), START.plusSeconds(60)));
    }
    assertThat(h.pending()).isEqualTo(15);

    assertThat(h.worker.runOnce())
        .as("one pass takes only the oldest job of each incident").isEqualTo(3);
    assertThat(h.slack.calls()).extracting(Call::method).containsOnly("chat.postMessage");
    h.deliverAll(Duration.ofMillis(100));

    assertThat(h.slack.successful()).hasSize(15);
    for (int i = 0; i < 3; i++) {
      long id = ids[i];
      List<DeliveryHarness.Sent> expected = h.expectedFor(id);
      assertThat(expected).extracting(DeliveryHarness.Sent::method).containsExactly(
          "chat.postMessage", "chat.update", "chat.postMessage", "chat.update",
          "chat.postMessage");
      assertThat(h.sentFor(id)).as("incident %s", id).containsExactlyElementsOf(expected);
      String ts = h.outbox.parentMessage(id, "#team-" + i).orElseThrow().ts();
      List<Call> calls = h.slack.successful().stream()
          .filter(c -> DeliveryHarness.incidentOf(c) == id).skip(1).toList();
      assertThat(calls).extracting(c -> c.param("ts") != null ? c.param("ts") : c.param("thread_ts"))
          .containsOnly(ts);
    }
  }

  @Test
  void twoWorkersSharingTheDatabaseDeliverEveryJobOnceAndInOrder() throws Exception {
    harness(true);
    long[] ids = new long[4];
    for (int i = 0; i < ids.length; i++) {
      String channel = "#team-" + i;
      ids[i] = h.store.ingest(channel, group("Alert" + i).firing("api-1", START)).incidentId();
      h.store.ingest(channel, group("Alert" + i).firing("api-1", START)
          .firing("api-2", START.plusSeconds(30)));
      h.store.ingest(channel, group("Alert" + i).resolved("api-1", START, START.plusSeconds(60))
          .resolved("api-2", START.plusSeconds(30), START.plusSeconds(60)));
    }

    try (Database replica = Database.open(h.store.target());
        SlackWebApiGateway gateway = new SlackWebApiGateway(h.slack.apiUrl(),
            DeliveryHarness.BOT_TOKEN)) {
      replica.migrate();
      OutboxWorker other = new OutboxWorker(new JdbiOutbox(replica), gateway, h.store.composer(), h.store.clock(),
          new SimpleMeterRegistry(), Duration.ofMillis(100));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> runs = new ArrayList<>();
        for (OutboxWorker worker : List.of(h.worker, other)) {
          runs.add(pool.submit(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (h.pending() > 0 && System.nanoTime() < deadline) {
              worker.runOnce();
            }
          }));
        }
        for (Future<?> run : runs) {
          run.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
    }

    assertThat(h.pending()).isZero();
    assertThat(h.slack.successful()).hasSize(20);
    for (long id : ids) {
      assertThat(h.sentFor(id)).as("incident %s", id).containsExactlyElementsOf(h.expectedFor(id));
    }
  }

  @Test
  void aJobWhoseBatchOutlastedItsLeaseIsNotSentAgainByTheWorkerThatClaimedIt() throws Exception {
    harness(true);
    long[] ids = new long[3];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = h.store.ingest("#team-" + i, group("Alert" + i).firing("api-1", START)).incidentId();
    }
    try (Database replica = Database.open(h.store.target())) {
      replica.migrate();
      OutboxWorker other = new OutboxWorker(new JdbiOutbox(replica), h.gateway, h.store.composer(), h.store.clock(),
          new SimpleMeterRegistry(), Duration.ofMillis(100));
      // Slack answers slowly: each call takes 70 s. The first worker claimed all three jobs at
      // once; while it is in its second call, their 2-minute leases run out and the other
      // worker takes over what is left.
      int[] calls = {0};
      SlackGateway slow = new SlackGateway() {
        @Override
        public SlackCallResult post(String channel, String threadTs, String payloadJson) {
          h.store.clock().advance(Duration.ofSeconds(70));
          if (++calls[0] == 2) {
            other.runOnce();
          }
          return h.gateway.post(channel, threadTs, payloadJson);
        }

        @Override
        public SlackCallResult update(String channelId, String ts, String payloadJson) {
          h.store.clock().advance(Duration.ofSeconds(70));
          return h.gateway.update(channelId, ts, payloadJson);
        }
      };
      OutboxWorker first = new OutboxWorker(h.outbox, slow, h.store.composer(), h.store.clock(),
          new SimpleMeterRegistry(), Duration.ofMillis(100));

      first.runOnce();
    }

    assertThat(h.pending()).isZero();
    for (long id : ids) {
      assertThat(h.sentFor(id)).as("incident %s", id).containsExactlyElementsOf(h.expectedFor(id));
    }
    assertThat(h.slack.parentPosts()).hasSize(ids.length);
  }

  @Test
  void theBackgroundWorkerDeliversAsSoonAsItIsWokenAndStopsWhenClosed() throws Exception {
    harness(true);
    OutboxWorker background = new OutboxWorker(h.outbox, h.gateway, h.store.composer(), h.store.clock(),
        new SimpleMeterRegistry(), Duration.ofMinutes(10));
    try {
      background.start();
      h.store.ingest(group("HighLatency").firing("api-1", START));
      background.wake();
      await().atMost(Duration.ofSeconds(10)).until(() -> h.slack.successful().size() == 1);
    } finally {
      background.close();
    }
    h.store.ingest(group("Other").firing("api-1", START));
    background.wake();
    assertThat(h.pending()).isEqualTo(1);
    assertThat(h.slack.calls()).hasSize(1);
  }

  @Test
  void aReopenedIncidentRepliesInItsOldThreadButAfterTheReopenWindowANewParentIsPosted()
      throws Exception {
    harness(true);
    long first = h.store.ingest(group("DiskFull").firing("db-1", START)).incidentId();
    h.store.clock().advance(Duration.ofMinutes(10));
    h.store.ingest(group("DiskFull").resolved("db-1", START, h.store.clock().instant()));
    Instant refired = h.store.clock().advance(Duration.ofMinutes(50));
    long reopened = h.store.ingest(group("DiskFull").firing("db-1", refired)).incidentId();
    h.deliverAll(Duration.ofMillis(100));
    String ts = h.outbox.parentMessage(first, CHANNEL).orElseThrow().ts();

    assertThat(reopened).isEqualTo(first);
    assertThat(h.slack.successful("chat.postMessage")).hasSize(3)
        .extracting(c -> c.param("thread_ts")).containsExactly(null, ts, ts);
    assertThat(h.slack.successful("chat.postMessage").get(2).param("text"))
        .startsWith(":repeat: Reopened");

    h.store.clock().advance(Duration.ofMinutes(5));
    assertThat(h.store.ingest(group("DiskFull").resolved("db-1", refired,
        h.store.clock().instant())).outcome()).isEqualTo(NotificationOutcome.RESOLVED);
    h.store.clock().advance(Duration.ofHours(1).plusSeconds(1));
    long next = h.store.ingest(group("DiskFull").firing("db-1", h.store.clock().instant()))
        .incidentId();
    h.deliverAll(Duration.ofMillis(100));

    assertThat(next).isNotEqualTo(first);
    SlackMessageRef nextParent = h.outbox.parentMessage(next, CHANNEL).orElseThrow();
    assertThat(nextParent.ts()).isNotEqualTo(ts);
    assertThat(h.sentFor(next)).containsExactlyElementsOf(h.expectedFor(next));
    // Order is kept per incident, not across incidents: the new parent is the second top-level
    // post, whatever the rate limiter let through first.
    assertThat(h.slack.parentPosts()).hasSize(2);
    assertThat(h.slack.parentPosts().get(1).answeredTs()).isEqualTo(nextParent.ts());
  }

  @Test
  void aStoredTsTurnsARepeatedParentPostIntoAnUpdateAfterARestart() throws Exception {
    harness(true);
    long id = h.store.ingest(group("HighLatency").firing("api-1", START)).incidentId();
    h.worker.runOnce();
    SlackMessageRef parent = h.outbox.parentMessage(id, CHANNEL).orElseThrow();
    // A worker that died after posting left a second parent post behind, its lease expired.
    h.store.execute("INSERT INTO outbox (incident_id, channel, kind, payload_json, status, "
            + "attempts, next_attempt_at, created_at, locked_until, locked_by) "
            + "SELECT incident_id, channel, kind, payload_json, 'pending', 1, ?, ?, ?, "
            + "'worker-dead' FROM outbox WHERE incident_id = ?",
        START.toEpochMilli(), START.toEpochMilli(), START.minusSeconds(1).toEpochMilli(), id);
    h.store.clock().advance(Duration.ofSeconds(10));

    try (Database restarted = Database.open(h.store.target());
        SlackWebApiGateway gateway = new SlackWebApiGateway(h.slack.apiUrl(),
            DeliveryHarness.BOT_TOKEN)) {
      restarted.migrate();
      OutboxWorker worker = new OutboxWorker(new JdbiOutbox(restarted), gateway,
          h.store.composer(), h.store.clock(), new SimpleMeterRegistry(), Duration.ofMillis(100));
      assertThat(worker.runOnce()).isEqualTo(1);
    }

    assertThat(h.slack.successful("chat.postMessage")).hasSize(1);
    Call update = single(h.slack.successful("chat.update"));
    assertThat(update.param("channel")).isEqualTo(SlackStandIn.CHANNEL_ID);
    assertThat(update.param("ts")).isEqualTo(parent.ts());
    assertThat(h.outboxRows()).extracting(r -> r.get("status")).containsOnly("delivered");
    assertThat(h.store.repository().find(id).orElseThrow().slackMessages())
        .containsExactly(parent);
  }

  @Test
  void aJobLeasedByAnotherWorkerWaitsUntilTheLeaseExpires() throws Exception {
    harness(true);
    h.store.ingest(group("HighLatency").firing("api-1", START));
    h.store.execute("UPDATE outbox SET locked_until = ?, locked_by = 'worker-other'",
        START.plusSeconds(120).toEpochMilli());

    assertThat(h.worker.runOnce()).isZero();
    h.store.clock().advance(Duration.ofSeconds(119));
    assertThat(h.worker.runOnce()).isZero();
    assertThat(h.slack.calls()).isEmpty();

    h.store.clock().advance(Duration.ofSeconds(2));
    assertThat(h.worker.runOnce()).isEqualTo(1);
    assertThat(h.slack.successful("chat.postMessage")).hasSize(1);
  }

  @Test
  void withoutABotTokenRowsAreSkippedAndNeverSent() throws Exception {
    harness(false);
    h.store.ingest(group("HighLatency").firing("api-1", START));
    h.store.ingest(group("HighLatency").firing("api-1", START).firing("api-2", START));
    h.store.ingest(group("HighLatency").resolved("api-1", START, START.plusSeconds(60))
        .resolved("api-2", START, START.plusSeconds(60)));

    assertThat(h.outboxRows()).hasSize(5)
        .extracting(r -> r.get("status")).containsOnly("skipped");
    // Kept as previews: composed on demand from the incident's current state.
    long id = num(h.outboxRows().get(0).get("incident_id"));
    assertThat(ComposedMessages.of(h.store.database(), h.store.clock(), NoiseRules.NONE, id))
        .hasSize(5).extracting(HistoryRepository.RenderedMessage::payloadJson)
        .allSatisfy(p -> assertThat(p).contains("ncident #"));
    for (int i = 0; i < 3; i++) {
      assertThat(h.worker.runOnce()).isZero();
      h.store.clock().advance(Duration.ofMinutes(10));
    }
    assertThat(h.slack.calls()).isEmpty();
    assertThat(h.outbox.depth().pending()).isZero();
    assertThat(h.store.count("slack_message")).isZero();
  }

  @Test
  void aPermanentSlackErrorFailsTheJobRecordsItAndDoesNotBlockOtherIncidents() throws Exception {
    harness(true);
    h.slack.failNext(Fault.slackError("channel_not_found"));
    long broken = h.store.ingest("#gone", group("Broken").firing("api-1", START)).incidentId();
    h.store.ingest("#gone", group("Broken").firing("api-1", START).firing("api-2", START));
    long healthy = h.store.ingest(group("Healthy").firing("api-1", START)).incidentId();

    h.deliverAll(Duration.ofMillis(100));

    assertThat(h.store.rows("SELECT kind, status FROM outbox WHERE incident_id = ? ORDER BY id",
            broken))
        .extracting(r -> r.get("kind") + ":" + r.get("status"))
        .containsExactly("PARENT_POST:failed", "PARENT_UPDATE:delivered", "THREAD_REPLY:delivered");
    assertThat(h.store.rows("SELECT last_error FROM outbox WHERE incident_id = ? ORDER BY id",
            broken).get(0).get("last_error")).isEqualTo("channel_not_found");
    assertThat(h.store.repository().find(broken).orElseThrow().events())
        .extracting(e -> e.kind())
        .contains("slack_failed");
    assertThat(h.sentFor(healthy)).hasSize(1);
    assertThat(h.store.metrics().counter("alertdesk_slack_calls", "method", "chat.postMessage",
        "outcome", "failed").count()).isEqualTo(1.0);
  }

  @Test
  void aGraphUploadBeingRetriedHoldsBackNoTextMessageOfItsIncident() throws Exception {
    harness(true);
    NotificationIngestor withGraphs = new NotificationIngestor(h.store.newPipeline(CHANNEL, true),
        h.store.clock(), h.store.metrics());
    long id = withGraphs.ingest(group("Upload").firing("api-1", START).bytes(), Map.of())
        .incidentId();
    withGraphs.ingest(group("Upload").firing("api-1", START).firing("api-2", START).bytes(),
        Map.of());
    // Slack's upload URL keeps failing: the graph job is retried with backoff.
    Enrichment failingUploads = new Enrichment() {
      @Override
      public ParentContext parentContext(OutboxJob job) {
        return ParentContext.NONE;
      }

      @Override
      public GraphResult graph(OutboxJob job, SlackMessageRef parent) {
        return new GraphResult("files.uploadV2",
            SlackCallResult.failure(DeliveryOutcome.RETRY, "file upload failed"));
      }
    };
    OutboxWorker worker = new OutboxWorker(h.outbox, h.gateway, h.store.composer(), h.store.clock(),
        new SimpleMeterRegistry(), Duration.ofMillis(100), failingUploads);

    for (int pass = 0; pass < 4; pass++) {
      worker.runOnce();
      h.store.clock().advance(Duration.ofMillis(100));
    }

    assertThat(h.store.rows("SELECT kind, status FROM outbox WHERE incident_id = ? ORDER BY id",
            id))
        .extracting(r -> r.get("kind") + ":" + r.get("status"))
        .containsExactly("PARENT_POST:delivered", "GRAPH:pending", "PARENT_UPDATE:delivered",
            "THREAD_REPLY:delivered");
    assertThat(h.slack.threadReplies(h.slack.parentPosts().get(0).answeredTs()))
        .singleElement().satisfies(c -> assertThat(c.param("text")).contains("1 alert firing"));
  }

  @Test
  void aNewIncidentsParentOvertakesTheQueuedUpdatesAndRepliesOfOlderIncidents() throws Exception {
    harness(true);
    long[] older = new long[ChannelRateLimit.BURST];
    for (int i = 0; i < older.length; i++) {
      older[i] = h.store.ingest(group("Old" + i).firing("api-1", START)).incidentId();
    }
    assertThat(h.worker.runOnce()).as("the burst is spent on the older parents")
        .isEqualTo(older.length);
    for (int i = 0; i < older.length; i++) {
      h.store.ingest(group("Old" + i).firing("api-1", START).firing("api-2", START.plusSeconds(30)));
    }
    long waiting = h.pending();
    assertThat(waiting).as("an update and a reply per older incident").isEqualTo(2L * older.length);
    long fresh = h.store.ingest(group("New").firing("api-1", START.plusSeconds(40))).incidentId();

    await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> {
          h.worker.runOnce();
          return h.outbox.parentMessage(fresh, CHANNEL).isPresent();
        });

    List<Call> afterBurst = h.slack.successful().subList(older.length, h.slack.successful().size());
    assertThat(afterBurst).as("the first call once a token refilled is the new parent")
        .first().satisfies(c -> {
          assertThat(c.method()).isEqualTo("chat.postMessage");
          assertThat(c.param("thread_ts")).isNull();
          assertThat(DeliveryHarness.incidentOf(c)).isEqualTo(fresh);
        });
    h.deliverAll(Duration.ofMillis(100));
    for (long id : older) {
      assertThat(h.sentFor(id)).as("incident %s, in order", id)
          .containsExactlyElementsOf(h.expectedFor(id));
    }
  }

  @Test
  void aParentPostWhoseAnswerWasLostInACrashIsFoundByItsMetadataAndNotPostedAgain()
      throws Exception {
    harness(true);
    long first = h.store.ingest(group("Earlier").firing("api-1", START)).incidentId();
    h.worker.runOnce();
    long id = h.store.ingest(group("HighLatency").firing("api-1", START)).incidentId();
    h.worker.afterSlackAnswer(job -> {
      if (job.incidentId() == id) {
        throw new IllegalStateException("killed between Slack's answer and storing the ts");
      }
    });
    assertThatThrownBy(h.worker::runOnce).hasMessageContaining("killed");
    assertThat(h.slack.parentPosts()).hasSize(2);
    Call posted = h.slack.parentPosts().get(1);
    assertThat(posted.param("metadata")).contains("\"event_type\":\"alertdesk_incident\"",
        "\"incident_id\":" + id, "\"channel\":\"" + CHANNEL + "\"");
    assertThat(h.outbox.parentMessage(id, CHANNEL)).as("the ts was never stored").isEmpty();
    assertThat(h.pending()).isEqualTo(1);

    // Restarted: a new worker once the dead one's lease has expired.
    h.store.clock().advance(Duration.ofMinutes(3));
    OutboxWorker restarted = new OutboxWorker(h.outbox, h.gateway, h.store.composer(),
        h.store.clock(), new SimpleMeterRegistry(), Duration.ofMillis(100));
    assertThat(restarted.runOnce()).isEqualTo(1);

    assertThat(h.pending()).isZero();
    assertThat(h.slack.parentPosts()).as("exactly one parent per incident").hasSize(2);
    assertThat(single(h.slack.successful("conversations.history")).params())
        .containsEntry("channel", SlackStandIn.CHANNEL_ID)
        .containsEntry("include_all_metadata", "1");
    SlackMessageRef adopted = h.outbox.parentMessage(id, CHANNEL).orElseThrow();
    assertThat(adopted.ts()).as("the lost answer's ts, not the other incident's")
        .isEqualTo(posted.answeredTs())
        .isNotEqualTo(h.outbox.parentMessage(first, CHANNEL).orElseThrow().ts());
    assertThat(h.slack.updates(adopted.ts())).hasSize(1);

    h.store.ingest(group("HighLatency").resolved("api-1", START, START.plusSeconds(60)));
    h.worker.afterSlackAnswer(job -> { });
    h.deliverAll(Duration.ofMillis(100));
    assertThat(h.slack.parentPosts()).hasSize(2);
    assertThat(h.slack.threadReplies(adopted.ts())).isNotEmpty();
  }

  @Test
  void withoutTheHistoryScopeALostParentIsPostedAgainAsBeforeAndStatusSaysSo() throws Exception {
    harness(true);
    // Configured by ID: the history could be read at once if the scope were there.
    String channel = SlackStandIn.CHANNEL_ID;
    long id = h.store.ingest(channel, group("HighLatency").firing("api-1", START)).incidentId();
    h.slack.grantOnly("chat:write", "files:write");
    h.worker.afterSlackAnswer(job -> {
      throw new IllegalStateException("killed between Slack's answer and storing the ts");
    });
    assertThatThrownBy(h.worker::runOnce).hasMessageContaining("killed");

    h.store.clock().advance(Duration.ofMinutes(3));
    SlackProblems problems = new SlackProblems(new SimpleMeterRegistry(), h.store.clock(), true);
    try (SlackWebApiGateway gateway = new SlackWebApiGateway(h.slack.apiUrl(),
        DeliveryHarness.BOT_TOKEN, problems)) {
      OutboxWorker restarted = new OutboxWorker(h.outbox, gateway, h.store.composer(),
          h.store.clock(), new SimpleMeterRegistry(), Duration.ofMillis(100));
      assertThat(restarted.runOnce()).isEqualTo(1);
    }

    assertThat(h.slack.calls()).filteredOn(c -> c.method().equals("conversations.history"))
        .singleElement().satisfies(c -> assertThat(c.response()).contains("missing_scope"));
    assertThat(h.slack.parentPosts()).as("today's behaviour: posted again").hasSize(2);
    assertThat(h.outbox.parentMessage(id, channel).orElseThrow().ts())
        .isEqualTo(h.slack.parentPosts().get(1).answeredTs());
    assertThat(problems.notes()).singleElement().satisfies(n -> {
      assertThat(n.method()).isEqualTo("conversations.history");
      assertThat(n.neededScope()).isEqualTo("channels:history");
    });
    assertThat(problems.problems()).as("not a delivery failure").isEmpty();
    SectionStatus status = problems.check();
    assertThat(status.level()).isEqualTo(SectionStatus.Level.WARNING);
    assertThat(status.summary()).contains("missing scope channels:history");
  }

  static AlertmanagerPayload group(String alertname) {
    return AlertmanagerPayload.group("team-a", alertname);
  }

  static <T> T single(List<T> items) {
    assertThat(items).hasSize(1);
    return items.get(0);
  }
}
