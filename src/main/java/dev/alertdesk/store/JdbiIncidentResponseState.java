package dev.alertdesk.store;

import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.noise.IncidentResponseState;
import java.time.Clock;
import java.time.Instant;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link IncidentResponseState} on the {@code incident_response} table the Slack actions write:
 * an incident is responded to once it is acknowledged or covered by an unexpired silence.
 * Thread-safe.
 */
public final class JdbiIncidentResponseState implements IncidentResponseState {
  private final Database database;
  private final Clock clock;

  /**
   * @param database the incident database
   * @param clock decides whether a silence has expired
   */
  public JdbiIncidentResponseState(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public boolean isAcknowledgedOrSilenced(long incidentId) {
    Instant now = clock.instant();
    try {
      IncidentResponse r = database.jdbi().withHandle(
          h -> JdbiIncidentResponses.load(h, incidentId, now));
      return r.acknowledged() || r.silencedAt(now);
    } catch (JdbiException e) {
      throw new StorageException("could not read the response of incident " + incidentId, e);
    }
  }
}
