package dev.alertdesk.noise;

import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link NoiseLedger} and {@link NoiseStore} in memory, for the {@code replay} dry run: the
 * same rules as the service without a database. Incidents are registered with
 * {@link #putIncident} as the caller stores them; queued Slack calls are collected until
 * {@link #drain()}. Not thread-safe; transactions are not isolated.
 */
public final class InMemoryNoiseLedger implements NoiseLedger, NoiseStore {
  /**
   * A queued Slack call.
   *
   * @param incidentId whose parent and thread it belongs to
   * @param message the call
   */
  public record Queued(long incidentId, OutgoingMessage message) {}

  /**
   * A recorded event.
   *
   * @param incidentId the incident
   * @param event the event
   */
  public record Recorded(long incidentId, IncidentEvent event) {}

  private final Map<Long, Incident> incidents = new HashMap<>();
  private final Map<Long, Map<String, ChannelState>> channels = new HashMap<>();
  private final List<String[]> arrivals = new ArrayList<>();
  private final Map<Long, StormState> storms = new LinkedHashMap<>();
  private final List<Object[]> transitions = new ArrayList<>();
  private final Map<String, FlappingState> flapping = new LinkedHashMap<>();
  private final List<Queued> queue = new ArrayList<>();
  private final List<Recorded> events = new ArrayList<>();
  private long nextStormId = 1;

  /** Registers or replaces an incident, as the store does when it commits one. */
  public void putIncident(Incident incident) {
    incidents.put(requireId(incident), incident);
  }

  /** Returns the Slack calls queued since the last drain, and forgets them. */
  public List<Queued> drain() {
    List<Queued> out = List.copyOf(queue);
    queue.clear();
    return out;
  }

  /** Returns every event recorded so far, oldest first. */
  public List<Recorded> events() {
    return List.copyOf(events);
  }

  @Override
  public <T> T inTransaction(Function<NoiseLedger, T> work) {
    return work.apply(this);
  }

  @Override
  public List<ChannelState> channels(long incidentId) {
    return List.copyOf(channels.getOrDefault(incidentId, Map.of()).values());
  }

  @Override
  public void saveChannel(ChannelState state) {
    channels.computeIfAbsent(state.incidentId(), k -> new LinkedHashMap<>())
        .put(state.channel(), state);
  }

  @Override
  public void lockChannel(String channel) {
    // One thread: nothing to serialise.
  }

  @Override
  public int arrivalsSince(String channel, Instant since) {
    return (int) arrivals.stream().filter(a -> a[0].equals(channel)
        && Instant.parse(a[2]).isAfter(since)).count();
  }

  @Override
  public void addArrival(String channel, long incidentId, Instant at, Instant pruneBefore) {
    arrivals.removeIf(a -> a[0].equals(channel) && Instant.parse(a[2]).isBefore(pruneBefore));
    boolean known = arrivals.stream().anyMatch(a -> a[0].equals(channel)
        && a[1].equals(String.valueOf(incidentId)));
    if (!known) {
      arrivals.add(new String[] {channel, String.valueOf(incidentId), at.toString()});
    }
  }

  @Override
  public @Nullable StormState activeStorm(String channel) {
    return storms.values().stream().filter(s -> s.channel().equals(channel) && s.endedAt() == null)
        .reduce((a, b) -> b).orElse(null);
  }

  @Override
  public StormState startStorm(String channel, long anchorIncidentId, Instant at) {
    StormState storm = new StormState(nextStormId++, channel, anchorIncidentId, at, null);
    storms.put(storm.id(), storm);
    return storm;
  }

  @Override
  public void endStorm(long stormId, Instant at) {
    StormState s = storms.get(stormId);
    if (s != null && s.endedAt() == null) {
      storms.put(stormId, new StormState(s.id(), s.channel(), s.anchorIncidentId(),
          s.startedAt(), at));
    }
  }

  @Override
  public @Nullable StormState storm(long stormId) {
    return storms.get(stormId);
  }

  @Override
  public List<StormState> activeStorms() {
    return storms.values().stream().filter(s -> s.endedAt() == null).toList();
  }

  @Override
  public List<StormMember> stormMembers(long stormId) {
    List<StormMember> all = allStormMembers(stormId);
    return all.size() > MAX_STORM_MEMBERS ? List.copyOf(all.subList(0, MAX_STORM_MEMBERS)) : all;
  }

  @Override
  public StormTally stormTally(long stormId) {
    List<StormMember> all = allStormMembers(stormId);
    return new StormTally(all.size(),
        (int) all.stream().filter(m -> m.status() != IncidentStatus.RESOLVED).count());
  }

  private List<StormMember> allStormMembers(long stormId) {
    List<StormMember> out = new ArrayList<>();
    channels.forEach((id, byChannel) -> byChannel.values().forEach(s -> {
      Incident i = incidents.get(id);
      if (i != null && s instanceof ChannelState.RolledUp r && r.stormId() == stormId) {
        out.add(new StormMember(id, i.alertname(), i.groupLabels(), i.status(), i.firingCount()));
      }
    }));
    out.sort(Comparator.comparingLong(StormMember::incidentId));
    return out;
  }

  @Override
  public @Nullable Long openPostedIncident(String channel, String correlationKey,
      long excludeIncidentId) {
    Long best = null;
    for (Map.Entry<Long, Map<String, ChannelState>> e : channels.entrySet()) {
      ChannelState s = e.getValue().get(channel);
      Incident i = incidents.get(e.getKey());
      if (s instanceof ChannelState.Posted && i != null
          && correlationKey.equals(s.routing().correlationKey()) && e.getKey() != excludeIncidentId
          && i.status() != IncidentStatus.RESOLVED && (best == null || e.getKey() < best)) {
        best = e.getKey();
      }
    }
    return best;
  }

  @Override
  public void addTransition(String fingerprint, long incidentId, Instant at, Instant pruneBefore) {
    transitions.removeIf(t -> t[0].equals(fingerprint) && ((Instant) t[1]).isBefore(pruneBefore));
    transitions.add(new Object[] {fingerprint, at, incidentId});
  }

  @Override
  public int transitionsSince(String fingerprint, Instant since) {
    return (int) transitions.stream().filter(t -> t[0].equals(fingerprint)
        && ((Instant) t[1]).isAfter(since)).count();
  }

  @Override
  public int flappingTransitions(long incidentId, Instant since) {
    int most = 0;
    for (FlappingState f : flapping.values()) {
      if (f.incidentId() == incidentId) {
        most = Math.max(most, transitionsSince(f.fingerprint(), since));
      }
    }
    return most;
  }

  @Override
  public @Nullable FlappingState flapping(String fingerprint) {
    return flapping.get(fingerprint);
  }

  @Override
  public void saveFlapping(FlappingState state) {
    flapping.put(state.fingerprint(), state);
  }

  @Override
  public void clearFlapping(String fingerprint) {
    flapping.remove(fingerprint);
  }

  @Override
  public List<FlappingState> flappingQuietSince(Instant quietSince, int limit) {
    return flapping.values().stream().filter(f -> f.lastTransitionAt().isBefore(quietSince))
        .limit(limit).toList();
  }

  @Override
  public void addEvent(long incidentId, IncidentEvent event) {
    events.add(new Recorded(incidentId, event));
  }

  @Override
  public void enqueue(long incidentId, OutgoingMessage message) {
    queue.add(new Queued(incidentId, message));
  }

  @Override
  public void enqueueLatestUpdate(long incidentId, OutgoingMessage message) {
    for (int i = queue.size() - 1; i >= 0; i--) {
      Queued q = queue.get(i);
      if (q.incidentId() == incidentId) {
        if (q.message().kind() == SlackIntent.Kind.PARENT_UPDATE
            && q.message().channel().equals(message.channel())) {
          queue.set(i, new Queued(incidentId, message));
          return;
        }
        break;
      }
    }
    enqueue(incidentId, message);
  }

  @Override
  public @Nullable Incident lockIncident(long incidentId) {
    return incidents.get(incidentId);
  }

  @Override
  public IncidentResponse response(long incidentId, Instant now) {
    return IncidentResponse.none(incidentId);
  }

  @Override
  public List<ChannelState.Delayed> delayedDue(Instant now, int limit) {
    List<ChannelState.Delayed> due = new ArrayList<>();
    for (ChannelState s : allStates()) {
      if (s instanceof ChannelState.Delayed d && !d.notifyAt().isAfter(now)) {
        due.add(d);
      }
    }
    due.sort(Comparator.comparing(ChannelState.Delayed::notifyAt));
    return due.stream().limit(limit).toList();
  }

  @Override
  public List<ChannelState.Posted> remindersDue(Instant now, int limit) {
    List<ChannelState.Posted> due = new ArrayList<>();
    for (ChannelState s : allStates()) {
      if (s instanceof ChannelState.Posted p && p.nextReminderAt() != null
          && !p.nextReminderAt().isAfter(now)) {
        due.add(p);
      }
    }
    due.sort(Comparator.comparing(p -> Objects.requireNonNull(p.nextReminderAt())));
    return due.stream().limit(limit).toList();
  }

  private List<ChannelState> allStates() {
    List<ChannelState> all = new ArrayList<>();
    channels.values().forEach(m -> all.addAll(m.values()));
    return all;
  }

  private static long requireId(Incident incident) {
    Long id = incident.id();
    if (id == null) {
      throw new IllegalArgumentException("the incident needs an id");
    }
    return id;
  }
}
