package dev.alertdesk.incident;

import org.jspecify.annotations.Nullable;

/**
 * What one committed notification did.
 *
 * @param notificationId the stored id of the raw notification
 * @param outcome what happened to the incident
 * @param incidentId the incident it touched, or null for {@link NotificationOutcome#NO_INCIDENT}
 * @param alertCount alerts in the notification
 */
public record IngestResult(
    long notificationId, NotificationOutcome outcome, @Nullable Long incidentId, int alertCount) {}
