package dev.alertdesk.action;

import dev.alertdesk.audit.AuditEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Durable state of Slack actions. Safe for concurrent use and for several replicas. All methods
 * throw {@link dev.alertdesk.incident.StorageException} when the database fails.
 */
public interface ActionStore {
  /**
   * Records a received interaction before it is answered, so that work survives the answer and
   * a repeat is recognised.
   *
   * @param actionKey unique per click ({@code user:action_id:action_ts}); Slack retries and
   *     replays repeat it
   * @param payloadJson the interaction payload
   * @param now the current time
   * @return the new interaction's id, or empty when {@code actionKey} was recorded before
   */
  Optional<Long> accept(String actionKey, String payloadJson, Instant now);

  /**
   * Returns interactions recorded but not finished (for example across a restart), oldest first.
   *
   * @param since only those received at or after this time (Slack's response URLs expire after
   *     30 minutes)
   */
  List<PendingInteraction> pending(Instant since);

  /** Marks an interaction done. */
  void finish(long interactionId, Instant now);

  /**
   * Returns true when the incident has its own parent message in the channel of this ID: the
   * only place its action buttons are shown, so the only channel a click may come from.
   *
   * @param incidentId the incident
   * @param channelId a Slack channel ID such as {@code C0123456}
   */
  boolean hasParentIn(long incidentId, String channelId);

  /**
   * Loads the current state of an incident without locking.
   *
   * @return the state, or empty when no incident has that id
   */
  Optional<ActionContext> load(long incidentId);

  /**
   * Runs one action in a single transaction: serialises with notifications and other actions on
   * the same incident, loads its state, calls {@code step} (pure; it may run again if the
   * transaction is retried) and writes the change: response, events, the audit row (chained),
   * outbox rows and snoozes. On any exception nothing is written.
   *
   * @param incidentId the incident
   * @param step decides the change from the current state
   * @return the change written, or empty when no incident has that id
   */
  Optional<ActionChange> apply(long incidentId, Function<ActionContext, ActionChange> step);

  /** Appends an audit row on its own (an action that failed before changing any state). */
  void audit(AuditEntry entry);

  /**
   * Returns incidents that hold an "until resolved" silence, oldest first, at most 100.
   */
  List<ActionContext> untilResolvedSilences();

  /**
   * A recorded interaction waiting to be worked on.
   *
   * @param id its id
   * @param payloadJson the payload
   * @param receivedAt when it was received
   */
  record PendingInteraction(long id, String payloadJson, Instant receivedAt) {}
}
