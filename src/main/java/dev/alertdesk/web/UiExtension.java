package dev.alertdesk.web;

import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.unbescape.html.HtmlEscape;

/**
 * Pebble filters of the web UI: {@code instant} writes a {@code <time>} element (UTC in the text
 * and the {@code title}; {@code app.js} rewrites the text into the viewer's time zone),
 * {@code duration} writes {@code 1h 5m}, {@code seconds} does the same for a number of
 * seconds, and {@code link} passes an {@code http(s)} URL through and turns anything else
 * ({@code javascript:}, {@code data:}, relative) into null, for every {@code href} built from
 * stored data.
 */
final class UiExtension extends AbstractExtension {
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  @Override
  public Map<String, Filter> getFilters() {
    return Map.of(
        "instant", new SimpleFilter() {
          @Override
          Object apply(Object input) {
            Instant t = input instanceof Instant i ? i : parse(input);
            if (t == null) {
              return "—";
            }
            String iso = HtmlEscape.escapeHtml5(t.toString());
            String utc = UTC.format(t);
            return new SafeString("<time datetime=\"" + iso + "\" title=\"" + utc + "\">" + utc
                + "</time>");
          }
        },
        "duration", new SimpleFilter() {
          @Override
          Object apply(Object input) {
            return input instanceof Duration d ? human(d.toSeconds()) : "—";
          }
        },
        "link", new SimpleFilter() {
          @Override
          @org.jspecify.annotations.Nullable Object apply(Object input) {
            return input instanceof String s && dev.alertdesk.config.Urls.isHttpLink(s) ? s : null;
          }
        },
        "seconds", new SimpleFilter() {
          @Override
          Object apply(Object input) {
            return input instanceof Number n ? human(Math.round(n.doubleValue())) : "—";
          }
        });
  }

  /** Reads an RFC 3339 string; null for anything else. */
  private static @org.jspecify.annotations.Nullable Instant parse(
      @org.jspecify.annotations.Nullable Object input) {
    if (input instanceof String s) {
      try {
        return Instant.parse(s);
      } catch (java.time.format.DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }

  /** Formats seconds as the two largest units: {@code 45s}, {@code 3m 20s}, {@code 2h 5m}, {@code 3d 4h}. */
  static String human(long seconds) {
    long s = Math.max(0, seconds);
    long d = s / 86_400;
    long h = s % 86_400 / 3600;
    long m = s % 3600 / 60;
    long sec = s % 60;
    if (d > 0) {
      return d + "d " + h + "h";
    }
    if (h > 0) {
      return h + "h " + m + "m";
    }
    if (m > 0) {
      return m + "m " + sec + "s";
    }
    return sec + "s";
  }

  private abstract static class SimpleFilter implements Filter {
    abstract @org.jspecify.annotations.Nullable Object apply(Object input);

    @Override
    public @org.jspecify.annotations.Nullable Object apply(Object input, Map<String, Object> args, PebbleTemplate self,
        EvaluationContext context, int lineNumber) {
      return apply(input);
    }

    @Override
    public List<String> getArgumentNames() {
      return List.of();
    }
  }
}
