package dev.alertdesk.graph;

import java.util.function.DoubleFunction;

/**
 * A value format that can show more significant digits, so that the tick labels of a narrow
 * y-axis stay distinct (0.16655, 0.1666, 0.16665 rather than "0.167" three times).
 */
public interface TickFormat extends DoubleFunction<String> {
  /**
   * Formats a value with at least {@code significantDigits} significant digits, in the same
   * unit and style as {@link #apply(double)}.
   *
   * @param value the value
   * @param significantDigits 3 (the default precision) to 12
   * @return the text
   */
  String apply(double value, int significantDigits);
}
