package dev.alertdesk.enrich;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import dev.alertdesk.graph.TickFormat;
import java.util.function.DoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Formats values for people: three significant digits, SI prefixes ({@code 1.23k}, {@code 4.5m}),
 * bytes in binary units ({@code 1.5 GiB}), seconds in {@code s}/{@code ms}/{@code µs}, and
 * percentages. The unit comes from the alert's {@code unit} annotation, else from the metric
 * name's unit suffix as the Prometheus naming conventions write it
 * (prometheus.io/docs/practices/naming: {@code _seconds}, {@code _bytes}, {@code _ratio},
 * {@code _percent}). Immutable and thread-safe.
 */
public final class ValueFormat implements DoubleFunction<String>, TickFormat {
  /** How a value is shown. */
  public enum Unit {
    /** A plain number with an SI prefix. */
    NONE,
    /** A value already in percent (0–100): {@code 87.5%}. */
    PERCENT,
    /** A ratio (0–1) shown in percent: 0.875 as {@code 87.5%}. */
    RATIO,
    /** Bytes, in binary units: {@code 1.5 GiB}. */
    BYTES,
    /** Seconds: {@code 250 ms}, {@code 1.5 s}. */
    SECONDS
  }

  private static final String[] UP = {"", "k", "M", "G", "T", "P", "E"};
  private static final String[] DOWN = {"", "m", "µ", "n", "p", "f", "a"};
  private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final java.util.Set<String> NOT_METRICS = java.util.Set.of(
      "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and",
      "or", "unless", "inf", "nan");

  private final Unit unit;
  private final String suffix;

  private ValueFormat(Unit unit, String suffix) {
    this.unit = unit;
    this.suffix = suffix;
  }

  /** A plain number format. */
  public static ValueFormat plain() {
    return new ValueFormat(Unit.NONE, "");
  }

  /** A format for one unit. */
  public static ValueFormat of(Unit unit) {
    return new ValueFormat(unit, "");
  }

  /**
   * Picks the format for an alert's query.
   *
   * @param unitAnnotation the {@code unit} annotation ({@code percent}, {@code %},
   *     {@code ratio}, {@code percentunit}, {@code bytes}, {@code B}, {@code seconds}, {@code s};
   *     anything else is appended to the number), or null
   * @param seriesExpr the PromQL drawn, whose first metric name's suffix decides when there is
   *     no annotation
   */
  public static ValueFormat forQuery(@Nullable String unitAnnotation, String seriesExpr) {
    if (unitAnnotation != null && !unitAnnotation.isBlank()) {
      String u = unitAnnotation.strip();
      return switch (u.toLowerCase(Locale.ROOT)) {
        case "percent", "%" -> of(Unit.PERCENT);
        case "ratio", "percentunit" -> of(Unit.RATIO);
        case "bytes", "b" -> of(Unit.BYTES);
        case "seconds", "s" -> of(Unit.SECONDS);
        default -> new ValueFormat(Unit.NONE, " " + u);
      };
    }
    String metric = firstMetric(seriesExpr);
    if (metric == null) {
      return plain();
    }
    String m = metric.toLowerCase(Locale.ROOT).replaceAll("_(total|count|sum|bucket)$", "");
    if (m.endsWith("_ratio")) {
      return of(Unit.RATIO);
    }
    if (m.endsWith("_percent") || m.endsWith("_percentage") || m.endsWith("_pct")) {
      return of(Unit.PERCENT);
    }
    if (m.endsWith("_bytes")) {
      return of(Unit.BYTES);
    }
    if (m.endsWith("_seconds")) {
      return of(Unit.SECONDS);
    }
    return plain();
  }

  /** Returns the unit. */
  public Unit unit() {
    return unit;
  }

  /** Formats one value; NaN as {@code NaN}, infinities as {@code +Inf}/{@code -Inf}. */
  @Override
  public String apply(double value) {
    return apply(value, 3);
  }

  /**
   * Formats one value with {@code significantDigits} significant digits (3 to 12), for y-axis
   * ticks that must stay apart; otherwise as {@link #apply(double)}.
   */
  @Override
  public String apply(double value, int significantDigits) {
    int digits = Math.max(3, Math.min(12, significantDigits));
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    return switch (unit) {
      case PERCENT -> significant(value, digits) + "%";
      case RATIO -> significant(value * 100, digits) + "%";
      case BYTES -> binary(value, digits);
      case SECONDS -> Math.abs(value) >= 1 || value == 0 ? significant(value, digits) + " s"
          : down(value, digits) + "s";
      case NONE -> si(value, digits) + suffix;
    };
  }

  /** A number with an SI prefix and three significant digits: 1234 → 1.23k, 0.0005 → 500µ. */
  static String si(double value) {
    return si(value, 3);
  }

  private static String si(double value, int digits) {
    double abs = Math.abs(value);
    if (abs == 0) {
      return "0";
    }
    if (abs >= 1000) {
      int group = 0;
      double scaled = value;
      while (Math.abs(round3(scaled)) >= 1000 && group < UP.length - 1) {
        scaled /= 1000;
        group++;
      }
      return significant(scaled, digits) + UP[group];
    }
    if (abs < 0.001) {
      int group = 0;
      double scaled = value;
      while (Math.abs(scaled) < 1 && group < DOWN.length - 1) {
        scaled *= 1000;
        group++;
      }
      return significant(scaled, digits) + DOWN[group];
    }
    return significant(value, digits);
  }

  /** A value below 1 with the SI prefix that brings it to 1 or more: 0.25 → "250 m". */
  private static String down(double value, int digits) {
    int group = 0;
    double scaled = value;
    while (Math.abs(scaled) < 1 && group < DOWN.length - 1) {
      scaled *= 1000;
      group++;
    }
    return significant(scaled, digits) + " " + DOWN[group];
  }

  private static String binary(double value, int digits) {
    double scaled = value;
    int group = 0;
    while (Math.abs(round3(scaled)) >= 1024 && group < BINARY.length - 1) {
      scaled /= 1024;
      group++;
    }
    return significant(scaled, digits) + " " + BINARY[group];
  }

  private static double round3(double v) {
    return new BigDecimal(v).round(new MathContext(3)).doubleValue();
  }

  /** Three significant digits, at most four decimals, without trailing zeros. */
  static String significant(double v) {
    return significant(v, 3);
  }

  /** {@code digits} significant digits, at most {@code digits + 1} decimals, no trailing zeros. */
  static String significant(double v, int digits) {
    BigDecimal d = new BigDecimal(v).round(new MathContext(digits));
    if (d.scale() > digits + 1) {
      d = d.setScale(digits + 1, java.math.RoundingMode.HALF_UP);
    }
    d = d.stripTrailingZeros();
    if (d.signum() == 0) {
      return "0";
    }
    return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
  }

  /** The first metric name in an expression: an identifier outside braces, strings and calls. */
  static @Nullable String firstMetric(String expr) {
    String s = AlertQuery.stripComments(expr);
    StringBuilder outside = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        char quote = c;
        i++;
        while (i < s.length() && s.charAt(i) != quote) {
          i += s.charAt(i) == '\\' ? 2 : 1;
        }
        outside.append(' ');
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        outside.append(' ');
      } else if (depth == 0) {
        outside.append(c);
      }
    }
    String text = GROUPING.matcher(outside).replaceAll(" ");
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      String word = m.group();
      boolean call = text.substring(m.end()).stripLeading().startsWith("(");
      boolean number = m.start() > 0 && (Character.isDigit(text.charAt(m.start() - 1))
          || text.charAt(m.start() - 1) == '.');
      if (!call && !number && !NOT_METRICS.contains(word.toLowerCase(Locale.ROOT))) {
        return word;
      }
    }
    return null;
  }
}
