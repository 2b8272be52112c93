package dev.alertdesk.ingest;

import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.ReceivedNotification;
import dev.alertdesk.noise.InMemoryNoiseLedger;
import dev.alertdesk.noise.NoiseLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The ingest roles in memory, for the dry run: incidents are kept per group and by id (ids from
 * 1), events and Slack calls go to an {@link InMemoryNoiseLedger}, raw notifications are only
 * counted. Transactions are neither isolated nor rolled back. Not thread-safe.
 */
final class InMemoryIngestStore implements IngestStore, IngestTransaction, IncidentWriter,
    OutboxWriter {
  private final InMemoryNoiseLedger ledger = new InMemoryNoiseLedger();
  private final Map<String, Incident> latestByGroup = new HashMap<>();
  private final Map<Long, Incident> byId = new HashMap<>();
  private long nextId = 1;
  private long nextNotificationId = 1;

  /** Returns the ledger that holds the noise state, events and queued Slack calls. */
  InMemoryNoiseLedger ledger() {
    return ledger;
  }

  /** Returns an incident by id, or null. */
  @Nullable Incident incident(long id) {
    return byId.get(id);
  }

  /** Returns every incident so far. */
  List<Incident> allIncidents() {
    return new ArrayList<>(byId.values());
  }

  @Override
  public <T> T inTransaction(Instant at, Function<IngestTransaction, T> work) {
    return work.apply(this);
  }

  @Override
  public IncidentWriter incidents() {
    return this;
  }

  @Override
  public NoiseLedger noise() {
    return ledger;
  }

  @Override
  public OutboxWriter outbox() {
    return this;
  }

  @Override
  public @Nullable Incident lockGroup(String receiver, String groupKey, Instant now) {
    return latestByGroup.get(groupKey(receiver, groupKey));
  }

  @Override
  public Incident write(Decision decision, Instant now) {
    Incident incident = decision.incident();
    if (incident == null) {
      throw new IllegalArgumentException("the decision touched no incident");
    }
    if (decision.isNew()) {
      incident = incident.withId(nextId++);
    } else if (incident.id() == null) {
      throw new IllegalStateException("engine returned an existing incident without id");
    }
    latestByGroup.put(groupKey(incident.receiver(), incident.groupKey()), incident);
    byId.put(incident.id(), incident);
    ledger.putIncident(incident);
    for (IncidentEvent e : decision.events()) {
      ledger.addEvent(incident.id(), e);
    }
    return incident;
  }

  @Override
  public IncidentResponse response(long incidentId, Instant now) {
    return ledger.response(incidentId, now);
  }

  @Override
  public long recordNotification(ReceivedNotification received, NotificationOutcome outcome,
      @Nullable Long incidentId) {
    return nextNotificationId++;
  }

  @Override
  public void enqueue(long incidentId, OutgoingMessage message) {
    ledger.enqueue(incidentId, message);
  }

  @Override
  public void enqueueLatestUpdate(long incidentId, OutgoingMessage message) {
    ledger.enqueueLatestUpdate(incidentId, message);
  }

  private static String groupKey(String receiver, String groupKey) {
    return receiver + "\u0000" + groupKey;
  }
}
