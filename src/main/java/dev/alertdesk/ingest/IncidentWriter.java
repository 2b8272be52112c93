package dev.alertdesk.ingest;

import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.incident.ReceivedNotification;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Persists what the incident engine decided, inside an ingest transaction. Decides nothing.
 *
 * <p>All methods throw {@link dev.alertdesk.incident.StorageException} when the database fails.
 */
public interface IncidentWriter {
  /**
   * Serialises notifications of one Alertmanager group until the transaction ends (a row lock on
   * PostgreSQL; SQLite write transactions already run alone), then loads the group's latest
   * incident with its members.
   *
   * @param receiver the notification's receiver
   * @param groupKey the notification's group key
   * @param now when the notification arrived, recorded as the group's last notification
   * @return the latest incident of the group, or null when it has none
   */
  @Nullable Incident lockGroup(String receiver, String groupKey, Instant now);

  /**
   * Writes a decision that touched an incident: inserts or updates the incident, upserts the
   * members that changed (every member when it is new), records occurrences and per-fingerprint
   * counts, and appends the decision's events.
   *
   * @param decision a decision whose {@code incident()} is not null
   * @param now when the notification arrived; the end of occurrences that carry no {@code endsAt}
   * @return the incident as stored, with its id
   * @throws IllegalStateException when a decision about an existing incident carries no id
   */
  Incident write(Decision decision, Instant now);

  /**
   * Returns how people responded to an incident (acknowledgement, silence, active snoozes) as of
   * {@code now}, as its messages are rendered with.
   */
  IncidentResponse response(long incidentId, Instant now);

  /**
   * Stores the raw notification with what it did.
   *
   * @param received the notification as received; headers already without credentials
   * @param outcome the engine's outcome
   * @param incidentId the incident it touched, or null
   * @return the notification's id
   */
  long recordNotification(ReceivedNotification received, NotificationOutcome outcome,
      @Nullable Long incidentId);
}
