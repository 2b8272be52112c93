package dev.alertdesk.action;

import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentResponse;
import java.util.Map;

/**
 * The state an action decides on, read inside its transaction.
 *
 * @param incident the incident with its members
 * @param response how people responded so far
 * @param channel the channel its parent message was queued to (name or ID)
 * @param occurrenceCounts per member fingerprint, how many firing periods were ever seen
 * @param acknowledgedBefore true when the incident was acknowledged before (and since
 *     unacknowledged): only its first acknowledgement is an MTTA sample
 */
public record ActionContext(Incident incident, IncidentResponse response, String channel,
    Map<String, Integer> occurrenceCounts, boolean acknowledgedBefore) {
  /** Copies the counts. */
  public ActionContext {
    occurrenceCounts = Map.copyOf(occurrenceCounts);
  }
}
