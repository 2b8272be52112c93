package dev.alertdesk.history;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.incident.IncidentStatus;
import java.time.Instant;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A search over incidents. Every filter is optional; set filters combine with AND.
 *
 * @param alertname only incidents of this alertname (exact), or null for all
 * @param status only this status, or null for all
 * @param from only incidents still open at or after this instant (firing, or resolved at or
 *     after it), or null for no lower bound
 * @param to only incidents that started before this instant, or null for no upper bound
 * @param labelFilter only incidents with at least one member alert whose labels it accepts (the
 *     web layer builds it from Alertmanager matchers), or null for all
 * @param limit page size, 1 to {@value #MAX_LIMIT}
 * @param offset how many matching incidents to skip, 0 or more
 */
public record IncidentQuery(
    @Nullable String alertname,
    @Nullable IncidentStatus status,
    @Nullable Instant from,
    @Nullable Instant to,
    @Nullable Predicate<Labels> labelFilter,
    int limit,
    int offset) {

  /** The largest page. */
  public static final int MAX_LIMIT = 500;

  /**
   * Checks the page bounds.
   *
   * @throws IllegalArgumentException when limit is outside 1–500, offset is negative, or
   *     {@code from} is not before {@code to}
   */
  public IncidentQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be 0 or more");
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to");
    }
  }

  /** Returns a query for every incident, newest first, one page of {@code limit}. */
  public static IncidentQuery all(int limit) {
    return new IncidentQuery(null, null, null, null, null, limit, 0);
  }

  /** Returns the same filters for another page. */
  public IncidentQuery page(int newLimit, int newOffset) {
    return new IncidentQuery(alertname, status, from, to, labelFilter, newLimit, newOffset);
  }
}
