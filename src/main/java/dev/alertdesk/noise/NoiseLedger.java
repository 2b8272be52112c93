package dev.alertdesk.noise;

import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.OutgoingMessage;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The durable state of noise control, bound to one transaction: per-channel delivery states,
 * arrival counts, storms, flapping, and the events and outbox rows decisions write. Every write
 * commits or rolls back with the transaction it belongs to.
 *
 * <p>All methods throw {@link dev.alertdesk.incident.StorageException} when the database fails.
 */
public interface NoiseLedger {
  /** Returns the incident's delivery state per channel, in the order they were created. */
  List<ChannelState> channels(long incidentId);

  /** Inserts or replaces the state of {@code (incidentId, channel)}. */
  void saveChannel(ChannelState state);

  /**
   * Serialises arrivals in {@code channel} until the transaction ends, so that two concurrent
   * new incidents cannot both see room below the storm limit.
   */
  void lockChannel(String channel);

  /** Returns how many incidents arrived in {@code channel} after {@code since}. */
  int arrivalsSince(String channel, Instant since);

  /**
   * Records that an incident arrived in a channel (posted, rolled up or correlated), at most once
   * per incident and channel, and forgets arrivals before {@code pruneBefore}.
   */
  void addArrival(String channel, long incidentId, Instant at, Instant pruneBefore);

  /** Returns the channel's active storm, or null. */
  @Nullable StormState activeStorm(String channel);

  /** Starts a storm in {@code channel} anchored on {@code anchorIncidentId}. */
  StormState startStorm(String channel, long anchorIncidentId, Instant at);

  /** Marks the storm ended at {@code at}. */
  void endStorm(long stormId, Instant at);

  /** Returns the storm with this id, or null. */
  @Nullable StormState storm(long stormId);

  /** Returns every active storm. */
  List<StormState> activeStorms();

  /** The most incidents {@link #stormMembers} lists: more than a storm message can show. */
  int MAX_STORM_MEMBERS = 1000;

  /**
   * Returns the incidents rolled up into a storm, oldest first, in their current state: at most
   * the oldest {@link #MAX_STORM_MEMBERS}; {@link #stormTally} counts them all.
   */
  List<StormMember> stormMembers(long stormId);

  /** Returns how many incidents are rolled up into a storm, and how many of them fire. */
  StormTally stormTally(long stormId);

  /**
   * Returns the oldest open (not resolved) incident other than {@code excludeIncidentId} posted in
   * {@code channel} with this correlation key, or null.
   */
  @Nullable Long openPostedIncident(String channel, String correlationKey, long excludeIncidentId);

  /**
   * Records a change between firing and resolved of one fingerprint, forgetting its changes
   * before {@code pruneBefore}.
   */
  void addTransition(String fingerprint, long incidentId, Instant at, Instant pruneBefore);

  /** Returns the fingerprint's changes after {@code since}. */
  int transitionsSince(String fingerprint, Instant since);

  /** Returns the flapping state of a fingerprint, or null when it is not flapping. */
  @Nullable FlappingState flapping(String fingerprint);

  /** Inserts or replaces a flapping state. */
  void saveFlapping(FlappingState state);

  /** Removes the flapping state of a fingerprint. */
  void clearFlapping(String fingerprint);

  /**
   * Returns the most changes after {@code since} of any flapping fingerprint last seen in this
   * incident; 0 when none of them is flapping.
   */
  int flappingTransitions(long incidentId, Instant since);

  /** Returns flapping states whose last change was before {@code quietSince}. */
  List<FlappingState> flappingQuietSince(Instant quietSince, int limit);

  /** Appends an event to an incident's timeline. */
  void addEvent(long incidentId, IncidentEvent event);

  /** Queues a Slack call; its thread and parent are those of {@code incidentId} in the channel. */
  void enqueue(long incidentId, OutgoingMessage message);

  /**
   * Queues a parent update, or replaces the payload of the same incident's and channel's parent
   * update still waiting unclaimed at the end of its queue, so a burst of changes becomes one
   * {@code chat.update} with the newest content.
   */
  void enqueueLatestUpdate(long incidentId, OutgoingMessage message);

  /**
   * Locks the incident's group against concurrent notifications until the transaction ends, and
   * loads the incident with its members.
   *
   * @return the incident, or null when it does not exist
   */
  @Nullable Incident lockIncident(long incidentId);

  /**
   * Returns how people responded to the incident (acknowledgement, silence, snoozes) as of
   * {@code now}, for rendering its parent.
   */
  IncidentResponse response(long incidentId, Instant now);

  /** Returns at most {@code limit} delayed states due at {@code now}, oldest first. */
  List<ChannelState.Delayed> delayedDue(Instant now, int limit);

  /**
   * Returns at most {@code limit} posted states whose reminder is due at {@code now}, oldest
   * first.
   */
  List<ChannelState.Posted> remindersDue(Instant now, int limit);
}
