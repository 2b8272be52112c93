package dev.alertdesk.enrich;

import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.incident.NotificationOutcome;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One incident's enrichment for one chart kind and episode, as stored in {@code enrichment_job}:
 * the current value line and the chart of its query, rendered once whether Slack delivery is on
 * or off.
 *
 * @param id the row id
 * @param incidentId the incident
 * @param kind {@link ChartKind#FIRING} after an open or reopen, {@link ChartKind#RESOLVED} after a
 *     resolve
 * @param episode the incident's {@code reopenCount} when the job was written (0 for the first
 *     firing period)
 * @param status where it stands
 * @param attempts renders tried so far that failed for want of metrics
 * @param nextAttemptAt when it is due (again)
 * @param chartId the stored chart ({@code /api/charts/{id}.png}) once {@link Status#DONE}; else
 *     null
 * @param caption what the chart shows, for its upload comment (the SLO title of an SLO chart);
 *     null until {@link Status#DONE}
 * @param valueLine "Current value: 42 (threshold 10)" (Slack mrkdwn, escaped), or null when none
 *     was computed
 * @param degradedReason for {@link Status#DEGRADED} (and a pending retry), why there is no chart:
 *     {@code no_query}, {@code no_data}, {@code metrics_unavailable}, {@code render_failed}; else
 *     null
 * @param note for {@link Status#DEGRADED} (and a pending retry), the same in words; else null
 * @param finishedAt when it reached {@link Status#DONE} or {@link Status#DEGRADED}; else null
 */
public record EnrichmentJob(
    long id,
    long incidentId,
    ChartKind kind,
    int episode,
    Status status,
    int attempts,
    Instant nextAttemptAt,
    @Nullable String chartId,
    @Nullable String caption,
    @Nullable String valueLine,
    @Nullable String degradedReason,
    @Nullable String note,
    @Nullable Instant finishedAt) {

  /**
   * Returns the chart an outcome calls for: firing after an open or reopen, resolved after a
   * resolve; null for any other outcome.
   */
  public static @Nullable ChartKind kindAfter(NotificationOutcome outcome) {
    return switch (outcome) {
      case OPENED, REOPENED -> ChartKind.FIRING;
      case RESOLVED -> ChartKind.RESOLVED;
      default -> null;
    };
  }

  /** Where an enrichment job stands. Stored by {@link #wire()}, so names never change. */
  public enum Status {
    /** Waiting to run, or to run again after Prometheus failed. */
    PENDING,
    /** The chart (and value line) are stored. */
    DONE,
    /** Finished without a chart: no query, no data, metrics unavailable after every retry. */
    DEGRADED;

    /** Returns the lower-case form stored in the database. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@link #wire()}.
     *
     * @throws IllegalArgumentException for an unknown value
     */
    public static Status fromWire(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }
}
