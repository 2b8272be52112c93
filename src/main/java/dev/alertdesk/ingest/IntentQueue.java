package dev.alertdesk.ingest;

import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.noise.ChannelState;
import dev.alertdesk.noise.FlappingState;
import dev.alertdesk.noise.NoiseLedger;
import dev.alertdesk.noise.StormMember;
import dev.alertdesk.noise.StormState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The transaction's {@link NoiseLedger} as the route-and-noise step sees it: every read and write
 * goes to the ledger, except the Slack calls, which are held in order until
 * {@link #writeTo(OutboxWriter)} (the enqueue-intents step). Nothing the gate reads depends on
 * outbox rows, so holding them back changes no decision. Used by one transaction only.
 */
final class IntentQueue implements NoiseLedger {
  /** One held Slack call; {@code latest} for {@link #enqueueLatestUpdate}. */
  private record Held(long incidentId, OutgoingMessage message, boolean latest) {}

  private final NoiseLedger ledger;
  private final List<Held> held = new ArrayList<>();

  /** @param ledger the transaction's ledger */
  IntentQueue(NoiseLedger ledger) {
    this.ledger = ledger;
  }

  /** Writes the held calls in the order they were queued, and forgets them. */
  void writeTo(OutboxWriter outbox) {
    for (Held h : held) {
      if (h.latest()) {
        outbox.enqueueLatestUpdate(h.incidentId(), h.message());
      } else {
        outbox.enqueue(h.incidentId(), h.message());
      }
    }
    held.clear();
  }

  @Override
  public void enqueue(long incidentId, OutgoingMessage message) {
    held.add(new Held(incidentId, message, false));
  }

  @Override
  public void enqueueLatestUpdate(long incidentId, OutgoingMessage message) {
    held.add(new Held(incidentId, message, true));
  }

  // Everything else goes to the transaction's ledger as it is.

  @Override
  public List<ChannelState> channels(long incidentId) {
    return ledger.channels(incidentId);
  }

  @Override
  public void saveChannel(ChannelState state) {
    ledger.saveChannel(state);
  }

  @Override
  public void lockChannel(String channel) {
    ledger.lockChannel(channel);
  }

  @Override
  public int arrivalsSince(String channel, Instant since) {
    return ledger.arrivalsSince(channel, since);
  }

  @Override
  public void addArrival(String channel, long incidentId, Instant at, Instant pruneBefore) {
    ledger.addArrival(channel, incidentId, at, pruneBefore);
  }

  @Override
  public @Nullable StormState activeStorm(String channel) {
    return ledger.activeStorm(channel);
  }

  @Override
  public StormState startStorm(String channel, long anchorIncidentId, Instant at) {
    return ledger.startStorm(channel, anchorIncidentId, at);
  }

  @Override
  public void endStorm(long stormId, Instant at) {
    ledger.endStorm(stormId, at);
  }

  @Override
  public @Nullable StormState storm(long stormId) {
    return ledger.storm(stormId);
  }

  @Override
  public List<StormState> activeStorms() {
    return ledger.activeStorms();
  }

  @Override
  public List<StormMember> stormMembers(long stormId) {
    return ledger.stormMembers(stormId);
  }

  @Override
  public dev.alertdesk.noise.StormTally stormTally(long stormId) {
    return ledger.stormTally(stormId);
  }

  @Override
  public @Nullable Long openPostedIncident(String channel, String correlationKey,
      long excludeIncidentId) {
    return ledger.openPostedIncident(channel, correlationKey, excludeIncidentId);
  }

  @Override
  public void addTransition(String fingerprint, long incidentId, Instant at, Instant pruneBefore) {
    ledger.addTransition(fingerprint, incidentId, at, pruneBefore);
  }

  @Override
  public int transitionsSince(String fingerprint, Instant since) {
    return ledger.transitionsSince(fingerprint, since);
  }

  @Override
  public @Nullable FlappingState flapping(String fingerprint) {
    return ledger.flapping(fingerprint);
  }

  @Override
  public void saveFlapping(FlappingState state) {
    ledger.saveFlapping(state);
  }

  @Override
  public void clearFlapping(String fingerprint) {
    ledger.clearFlapping(fingerprint);
  }

  @Override
  public int flappingTransitions(long incidentId, Instant since) {
    return ledger.flappingTransitions(incidentId, since);
  }

  @Override
  public List<FlappingState> flappingQuietSince(Instant quietSince, int limit) {
    return ledger.flappingQuietSince(quietSince, limit);
  }

  @Override
  public void addEvent(long incidentId, IncidentEvent event) {
    ledger.addEvent(incidentId, event);
  }

  @Override
  public @Nullable Incident lockIncident(long incidentId) {
    return ledger.lockIncident(incidentId);
  }

  @Override
  public IncidentResponse response(long incidentId, Instant now) {
    return ledger.response(incidentId, now);
  }

  @Override
  public List<ChannelState.Delayed> delayedDue(Instant now, int limit) {
    return ledger.delayedDue(now, limit);
  }

  @Override
  public List<ChannelState.Posted> remindersDue(Instant now, int limit) {
    return ledger.remindersDue(now, limit);
  }
}
