package dev.alertdesk.ingest;

import dev.alertdesk.alert.Notification;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.ReceivedNotification;
import dev.alertdesk.noise.InMemoryNoiseLedger;
import dev.alertdesk.noise.NoiseLedger;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The service's {@link IngestPipeline} over in-memory roles ({@link InMemoryIngestStore}): the
 * same engine, planner and noise rules, applied to notifications in the order given, at the time
 * of the shared clock. Built by {@link IngestPipelineFactory#dryRun}. Used by {@code replay} and
 * by tests; nothing is stored or sent. Not thread-safe.
 */
public final class DryRun {
  /**
   * What one notification or deadline pass did.
   *
   * @param incident the incident it touched, or null
   * @param decision the engine's decision, or null for a deadline pass
   * @param events timeline entries written, engine and noise control, per incident
   * @param messages the Slack calls that would be sent, each with the incident whose thread or
   *     parent it belongs to
   */
  public record Step(
      @Nullable Incident incident,
      @Nullable Decision decision,
      List<InMemoryNoiseLedger.Recorded> events,
      List<InMemoryNoiseLedger.Queued> messages) {}

  private final IngestPipeline pipeline;
  private final InMemoryIngestStore store;
  private final Clock clock;
  private int eventsSeen;

  /**
   * @param pipeline the pipeline over {@code store}
   * @param store the in-memory roles
   * @param clock the clock the pipeline's engine uses; read for "now"
   */
  DryRun(IngestPipeline pipeline, InMemoryIngestStore store, Clock clock) {
    this.pipeline = pipeline;
    this.store = store;
    this.clock = clock;
  }

  /** Applies one notification at the clock's current time. */
  public Step apply(Notification n) {
    IngestPipeline.Committed c = pipeline.commit(
        new ReceivedNotification(clock.instant(), n, "{}", ""));
    return new Step(c.incident(), c.decision(), newEvents(), store.ledger().drain());
  }

  /** Runs the noise deadlines due at the clock's current time. */
  public Step tick() {
    pipeline.gate().tick(store.ledger(), clock.instant());
    return new Step(null, null, newEvents(), store.ledger().drain());
  }

  /** Returns an incident by id, or null. */
  public @Nullable Incident incident(long id) {
    return store.incident(id);
  }

  /**
   * Returns the in-memory state noise control keeps (channels, storms, flapping) and the
   * incidents, from which the Slack messages of the dry run are composed.
   */
  public NoiseLedger ledger() {
    return store.ledger();
  }

  /** Returns every incident so far, by id. */
  public List<Incident> incidents() {
    return store.allIncidents();
  }

  private List<InMemoryNoiseLedger.Recorded> newEvents() {
    List<InMemoryNoiseLedger.Recorded> all = store.ledger().events();
    List<InMemoryNoiseLedger.Recorded> out = List.copyOf(all.subList(eventsSeen, all.size()));
    eventsSeen = all.size();
    return out;
  }
}
