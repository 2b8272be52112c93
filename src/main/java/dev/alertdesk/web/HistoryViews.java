package dev.alertdesk.web;

import dev.alertdesk.history.HistoryRepository;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.incident.IncidentRepository.IncidentDetail;
import dev.alertdesk.incident.IncidentSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What the history API and the web UI read from, shared by {@link IncidentApi} and {@link WebUi}.
 *
 * @param incidents incident details
 * @param history searches, fingerprints, insights and rendered messages
 * @param params the shared query parameters
 * @param extras graphs and audit entries of an incident
 * @param clock the current time
 */
record HistoryViews(IncidentRepository incidents, HistoryRepository history, HistoryParams params,
    IncidentExtras extras, Clock clock) {

  /**
   * Returns an incident's duration: from its first alert's start to its last alert's end, or to
   * now while it fires. Never negative.
   */
  Duration duration(IncidentSummary s) {
    Instant end = s.endedAt() != null ? s.endedAt()
        : s.resolvedAt() != null ? s.resolvedAt() : clock.instant();
    Duration d = Duration.between(s.startedAt(), end);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** Loads the incident named by the {@code id} path parameter, or throws {@link NotFound}. */
  IncidentDetail incident(io.javalin.http.Context ctx) {
    long id = HistoryParams.incidentId(ctx);
    return incidents.find(id).orElseThrow(() -> new NotFound("no incident #" + id));
  }
}
