package dev.alertdesk.noise;

/**
 * Whether a person has responded to an incident, which stops its reminders. Acknowledge and
 * silence are recorded by the actions feature; until it provides an implementation,
 * {@link #NONE} says nobody has, so reminders stop only when the incident resolves.
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
