package dev.alertdesk.enrich;

import dev.alertdesk.incident.Incident;
import java.util.Optional;

/**
 * Finds an incident by id, as the enrichment needs it: from the incident store in the service,
 * from memory in a dry run. Implementations throw {@link dev.alertdesk.incident.StorageException}
 * when their store fails.
 */
@FunctionalInterface
public interface IncidentLookup {
  /**
   * Returns the incident with its members.
   *
   * @param id the incident id
   * @return the incident, or empty when there is none with this id
   */
  Optional<Incident> incident(long id);
}
