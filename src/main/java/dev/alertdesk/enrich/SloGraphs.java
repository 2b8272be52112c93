package dev.alertdesk.enrich;

import dev.alertdesk.graph.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The PromQL, figures and wording of SLO alerts ({@link SloAlert}), as the autometrics slack-app
 * draws them and Sloth's and Pyrra's recording rules allow:
 *
 * <ul>
 *   <li>success rate in %, per function and module, from the Autometrics spec's
 *       {@code function_calls_total} (or {@code function_calls_count}) with {@code result="ok"}
 *       over all calls, with {@code build_info}'s {@code version} and {@code commit} attached;
 *       the objective as the threshold line;</li>
 *   <li>latency: the objective percentile of {@code function_calls_duration_seconds_bucket} in
 *       seconds, with {@code objective_latency_threshold} as the threshold line;</li>
 *   <li>otherwise (or when those metrics are absent) the SLI error ratio of the recording rules
 *       ({@code slo:sli_error:ratio_rate5m}, Pyrra's {@code :burnrate5m}) in %, with the error
 *       budget as the threshold line;</li>
 *   <li>the error budget left over the SLO period ({@code slo:period_error_budget_remaining:ratio}
 *       and {@code slo:time_period:days}, else {@code 1 - ratio_rate30d / budget}) and the burn
 *       rate of the first multi-window condition that holds now.</li>
 * </ul>
 *
 * Queries throw {@link PrometheusException} as {@link PrometheusClient} does.
 */
final class SloGraphs {
  /** What to draw. */
  record Plot(String title, String expr, List<TimeSeries> series, @Nullable Double threshold,
      ValueFormat format) {}

  private static final String CALLS = "{__name__=~\"function_calls(_count)?(_total)?\"";
  private static final String DURATION_BUCKETS =
      "{__name__=~\"function_calls_duration(_seconds)?_bucket\"";
  private static final String BY = "function, module, version, commit";
  /**
   * Attaches {@code version} and {@code commit} of the target's {@code build_info} (one per
   * target, the latest), keeping targets without it; the factor is always 1.
   */
  private static final String BUILD_INFO = " * on (instance, job) group_left (version, commit) "
      + "(topk by (instance, job) (1, last_over_time(build_info[1h])) * 0 + 1 "
      + "or on (instance, job) (up * 0 + 1))";

  private SloGraphs() {}

  /** The rate window for a graph step: at least 5 minutes and four steps. */
  static String rateWindow(long stepSeconds) {
    return Math.max(300, 4 * stepSeconds) + "s";
  }

  /** Success rate per function and module (a ratio), Autometrics' metrics. */
  static String successRate(SloAlert slo, String window) {
    String objective = objectiveMatchers(slo);
    return "sum by (" + BY + ") (rate(" + CALLS + ", result=\"ok\", " + objective + "}[" + window
        + "])" + BUILD_INFO + ")\n/ on (" + BY + ")\n(sum by (" + BY + ") (rate(" + CALLS + ", "
        + objective + "}[" + window + "])" + BUILD_INFO + ") > 0)";
  }

  /** The objective percentile of call latency per function and module, in seconds. */
  static String latency(SloAlert slo, String window) {
    return "histogram_quantile(" + slo.quantile() + ", sum by (le, " + BY
        + ", objective_latency_threshold) (rate(" + DURATION_BUCKETS + ", "
        + objectiveMatchers(slo) + "}[" + window + "])" + BUILD_INFO + "))";
  }

  /** The SLI error ratio of the recording rules over {@code window}. */
  static String errorRatio(SloAlert slo, String window) {
    return slo.sliMetricPrefix() + window + "{" + slo.sliMatchers() + "}";
  }

  private static String objectiveMatchers(SloAlert slo) {
    return "objective_name=" + SloAlert.quote(slo.objectiveName() == null ? ""
        : slo.objectiveName()) + ", objective_percentile=" + SloAlert.quote(slo.percentileLabel());
  }

  /**
   * Queries what to draw from {@code from} to {@code to}.
   *
   * @return the plot; its series are empty when there is no data at all
   */
  static Plot plot(SloAlert slo, PrometheusClient source, Instant from, Instant to) {
    String window = rateWindow(PrometheusClient.step(from, to));
    if (slo.objectiveName() != null && slo.kind() == SloAlert.Kind.SUCCESS_RATE) {
      String expr = successRate(slo, window);
      List<TimeSeries> series = source.queryRange(expr, from, to);
      if (!series.isEmpty()) {
        return new Plot(title(slo, null), expr, series, slo.objective(),
            ValueFormat.of(ValueFormat.Unit.RATIO));
      }
    }
    if (slo.objectiveName() != null && slo.kind() == SloAlert.Kind.LATENCY) {
      String expr = latency(slo, window);
      List<TimeSeries> series = source.queryRange(expr, from, to);
      if (!series.isEmpty()) {
        Double threshold = latencyThreshold(series);
        List<TimeSeries> shown = new ArrayList<>();
        for (TimeSeries s : series) {
          // The threshold is the line, not a legend entry.
          java.util.Map<String, String> labels = new java.util.LinkedHashMap<>(s.labels());
          labels.remove("objective_latency_threshold");
          shown.add(new TimeSeries(labels, s.timesMillis(), s.values()));
        }
        return new Plot(title(slo, threshold), expr, shown, threshold,
            ValueFormat.of(ValueFormat.Unit.SECONDS));
      }
    }
    String expr = errorRatio(slo, slo.sliWindow());
    return new Plot(errorRatioTitle(slo), expr, source.queryRange(expr, from, to), slo.budget(),
        ValueFormat.of(ValueFormat.Unit.RATIO));
  }

  /** {@code objective_latency_threshold} of the first series carrying a valid one, in seconds. */
  static @Nullable Double latencyThreshold(List<TimeSeries> series) {
    for (TimeSeries s : series) {
      String t = s.labels().get("objective_latency_threshold");
      if (t != null) {
        try {
          double v = Double.parseDouble(t);
          if (Double.isFinite(v) && v > 0) {
            return v;
          }
        } catch (NumberFormatException e) {
          // not a number: look further
        }
      }
    }
    return null;
  }

  /**
   * A readable title: {@code animals · api · success rate (objective 99 %)}, or for latency
   * {@code animals · api · latency p99 (objective 99 % within 250 ms)}.
   */
  static String title(SloAlert slo, @Nullable Double latencyThreshold) {
    StringBuilder t = new StringBuilder();
    for (String part : new String[] {slo.service(), slo.objectiveName()}) {
      if (part != null && !part.isBlank()) {
        t.append(part.strip()).append(" · ");
      }
    }
    if (slo.kind() == SloAlert.Kind.LATENCY) {
      t.append("latency p").append(slo.percentileLabel().replace('_', '.'))
          .append(" (objective ").append(slo.objectiveText())
          .append(latencyThreshold == null ? "" : " within "
              + ValueFormat.of(ValueFormat.Unit.SECONDS).apply(latencyThreshold))
          .append(")");
    } else {
      t.append(slo.kindText()).append(" (objective ").append(slo.objectiveText())
          .append(")");
    }
    return t.toString();
  }

  private static String errorRatioTitle(SloAlert slo) {
    StringBuilder t = new StringBuilder();
    for (String part : new String[] {slo.service(),
        slo.objectiveName() != null ? slo.objectiveName() : slo.selector().values().iterator()
            .next()}) {
      if (part != null && !part.isBlank()) {
        t.append(part.strip()).append(" · ");
      }
    }
    return t + "SLI error ratio over " + slo.sliWindow() + " (objective "
        + slo.objectiveText() + ", budget " + percent(slo.budget()) + ")";
  }

  /**
   * The parent's line: the SLI now, the error budget left and the burn rate that fired, e.g.
   * {@code Success rate now: 98 % (lowest: animals.list) · objective 99 % · error budget left:
   * -100 % of 30 d · burning 1× the budget (6h: 2×, 3d: 2×)}. Text from labels is escaped for
   * Slack mrkdwn.
   */
  static String summary(SloAlert slo, PrometheusClient source) {
    StringBuilder line = new StringBuilder();
    String now = null;
    if (slo.objectiveName() != null && slo.kind() == SloAlert.Kind.SUCCESS_RATE) {
      List<TimeSeries> rates = source.query(successRate(slo, "5m"));
      TimeSeries lowest = extreme(rates, Comparator.naturalOrder());
      if (lowest != null) {
        now = "Success rate now: " + percent(last(lowest)) + " (lowest: "
            + escape(functionName(lowest)) + ") · objective " + slo.objectiveText();
      }
    } else if (slo.objectiveName() != null && slo.kind() == SloAlert.Kind.LATENCY) {
      List<TimeSeries> latencies = source.query(latency(slo, "5m"));
      TimeSeries highest = extreme(latencies, Comparator.reverseOrder());
      if (highest != null) {
        Double threshold = latencyThreshold(latencies);
        now = "p" + slo.percentileLabel().replace('_', '.') + " latency now: "
            + ValueFormat.of(ValueFormat.Unit.SECONDS).apply(last(highest)) + " (highest: "
            + escape(functionName(highest)) + ") · objective " + slo.objectiveText()
            + (threshold == null ? ""
                : " within " + ValueFormat.of(ValueFormat.Unit.SECONDS).apply(threshold));
      }
    }
    if (now == null) {
      List<TimeSeries> ratio = source.query(errorRatio(slo, slo.sliWindow()));
      TimeSeries worst = extreme(ratio, Comparator.reverseOrder());
      now = "SLI error ratio (" + slo.sliWindow() + ") now: "
          + (worst == null ? "no data" : percent(last(worst))) + " · budget "
          + percent(slo.budget()) + " (objective " + slo.objectiveText() + ")";
    }
    line.append(now);
    String budget = budgetLeft(slo, source);
    if (budget != null) {
      line.append(" · ").append(budget);
    }
    String burn = burning(slo, source);
    if (burn != null) {
      line.append(" · ").append(burn);
    }
    return line.toString();
  }

  /** {@code error budget left: 42 % of 30 d}, or null without the recording rules. */
  static @Nullable String budgetLeft(SloAlert slo, PrometheusClient source) {
    if (slo.generator() != SloAlert.Generator.SLOTH) {
      return null;
    }
    List<TimeSeries> remaining = source.query("slo:period_error_budget_remaining:ratio{"
        + slo.sliMatchers() + "}");
    TimeSeries r = extreme(remaining, Comparator.naturalOrder());
    Double left = r == null ? null : last(r);
    if (left == null || !Double.isFinite(left)) {
      List<TimeSeries> period = source.query(errorRatio(slo, "30d"));
      TimeSeries p = extreme(period, Comparator.reverseOrder());
      if (p == null || !Double.isFinite(last(p))) {
        return null;
      }
      left = 1 - last(p) / slo.budget();
    }
    List<TimeSeries> days = source.query("slo:time_period:days{" + slo.matchers() + "}");
    double d = days.isEmpty() || !Double.isFinite(last(days.get(0))) ? 30 : last(days.get(0));
    return "error budget left: " + percent(left) + " of " + ValueFormat.significant(d) + " d";
  }

  /**
   * {@code burning 14.4× the budget (5m: 20×, 1h: 15×)}: the first condition of the rule whose
   * windows all burn at least its factor now; null when none does or none is known.
   */
  static @Nullable String burning(SloAlert slo, PrometheusClient source) {
    if (slo.conditions().isEmpty()) {
      return null;
    }
    List<String> windows = new ArrayList<>();
    for (SloAlert.BurnCondition c : slo.conditions()) {
      for (String w : new String[] {c.shortWindow(), c.longWindow()}) {
        if (w.matches("[0-9]+[smhdwy]") && !windows.contains(w)) {
          windows.add(w);
        }
      }
    }
    if (windows.isEmpty()) {
      return null;
    }
    // The prefix is a metric name ([a-zA-Z0-9_:]), so it needs no regex escaping.
    List<TimeSeries> ratios = source.query("{__name__=~\"" + slo.sliMetricPrefix() + "("
        + String.join("|", windows) + ")\", " + slo.sliMatchers() + "}");
    Map<String, Double> burn = new java.util.HashMap<>();
    for (TimeSeries s : ratios) {
      String name = s.labels().getOrDefault("__name__", "");
      if (name.startsWith(slo.sliMetricPrefix())) {
        String w = name.substring(slo.sliMetricPrefix().length());
        burn.merge(w, last(s) / slo.budget(), Math::max);
      }
    }
    for (SloAlert.BurnCondition c : slo.conditions()) {
      Double a = burn.get(c.shortWindow());
      Double b = burn.get(c.longWindow());
      if (a != null && b != null && a >= c.factor() && b >= c.factor()) {
        return "burning " + ValueFormat.significant(c.factor()) + "× the budget ("
            + c.shortWindow() + ": " + ValueFormat.significant(a) + "×"
            + (c.longWindow().equals(c.shortWindow()) ? ""
                : ", " + c.longWindow() + ": " + ValueFormat.significant(b) + "×") + ")";
      }
    }
    return null;
  }

  private static @Nullable TimeSeries extreme(List<TimeSeries> series,
      Comparator<Double> order) {
    TimeSeries best = null;
    for (TimeSeries s : series) {
      double v = last(s);
      if (Double.isFinite(v) && (best == null || order.compare(v, last(best)) < 0)) {
        best = s;
      }
    }
    return best;
  }

  private static double last(TimeSeries s) {
    double[] v = s.values();
    return v.length == 0 ? Double.NaN : v[v.length - 1];
  }

  /** {@code module.function}, or what labels there are. */
  private static String functionName(TimeSeries s) {
    String module = s.labels().get("module");
    String function = s.labels().getOrDefault("function", "?");
    return module == null || module.isEmpty() ? function : module + "." + function;
  }

  /** A ratio in percent with a space: 0.98 → {@code 98 %}, -1 → {@code -100 %}. */
  static String percent(double ratio) {
    return ValueFormat.significant(ratio * 100) + " %";
  }

  private static String escape(String s) {
    String clipped = s.length() > 100 ? s.substring(0, 99) + "…" : s;
    return clipped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** How long the SLO graph looks back: at least 6 hours, as the autometrics slack-app draws. */
  static Duration lookback(Duration configured) {
    return configured.compareTo(Duration.ofHours(6)) >= 0 ? configured : Duration.ofHours(6);
  }
}
