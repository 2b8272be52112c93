package dev.alertdesk.graph;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.function.DoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * What to draw.
 *
 * @param title the chart title, e.g. the alertname and the query
 * @param series the series to draw; only the first {@link ChartRenderer#MAX_SERIES} are drawn
 *     and the legend says "+N more" for the rest
 * @param thresholdSeries series of a non-scalar threshold (the right side of a comparison),
 *     drawn dashed; may be empty
 * @param threshold a scalar threshold drawn as a dashed horizontal line, or null
 * @param startsAt drawn as a vertical marker when inside the time range, or null
 * @param endsAt drawn as a vertical marker when inside the time range, or null
 * @param from the start of the time axis
 * @param to the end of the time axis, after {@code from}
 * @param zone the time zone of the time axis labels
 * @param valueFormat formats y-axis tick labels like the value shown in the message; a
 *     {@link TickFormat} also gets the digits that keep neighbouring ticks apart
 * @param highlight the index of the alert's own series, drawn bold while the others are thin
 *     and grey when there are more than {@value ChartRenderer#HIGHLIGHT_ABOVE}; -1 for none
 */
public record ChartSpec(
    String title,
    List<TimeSeries> series,
    List<TimeSeries> thresholdSeries,
    @Nullable Double threshold,
    @Nullable Instant startsAt,
    @Nullable Instant endsAt,
    Instant from,
    Instant to,
    ZoneId zone,
    DoubleFunction<String> valueFormat,
    int highlight) {

  /** A spec without a highlighted series. */
  public ChartSpec(String title, List<TimeSeries> series, List<TimeSeries> thresholdSeries,
      @Nullable Double threshold, @Nullable Instant startsAt, @Nullable Instant endsAt,
      Instant from, Instant to, ZoneId zone, DoubleFunction<String> valueFormat) {
    this(title, series, thresholdSeries, threshold, startsAt, endsAt, from, to, zone, valueFormat,
        -1);
  }

  /**
   * Copies the lists.
   *
   * @throws IllegalArgumentException when {@code to} is not after {@code from}
   */
  public ChartSpec {
    series = List.copyOf(series);
    thresholdSeries = List.copyOf(thresholdSeries);
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("the time range must end after it starts: " + from
          + " .. " + to);
    }
  }
}
