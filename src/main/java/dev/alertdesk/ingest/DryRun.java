package dev.alertdesk.ingest;

import dev.alertdesk.alert.Notification;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IngestPlanner;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.noise.InMemoryNoiseLedger;
import dev.alertdesk.noise.NoiseGate;
import dev.alertdesk.noise.NoiseLedger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The service's ingest path without a database: the incident engine, the renderer and the noise
 * rules applied to notifications in memory, in the order given, at the time of the shared clock.
 * Used by {@code replay} and by tests; nothing is stored or sent. Not thread-safe.
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

  private final NotificationPlanner planner;
  private final NoiseGate gate;
  private final Clock clock;
  private final InMemoryNoiseLedger ledger = new InMemoryNoiseLedger();
  private final Map<String, Incident> latestByGroup = new HashMap<>();
  private final Map<Long, Incident> byId = new HashMap<>();
  private long nextId = 1;
  private int eventsSeen;

  /**
   * @param planner the engine and renderer, as in the service
   * @param gate the noise rules
   * @param clock the clock the planner's engine and renderer use; read for "now"
   */
  public DryRun(NotificationPlanner planner, NoiseGate gate, Clock clock) {
    this.planner = planner;
    this.gate = gate;
    this.clock = clock;
  }

  /** Applies one notification at the clock's current time. */
  public Step apply(Notification n) {
    String key = n.receiver() + "\u0000" + n.groupKey();
    Incident before = latestByGroup.get(key);
    IngestPlanner p = planner.planner(n);
    Decision d = p.decide(before);
    Incident incident = d.incident();
    if (incident == null) {
      return new Step(null, d, List.of(), List.of());
    }
    if (d.isNew()) {
      incident = incident.withId(nextId++);
    }
    latestByGroup.put(key, incident);
    byId.put(incident.id(), incident);
    ledger.putIncident(incident);
    for (IncidentEvent e : d.events()) {
      ledger.addEvent(incident.id(), e);
    }
    List<OutgoingMessage> rendered = p.render(incident, d);
    gate.onDecision(ledger, d.isNew() ? null : before, incident, d, rendered, clock.instant());
    return new Step(incident, d, newEvents(), ledger.drain());
  }

  /** Runs the noise deadlines due at the clock's current time. */
  public Step tick() {
    gate.tick(ledger, clock.instant());
    return new Step(null, null, newEvents(), ledger.drain());
  }

  /** Returns an incident by id, or null. */
  public @Nullable Incident incident(long id) {
    return byId.get(id);
  }

  /**
   * Returns the in-memory state noise control keeps (channels, storms, flapping) and the
   * incidents, from which the Slack messages of the dry run are composed.
   */
  public NoiseLedger ledger() {
    return ledger;
  }

  /** Returns every incident so far, by id. */
  public List<Incident> incidents() {
    return new ArrayList<>(byId.values());
  }

  private List<InMemoryNoiseLedger.Recorded> newEvents() {
    List<InMemoryNoiseLedger.Recorded> all = ledger.events();
    List<InMemoryNoiseLedger.Recorded> out = List.copyOf(all.subList(eventsSeen, all.size()));
    eventsSeen = all.size();
    return out;
  }
}
