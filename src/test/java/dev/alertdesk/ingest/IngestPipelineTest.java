package dev.alertdesk.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.alert.Matchers;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEngine;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.IngestPlanner;
import dev.alertdesk.incident.IngestResult;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.ReceivedNotification;
import dev.alertdesk.noise.ChannelState;
import dev.alertdesk.noise.IncidentResponseState;
import dev.alertdesk.noise.NoiseLedger;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.noise.Route;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The order of {@link IngestPipeline}'s steps, over in-memory roles that log every call. */
class IngestPipelineTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  /** Critical incidents go to #oncall with a mention, and on to #team ({@code continue}). */
  static final NoiseRules TWO_CHANNELS = new NoiseRules(List.of(
      new Route(Matchers.parse("severity=\"critical\""), "#oncall", "<!subteam^S1>", true, true),
      new Route(Matchers.ALL, "#team", null, true, false)),
      Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 0, List.of(), Duration.ZERO);

  final MutableClock clock = new MutableClock(T0);
  final IncidentEngine engine = new IncidentEngine(clock, Duration.ofHours(1));
  final RecordingStore store = new RecordingStore();
  final IngestPipeline pipeline = new IngestPipelineFactory(clock, engine, "#alerts", false,
      TWO_CHANNELS).pipeline(store, IncidentResponseState.NONE);
  final NotificationPlanner planner = new NotificationPlanner(engine, "#alerts");
  /** Per render call: the incident given to render, and the stored one at that moment. */
  final List<Incident[]> rendered = new ArrayList<>();

  @Test
  void stepsRunInOneTransactionLockDecidePersistRenderRouteAndNoiseEnqueueThenRecord() {
    IngestResult result = ingest(firing("api-1", T0));

    assertThat(result.outcome()).isEqualTo(NotificationOutcome.OPENED);
    assertThat(store.calls).containsExactly("begin", "lockGroup", "decide", "write", "response",
        "render", "noise", "enqueue PARENT_POST #oncall", "enqueue PARENT_POST #team",
        "recordNotification", "commit");
  }

  @Test
  void slackCallsAreEnqueuedOnlyOnceNoiseControlHasDecidedForEveryChannel() {
    ingest(firing("api-1", T0));

    assertThat(store.atEnqueue).hasSize(2).allSatisfy(seen -> {
      assertThat(seen.channels()).containsExactly("#oncall", "#team");
      assertThat(seen.events()).contains(EventKind.ROUTED);
    });
  }

  @Test
  void renderSeesTheIncidentAsThePersistStepStoredItWithItsId() {
    long id = ingest(firing("api-1", T0)).incidentId();
    clock.advance(Duration.ofMinutes(1));
    ingest(firing("api-1", T0).firing("api-2", T0.plusSeconds(30)));

    assertThat(rendered).hasSize(2).allSatisfy(pair -> {
      assertThat(pair[0].id()).isEqualTo(id);
      assertThat(pair[1]).isEqualTo(pair[0]);
    });
    assertThat(rendered.get(1)[0].members()).hasSize(2);
  }

  @Test
  void aNotificationThatTouchesNoIncidentIsOnlyLockedDecidedAndRecorded() {
    IngestResult result = ingest(AlertmanagerPayload.group("team-a", "HighLatency")
        .resolved("api-1", T0.minusSeconds(600), T0.minusSeconds(60)));

    assertThat(result.outcome()).isEqualTo(NotificationOutcome.NO_INCIDENT);
    assertThat(result.incidentId()).isNull();
    assertThat(store.calls).containsExactly("begin", "lockGroup", "decide", "recordNotification",
        "commit");
    assertThat(store.roles.ledger().drain()).isEmpty();
  }

  static AlertmanagerPayload firing(String instance, Instant startsAt) {
    return AlertmanagerPayload.group("team-a", "HighLatency").firing(instance, startsAt);
  }

  IngestResult ingest(AlertmanagerPayload payload) {
    store.calls.clear();
    ReceivedNotification received = new ReceivedNotification(clock.instant(),
        new WebhookPayloadParser().parse(payload.bytes()), "{}", payload.json());
    IngestPlanner real = planner.planner(received.notification());
    return pipeline.ingest(received, new IngestPlanner() {
      @Override
      public Decision decide(@Nullable Incident latest) {
        store.calls.add("decide");
        return real.decide(latest);
      }

      @Override
      public List<OutgoingMessage> render(Incident incident, Decision decision) {
        throw new AssertionError("the pipeline renders with the incident's response");
      }

      @Override
      public List<OutgoingMessage> render(Incident incident, Decision decision,
          IncidentResponse response) {
        store.calls.add("render");
        Long id = incident.id();
        rendered.add(new Incident[] {incident, id == null ? null : store.roles.incident(id)});
        return real.render(incident, decision, response);
      }
    });
  }

  /**
   * What the ledger held for an incident when one of its Slack calls was enqueued.
   *
   * @param channels the channels with a saved delivery state
   * @param events the kinds of its events so far
   */
  record Seen(List<String> channels, List<EventKind> events) {}

  /** {@link InMemoryIngestStore}, logging each role call and the state at each enqueue. */
  static final class RecordingStore implements IngestStore {
    final InMemoryIngestStore roles = new InMemoryIngestStore();
    final List<String> calls = new ArrayList<>();
    final List<Seen> atEnqueue = new ArrayList<>();

    @Override
    public <T> T inTransaction(Instant at, Function<IngestTransaction, T> work) {
      calls.add("begin");
      T result = roles.inTransaction(at, tx -> work.apply(new Recording(tx)));
      calls.add("commit");
      return result;
    }

    private final class Recording implements IngestTransaction, IncidentWriter, OutboxWriter {
      private final IngestTransaction tx;

      Recording(IngestTransaction tx) {
        this.tx = tx;
      }

      @Override
      public IncidentWriter incidents() {
        return this;
      }

      @Override
      public NoiseLedger noise() {
        calls.add("noise");
        return tx.noise();
      }

      @Override
      public OutboxWriter outbox() {
        return this;
      }

      @Override
      public @Nullable Incident lockGroup(String receiver, String groupKey, Instant now) {
        calls.add("lockGroup");
        return tx.incidents().lockGroup(receiver, groupKey, now);
      }

      @Override
      public Incident write(Decision decision, Instant now) {
        calls.add("write");
        return tx.incidents().write(decision, now);
      }

      @Override
      public IncidentResponse response(long incidentId, Instant now) {
        calls.add("response");
        return tx.incidents().response(incidentId, now);
      }

      @Override
      public long recordNotification(ReceivedNotification received, NotificationOutcome outcome,
          @Nullable Long incidentId) {
        calls.add("recordNotification");
        return tx.incidents().recordNotification(received, outcome, incidentId);
      }

      @Override
      public void enqueue(long incidentId, OutgoingMessage message) {
        seen(incidentId, "enqueue", message);
        tx.outbox().enqueue(incidentId, message);
      }

      @Override
      public void enqueueLatestUpdate(long incidentId, OutgoingMessage message) {
        seen(incidentId, "enqueueLatestUpdate", message);
        tx.outbox().enqueueLatestUpdate(incidentId, message);
      }

      private void seen(long incidentId, String call, OutgoingMessage message) {
        calls.add(call + " " + message.kind() + " " + message.channel());
        atEnqueue.add(new Seen(
            tx.noise().channels(incidentId).stream().map(ChannelState::channel).toList(),
            roles.ledger().events().stream().filter(r -> r.incidentId() == incidentId)
                .map(r -> r.event().kind()).toList()));
      }
    }
  }
}
