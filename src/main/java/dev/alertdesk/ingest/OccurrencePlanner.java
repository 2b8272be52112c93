package dev.alertdesk.ingest;

import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.OutgoingMessage;
import java.util.List;

/**
 * Plans the intents of a delivery target straight from the incident engine's decision, from its
 * occurrence model ({@link Decision#occurrencesStarted()}, {@link Decision#occurrencesEnded()}),
 * not at the moments noise control lets through (that is {@link
 * dev.alertdesk.noise.TargetPlanner}): Sentry's one event per alert occurrence. Called in the
 * ingest transaction's render step; the intents are written to the outbox in the same
 * transaction. Must be pure.
 */
public interface OccurrencePlanner {
  /**
   * Plans the intents of one decision.
   *
   * @param incident the incident as stored, with its id
   * @param decision the decision that produced it
   * @return intents for delivery targets other than Slack, in order; empty for none
   */
  List<OutgoingMessage> plan(Incident incident, Decision decision);
}
