package dev.alertdesk.noise;

/**
 * Whether a person has responded to an incident, which stops its reminders: acknowledged it, or
 * silenced it in Alertmanager until a time still ahead. The service reads the Slack actions'
 * state ({@code JdbiIncidentResponseState}); {@link #NONE} (nobody has) serves dry runs.
 */
@FunctionalInterface
public interface IncidentResponseState {
  /** Nobody has acknowledged or silenced anything. */
  IncidentResponseState NONE = incidentId -> false;

  /**
   * Returns true when the incident is acknowledged or silenced.
   *
   * @throws dev.alertdesk.incident.StorageException when the state cannot be read
   */
  boolean isAcknowledgedOrSilenced(long incidentId);
}
