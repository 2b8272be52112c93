package dev.alertdesk.ingest;

import dev.alertdesk.alert.Notification;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IngestPlanner;
import dev.alertdesk.incident.IngestResult;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.ReceivedNotification;
import dev.alertdesk.noise.NoiseGate;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one path from a parsed notification to committed rows: it owns the transaction and runs
 * its steps in this order, all inside one {@link IngestStore#inTransaction} call, so either every
 * row of the notification is written or none is.
 *
 * <ol>
 *   <li><b>lock</b>: serialise the notification's group and load its latest incident
 *       ({@link IncidentWriter#lockGroup}), so the engine always decides from the latest
 *       committed state, also across replicas;</li>
 *   <li><b>decide</b>: the pure incident engine ({@link IngestPlanner#decide});</li>
 *   <li><b>persist</b>: the incident, members, occurrences and events
 *       ({@link IncidentWriter#write}), which gives a new incident its id;</li>
 *   <li><b>render</b>: the decision's Slack messages for the stored incident and its response
 *       ({@link IngestPlanner#render(Incident, Decision, dev.alertdesk.incident.IncidentResponse)}),
 *       one opaque step;</li>
 *   <li><b>route and noise</b>: {@link NoiseGate#onDecision} picks channels and holds back,
 *       delays, rolls up or correlates messages, writing channel states and events; the Slack
 *       calls it queues are held until it is done;</li>
 *   <li><b>enqueue intents</b>: the held calls are written to the outbox
 *       ({@link OutboxWriter}), in the order the gate queued them (with the intents the gate's
 *       {@link dev.alertdesk.noise.TargetPlanner}s planned for other delivery targets), then
 *       the intents the planner rendered for delivery targets other than Slack, as they are;</li>
 *   <li><b>record</b>: the raw notification with its outcome and incident
 *       ({@link IncidentWriter#recordNotification}).</li>
 * </ol>
 *
 * <p>A notification that touches no incident runs only lock, decide and record. A step that
 * writes more jobs for a touched incident (enrichment, say) goes right after
 * {@code enqueueIntents}, in {@code run}. A notification whose transaction failed is sent again by
 * Alertmanager and runs every step again, so the planner must be pure. The same pipeline runs in the service over {@code store.JdbiIngestStore} and in the
 * {@code replay} dry run over {@link InMemoryIngestStore}; both are built by
 * {@link IngestPipelineFactory}. Thread-safe when its store is.
 */
public final class IngestPipeline {
  /**
   * What one notification committed.
   *
   * @param result what the caller is told
   * @param decision the engine's decision
   * @param incident the incident as stored, with its id, or null when the decision touched none
   */
  record Committed(IngestResult result, Decision decision, @Nullable Incident incident) {}

  private final NotificationPlanner planner;
  private final NoiseGate gate;
  private final IngestStore store;

  /**
   * @param planner decides and renders; pure
   * @param gate the noise rules, applied in the route-and-noise step
   * @param store where the transaction runs
   */
  IngestPipeline(NotificationPlanner planner, NoiseGate gate, IngestStore store) {
    this.planner = planner;
    this.gate = gate;
    this.store = store;
  }

  /** Returns the noise rules this pipeline applies; the noise worker runs their deadlines. */
  public NoiseGate gate() {
    return gate;
  }

  /**
   * Commits one notification with the configured planner.
   *
   * @param received the notification as received
   * @return what was committed
   * @throws dev.alertdesk.incident.StorageException when the transaction fails (nothing written)
   */
  public IngestResult ingest(ReceivedNotification received) {
    return commit(received).result();
  }

  /**
   * Commits one notification with the given planner instead of the configured one (tests use it
   * to make a step fail).
   *
   * @param received the notification as received
   * @param planner decides and renders; pure
   * @return what was committed
   * @throws dev.alertdesk.incident.StorageException when the transaction fails (nothing written)
   */
  public IngestResult ingest(ReceivedNotification received, IngestPlanner planner) {
    return commit(received, planner).result();
  }

  /** Commits one notification with the configured planner and returns the decision as well. */
  Committed commit(ReceivedNotification received) {
    return commit(received, planner.planner(received.notification()));
  }

  private Committed commit(ReceivedNotification received, IngestPlanner planner) {
    return store.inTransaction(received.receivedAt(), tx -> run(tx, received, planner));
  }

  private Committed run(IngestTransaction tx, ReceivedNotification received,
      IngestPlanner planner) {
    Notification n = received.notification();
    Instant now = received.receivedAt();
    Incident latest = tx.incidents().lockGroup(n.receiver(), n.groupKey(), now);
    Decision decision = planner.decide(latest);
    Incident stored = null;
    if (decision.incident() != null) {
      stored = persist(tx, decision, now);
      List<OutgoingMessage> messages = render(tx, planner, stored, decision, now);
      IntentQueue intents = routeAndNoise(tx, decision.isNew() ? null : latest, stored, decision,
          messages.stream().filter(OutgoingMessage::isSlack).toList(), now);
      enqueueIntents(tx, intents);
      enqueueOtherTargets(tx, requireId(stored), messages);
    }
    Long incidentId = stored == null ? null : stored.id();
    long notificationId = tx.incidents().recordNotification(received, decision.outcome(),
        incidentId);
    return new Committed(new IngestResult(notificationId, decision.outcome(), incidentId,
        n.alerts().size()), decision, stored);
  }

  /** Persist: writes the decision; returns the incident with its stored id. */
  private static Incident persist(IngestTransaction tx, Decision decision, Instant now) {
    return tx.incidents().write(decision, now);
  }

  /** Render: the decision's Slack messages, knowing how people responded to the incident. */
  private static List<OutgoingMessage> render(IngestTransaction tx, IngestPlanner planner,
      Incident stored, Decision decision, Instant now) {
    return planner.render(stored, decision, tx.incidents().response(requireId(stored), now));
  }

  /**
   * Route and noise: the gate writes channel states and events through the transaction's ledger;
   * the Slack calls it queues are held in the returned queue.
   */
  private IntentQueue routeAndNoise(IngestTransaction tx, @Nullable Incident before,
      Incident stored, Decision decision, List<OutgoingMessage> messages, Instant now) {
    IntentQueue intents = new IntentQueue(tx.noise());
    gate.onDecision(intents, before, stored, decision, messages, now);
    return intents;
  }

  /** Enqueue intents: writes the held Slack calls to the outbox, in order. */
  private static void enqueueIntents(IngestTransaction tx, IntentQueue intents) {
    intents.writeTo(tx.outbox());
  }

  /**
   * Enqueue intents of other targets: what the planner rendered for a delivery target other
   * than Slack (say, one event per occurrence) is written as it is, after the Slack calls; noise
   * control does not route it.
   */
  private static void enqueueOtherTargets(IngestTransaction tx, long incidentId,
      List<OutgoingMessage> messages) {
    for (OutgoingMessage m : messages) {
      if (!m.isSlack()) {
        tx.outbox().enqueue(incidentId, m);
      }
    }
  }

  private static long requireId(Incident incident) {
    Long id = incident.id();
    if (id == null) {
      throw new IllegalStateException("the persist step returned an incident without id");
    }
    return id;
  }
}
