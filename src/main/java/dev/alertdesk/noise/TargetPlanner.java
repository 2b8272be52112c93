package dev.alertdesk.noise;

import dev.alertdesk.incident.OutgoingMessage;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Plans intents for a delivery target other than Slack (e-mail, …) at the moments noise control
 * lets a Slack message through in a channel, so the target follows the same noise rules: an
 * incident rolled up into a storm, correlated, delayed by notify-after or flapping gets what its
 * Slack channel gets (one storm message, one flapping reply), not one message per change. Called
 * inside the transaction that queues the Slack message; the returned intents are written to the
 * outbox in the same transaction and claimed by the target's own worker.
 *
 * <p>Pure: no I/O; decides from the route (where the target's per-route settings live) and the
 * moment. Given to {@link NoiseGate}'s constructor.
 */
public interface TargetPlanner {
  /** What noise control let through in a channel. */
  enum Moment {
    /** The incident's parent was posted (at once, or after notify-after). */
    OPENED,
    /** The incident reopened within the reopen window (its "reopened" reply). */
    REOPENED,
    /** Every member resolved (its "resolved" reply). */
    RESOLVED,
    /**
     * A critical incident is still unacknowledged after {@code reminders.unacknowledged_after}.
     * Details: {@code reminder} (1 for the first), {@code unacknowledged_seconds}.
     */
    UNACKNOWLEDGED,
    /** A storm started in the channel; the incident is its anchor. Details: {@code storm_id}. */
    STORM,
    /** The incident started flapping (its one flapping reply). Details: {@code transitions}. */
    FLAPPING
  }

  /**
   * Plans the target's intents for one moment.
   *
   * @param moment what happened
   * @param route the route that placed the incident in the channel, or null when no route
   *     matched (the incident went to {@code SLACK_CHANNEL})
   * @param incidentId the incident the intents belong to
   * @param details the moment's details, as documented per {@link Moment}
   * @return intents built with {@link OutgoingMessage#to}, in order; empty for none
   */
  List<OutgoingMessage> plan(Moment moment, @Nullable Route route, long incidentId,
      Map<String, Object> details);
}
