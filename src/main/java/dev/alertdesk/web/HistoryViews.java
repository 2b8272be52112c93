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

  /** Alerts listed per page of an incident when {@code alerts_limit} is not given. */
  static final int DEFAULT_ALERTS_PER_PAGE = 100;

  /**
   * Loads the incident named by the {@code id} path parameter with its first member alert only
   * (for pages that show the incident's head: its members' counts are not meaningful here), or
   * throws {@link NotFound}.
   */
  IncidentDetail incident(io.javalin.http.Context ctx) {
    long id = HistoryParams.incidentId(ctx);
    return incidents.findPage(id, 1, 0).orElseThrow(() -> new NotFound("no incident #" + id))
        .detail();
  }

  /**
   * Loads one page of the incident named by the {@code id} path parameter: the alerts from
   * {@code alerts_offset} (default 0), at most {@code alerts_limit} (1–1000, default
   * {@value #DEFAULT_ALERTS_PER_PAGE}), firing first. Bounded whatever the incident's size.
   *
   * @throws BadRequest for a bad id, offset or limit
   * @throws NotFound when there is no such incident
   */
  IncidentRepository.IncidentPageView page(io.javalin.http.Context ctx) {
    long id = HistoryParams.incidentId(ctx);
    int limit = HistoryParams.intParam(ctx, "alerts_limit", DEFAULT_ALERTS_PER_PAGE, 1, 1000);
    int offset = HistoryParams.intParam(ctx, "alerts_offset", 0, 0, Integer.MAX_VALUE);
    return incidents.findPage(id, limit, offset)
        .orElseThrow(() -> new NotFound("no incident #" + id));
  }
}
