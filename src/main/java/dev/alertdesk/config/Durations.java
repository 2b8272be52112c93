package dev.alertdesk.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations in Prometheus/Alertmanager notation: a sequence of a number and a unit,
 * {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}, {@code w} or {@code y} (365 days), as
 * in {@code 1h30m} or {@code 90s}; {@code 0} alone means zero
 * (prometheus/common {@code model.ParseDuration}).
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

  private Durations() {}

  /**
   * Parses one duration.
   *
   * @param text e.g. {@code "1h"}, {@code "30m"}, {@code "1h30m"}, {@code "0"}
   * @param key the setting's name, used in the error message
   * @return the duration, zero or positive
   * @throws ConfigException when the text is not a valid duration
   */
  public static Duration parse(String text, String key) {
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int pos = 0;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new ConfigException(key + ": \"" + text
            + "\" is not a duration (use e.g. 30s, 5m, 1h, 1h30m)");
      }
      try {
        long n = Long.parseLong(m.group(1));
        total = total.plus(switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          case "w" -> Duration.ofDays(Math.multiplyExact(7, n));
          default -> Duration.ofDays(Math.multiplyExact(365, n));
        });
      } catch (NumberFormatException | ArithmeticException e) {
        throw new ConfigException(key + ": \"" + text + "\" is too long a duration");
      }
      pos = m.end();
    }
    if (s.isEmpty()) {
      throw new ConfigException(key + ": empty duration");
    }
    return total;
  }

  /** Formats a duration compactly for people: {@code 45s}, {@code 12m}, {@code 2h 5m}, {@code 3d 4h}. */
  public static String humanize(Duration d) {
    long seconds = Math.max(0, d.toSeconds());
    if (seconds < 60) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 24) {
      long rest = minutes % 60;
      return rest == 0 ? hours + "h" : hours + "h " + rest + "m";
    }
    long days = hours / 24;
    long rest = hours % 24;
    return rest == 0 ? days + "d" : days + "d " + rest + "h";
  }
}
