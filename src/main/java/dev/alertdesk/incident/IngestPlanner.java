package dev.alertdesk.incident;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The pure part of ingesting one notification, called by {@code ingest.IngestPipeline} inside
 * its transaction (the decide and render steps). Both methods must be free of I/O: they may run again when a
 * transaction is retried.
 */
public interface IngestPlanner {
  /**
   * Decides what the notification changes.
   *
   * @param latest the group's latest stored incident, or null when it has none
   * @return the decision
   */
  Decision decide(@Nullable Incident latest);

  /**
   * Turns the decision's Slack intents into outbox intents, once the incident has its stored id.
   *
   * @param incident the incident after the change, with its id set
   * @param decision the decision returned by {@link #decide}
   * @return the outbox rows to write, in order; empty when nothing is to be sent
   */
  List<OutgoingMessage> render(Incident incident, Decision decision);

  /**
   * Turns the decision's Slack intents into outbox intents knowing how people responded to the
   * incident: replies about snoozed fingerprints are left out (the parent shows the response
   * current when it is sent). By default ignores the response.
   *
   * @param incident the incident after the change, with its id set
   * @param decision the decision returned by {@link #decide}
   * @param response the incident's stored response (acknowledgement, silence, snoozes)
   * @return the outbox rows to write, in order; empty when nothing is to be sent
   */
  default List<OutgoingMessage> render(Incident incident, Decision decision,
      IncidentResponse response) {
    return render(incident, decision);
  }
}
