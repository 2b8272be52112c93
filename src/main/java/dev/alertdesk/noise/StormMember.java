package dev.alertdesk.noise;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.incident.IncidentStatus;

/**
 * One incident listed in a storm message, in its current state.
 *
 * @param incidentId the incident
 * @param alertname its alertname
 * @param groupLabels its group labels
 * @param status firing or resolved
 * @param firingCount members firing
 */
public record StormMember(
    long incidentId, String alertname, Labels groupLabels, IncidentStatus status,
    int firingCount) {}
