package dev.alertdesk.history;

import dev.alertdesk.incident.IncidentSummary;

/**
 * One row of the incident search.
 *
 * @param incident the incident without its members
 * @param seenCount the most firing periods ever seen for one of its member fingerprints ("seen N
 *     times"); 0 when its members are unknown
 */
public record IncidentRow(IncidentSummary incident, int seenCount) {}
