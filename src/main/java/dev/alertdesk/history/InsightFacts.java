package dev.alertdesk.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the store knows about one period, before any arithmetic: the input of
 * {@link Insights#compute}.
 *
 * @param from the period's start, inclusive
 * @param to the period's end, exclusive
 * @param incidents the incidents that started in the period
 * @param notificationsByAlertname webhook notifications received in the period, per alertname of
 *     the incident they touched
 * @param occurrencesByAlertname firing periods that started in the period, per alertname
 * @param transitionsByAlertname incident state changes in the period (opened, alerts firing or
 *     resolving, resolved, reopened), per alertname
 * @param notificationsByOutcome webhook notifications received in the period, per outcome
 *     ({@code opened}, {@code duplicate}, ...; whatever outcomes the store records)
 * @param suppressionsByReason incident events in the period that record a suppression (kind
 *     containing {@code suppress}, or a roll-up into a storm or correlated thread), per reason
 *     ({@code details.reason}, else the kind)
 */
public record InsightFacts(
    Instant from,
    Instant to,
    List<IncidentFact> incidents,
    Map<String, Long> notificationsByAlertname,
    Map<String, Long> occurrencesByAlertname,
    Map<String, Long> transitionsByAlertname,
    Map<String, Long> notificationsByOutcome,
    Map<String, Long> suppressionsByReason) {

  /** Copies the collections. */
  public InsightFacts {
    incidents = List.copyOf(incidents);
    notificationsByAlertname = Map.copyOf(notificationsByAlertname);
    occurrencesByAlertname = Map.copyOf(occurrencesByAlertname);
    transitionsByAlertname = Map.copyOf(transitionsByAlertname);
    notificationsByOutcome = Map.copyOf(notificationsByOutcome);
    suppressionsByReason = Map.copyOf(suppressionsByReason);
  }

  /**
   * One incident's times.
   *
   * @param id the incident id
   * @param alertname its alertname
   * @param severity its {@code severity} label, or null
   * @param receiver its Alertmanager receiver (the route it came through)
   * @param startedAt the earliest {@code startsAt} of its alerts
   * @param acknowledgedAt its first {@code acknowledged} event, or null
   * @param resolvedAt the latest member {@code endsAt} at resolution (else when Alertdesk saw it
   *     resolve), or null while it fires
   */
  public record IncidentFact(
      long id,
      String alertname,
      @Nullable String severity,
      String receiver,
      Instant startedAt,
      @Nullable Instant acknowledgedAt,
      @Nullable Instant resolvedAt) {}
}
