package dev.alertdesk.graph;

import java.util.Arrays;
import java.util.Map;

/**
 * One series of a graph: its labels and its samples in time order.
 *
 * @param labels the series labels, including {@code __name__} when Prometheus returned one
 * @param timesMillis sample times in epoch milliseconds, ascending
 * @param values sample values, same length as {@code timesMillis}; may hold NaN and ±Inf, which
 *     are not drawn
 */
public record TimeSeries(Map<String, String> labels, long[] timesMillis, double[] values) {
  /**
   * Copies the arrays.
   *
   * @throws IllegalArgumentException when the arrays differ in length
   */
  public TimeSeries {
    labels = Map.copyOf(labels);
    if (timesMillis.length != values.length) {
      throw new IllegalArgumentException("times and values differ in length: "
          + timesMillis.length + " vs " + values.length);
    }
    timesMillis = timesMillis.clone();
    values = values.clone();
  }

  /** Returns the number of samples. */
  public int size() {
    return values.length;
  }

  /** Returns a copy of the sample times (epoch milliseconds). */
  @Override
  public long[] timesMillis() {
    return timesMillis.clone();
  }

  /** Returns a copy of the sample values. */
  @Override
  public double[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimeSeries t && labels.equals(t.labels)
        && Arrays.equals(timesMillis, t.timesMillis) && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return 31 * labels.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "TimeSeries[labels=" + labels + ", samples=" + values.length + "]";
  }
}
