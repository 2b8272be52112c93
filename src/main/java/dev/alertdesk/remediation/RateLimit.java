package dev.alertdesk.remediation;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A limit of {@code count} executions per {@code period}, kept as a token bucket of capacity
 * {@code count} refilled evenly over {@code period} ({@link TokenBucket}).
 *
 * @param count executions, at least 1
 * @param period the refill period, positive
 */
public record RateLimit(int count, Duration period) {
  private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,6})\\s*/\\s*(\\S+)\\s*");

  /** Checks the bounds. */
  public RateLimit {
    if (count < 1 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a limit needs at least 1 per positive period");
    }
  }

  /**
   * Parses {@code N/period}, such as {@code 3/1h}.
   *
   * @param text the limit
   * @param parsePeriod parses the period (the config's duration syntax)
   * @throws IllegalArgumentException naming what is wrong
   */
  public static RateLimit parse(String text, java.util.function.Function<String, Duration> parsePeriod) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("must be COUNT/PERIOD such as 3/1h, got \"" + text + "\"");
    }
    return new RateLimit(Integer.parseInt(m.group(1)), parsePeriod.apply(m.group(2)));
  }

  @Override
  public String toString() {
    long s = period.toSeconds();
    String p = s % 86400 == 0 ? s / 86400 + "d" : s % 3600 == 0 ? s / 3600 + "h"
        : s % 60 == 0 ? s / 60 + "m" : s + "s";
    return count + "/" + p;
  }
}
