package dev.alertdesk.incident;

import dev.alertdesk.alert.Labels;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One row of the incident list: an incident without its members.
 *
 * @param id the id shown as {@code #id}
 * @param receiver the Alertmanager receiver
 * @param groupKey the Alertmanager group key
 * @param status firing or resolved
 * @param alertname the group's alertname
 * @param severity the common {@code severity} label, or null
 * @param groupLabels the group labels
 * @param firingCount members firing
 * @param resolvedCount members resolved
 * @param truncatedAlerts alerts Alertmanager left out of the latest notification
 * @param startedAt earliest {@code startsAt}
 * @param openedAt when Alertdesk opened it
 * @param resolvedAt when it resolved, or null
 * @param endedAt the latest member {@code endsAt} at resolution, or null
 * @param reopenCount how often it reopened
 */
public record IncidentSummary(
    long id,
    String receiver,
    String groupKey,
    IncidentStatus status,
    String alertname,
    @Nullable String severity,
    Labels groupLabels,
    int firingCount,
    int resolvedCount,
    int truncatedAlerts,
    Instant startedAt,
    Instant openedAt,
    @Nullable Instant resolvedAt,
    @Nullable Instant endedAt,
    int reopenCount) {

  /**
   * Returns the list form of a stored incident.
   *
   * @throws IllegalArgumentException when the incident has no id yet
   */
  public static IncidentSummary of(Incident i) {
    if (i.id() == null) {
      throw new IllegalArgumentException("the incident is not stored yet");
    }
    return new IncidentSummary(i.id(), i.receiver(), i.groupKey(), i.status(), i.alertname(),
        i.severity(), i.groupLabels(), i.firingCount(), i.resolvedCount(), i.truncatedAlerts(),
        i.startedAt(), i.openedAt(), i.resolvedAt(), i.endedAt(), i.reopenCount());
  }
}
