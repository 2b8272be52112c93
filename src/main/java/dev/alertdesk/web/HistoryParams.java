package dev.alertdesk.web;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.history.IncidentQuery;
import dev.alertdesk.incident.IncidentStatus;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Reads the history filters shared by the JSON API, the exports and the web UI. Each parser
 * throws {@link BadRequest} naming the parameter.
 *
 * <p>Times are RFC 3339 ({@code 2026-03-01T10:00:00Z}) or a UTC date ({@code 2026-03-01}); a
 * date given as {@code to} means the end of that day.
 */
final class HistoryParams {
  private final Function<List<String>, @Nullable Predicate<Labels>> matchers;

  /**
   * @param matchers turns the {@code matcher} parameters (Alertmanager matcher syntax, e.g.
   *     {@code severity="critical"}) into a label filter; returns null for an empty list and
   *     throws {@link BadRequest} for an invalid matcher
   */
  HistoryParams(Function<List<String>, @Nullable Predicate<Labels>> matchers) {
    this.matchers = matchers;
  }

  /** Reads {@code alertname}, {@code matcher} (repeatable), {@code status}, {@code from}, {@code to}, {@code limit} and {@code offset}. */
  IncidentQuery query(Context ctx, int defaultLimit) {
    String alertname = blankToNull(ctx.queryParam("alertname"));
    IncidentStatus status = status(ctx.queryParam("status"));
    Instant from = time(ctx.queryParam("from"), "from", false);
    Instant to = time(ctx.queryParam("to"), "to", true);
    if (from != null && to != null && !from.isBefore(to)) {
      throw new BadRequest("from must be before to");
    }
    List<String> matcherTexts = ctx.queryParams("matcher").stream()
        .filter(m -> !m.isBlank()).toList();
    Predicate<Labels> labels = matcherTexts.isEmpty() ? null : matchers.apply(matcherTexts);
    int limit = intParam(ctx, "limit", defaultLimit, 1, IncidentQuery.MAX_LIMIT);
    int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    return new IncidentQuery(alertname, status, from, to, labels, limit, offset);
  }

  /**
   * Reads the insights period: {@code from}/{@code to}, or {@code period} (a duration such as
   * {@code 7d}, ending now); default the last 7 days. At most 366 days.
   *
   * @return {@code [from, to)}
   */
  static Instant[] period(Context ctx, Instant now) {
    Instant to = time(ctx.queryParam("to"), "to", true);
    Instant from = time(ctx.queryParam("from"), "from", false);
    if (to == null) {
      to = now;
    }
    if (from == null) {
      String p = blankToNull(ctx.queryParam("period"));
      Duration d;
      try {
        d = p == null ? Duration.ofDays(7) : dev.alertdesk.config.Durations.parse(p, "period");
      } catch (RuntimeException e) {
        throw new BadRequest("period must be a duration such as 24h or 7d");
      }
      from = to.minus(d);
    }
    if (!from.isBefore(to)) {
      throw new BadRequest("from must be before to");
    }
    if (Duration.between(from, to).compareTo(Duration.ofDays(366)) > 0) {
      throw new BadRequest("the period may be at most 366 days");
    }
    return new Instant[] {from, to};
  }

  /** Reads {@code rank_by}: notifications (default), occurrences or transitions. */
  static dev.alertdesk.history.Insights.Ranking ranking(Context ctx) {
    String v = blankToNull(ctx.queryParam("rank_by"));
    if (v == null) {
      return dev.alertdesk.history.Insights.Ranking.NOTIFICATIONS;
    }
    try {
      return dev.alertdesk.history.Insights.Ranking.valueOf(
          v.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("rank_by must be notifications, occurrences or transitions");
    }
  }

  static @Nullable IncidentStatus status(@Nullable String value) {
    String v = blankToNull(value);
    if (v == null) {
      return null;
    }
    try {
      return IncidentStatus.fromWire(v.trim());
    } catch (IllegalArgumentException e) {
      throw new BadRequest("status must be firing or resolved");
    }
  }

  static @Nullable Instant time(@Nullable String value, String name, boolean endOfDay) {
    String v = blankToNull(value);
    if (v == null) {
      return null;
    }
    v = v.trim();
    try {
      if (v.length() == 10) {
        LocalDate d = LocalDate.parse(v);
        return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      Instant t = OffsetDateTime.parse(v).toInstant();
      if (!dev.alertdesk.alert.Alert.isStorableTime(t)) {
        throw new BadRequest(name + " must lie within the years 0001 to 9999");
      }
      return t;
    } catch (DateTimeException e) {
      throw new BadRequest(name + " must be an RFC 3339 time (2026-03-01T10:00:00Z) or a date "
          + "(2026-03-01)");
    }
  }

  static int intParam(Context ctx, String name, int dflt, int min, int max) {
    String v = blankToNull(ctx.queryParam(name));
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new BadRequest(name + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " must be a whole number");
    }
  }

  static long incidentId(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id").replaceFirst("^#", ""));
    } catch (NumberFormatException e) {
      throw new BadRequest("incident id must be a number");
    }
  }

  static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
