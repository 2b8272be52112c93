package dev.alertdesk.enrich;

import dev.alertdesk.alert.Alert;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One Prometheus-compatible server that graphs and values are queried from (Prometheus, Thanos
 * Query, Mimir, Cortex): an entry of the {@code prometheus} section of {@code CONFIG_FILE}, or the
 * default built from {@code PROMETHEUS_URL}. {@link #toString()} never shows credentials.
 *
 * @param name shown on the graph and the parent message, e.g. {@code eu}; {@value #DEFAULT_NAME}
 *     for {@code PROMETHEUS_URL}
 * @param url the base URL queries go to, path prefix kept ({@code http://thanos:9090/prometheus});
 *     {@code user:password@} in it is sent as Basic auth
 * @param matchGeneratorUrl an alert whose {@code generatorURL} starts with this prefix (up to a
 *     {@code /}, {@code ?}, {@code #} or its end) is queried here; or null
 * @param matchLabels an alert carrying all these labels with these values is queried here; empty
 *     for none
 * @param timeout the timeout of each request to this server, 100 ms to 60 s
 * @param authorization the {@code Authorization} header value (Basic or Bearer), or null; secret
 * @param headers further request headers, e.g. {@code X-Scope-OrgID} for a Mimir or Cortex
 *     tenant; values may be secret and are never shown
 */
public record PrometheusDatasource(
    String name,
    String url,
    @Nullable String matchGeneratorUrl,
    Map<String, String> matchLabels,
    Duration timeout,
    @Nullable String authorization,
    Map<String, String> headers) {

  /** The name of the datasource built from {@code PROMETHEUS_URL}. */
  public static final String DEFAULT_NAME = "default";

  /** Copies the maps. */
  public PrometheusDatasource {
    matchLabels = Map.copyOf(matchLabels);
    headers = Map.copyOf(headers);
  }

  /**
   * The default datasource: {@code PROMETHEUS_URL} with {@code PROMETHEUS_TIMEOUT}, matching
   * nothing by itself.
   */
  public static PrometheusDatasource byDefault(String url, Duration timeout) {
    return new PrometheusDatasource(DEFAULT_NAME, url, null, Map.of(), timeout, null, Map.of());
  }

  /**
   * Returns true when this entry's {@code match_generator_url} prefix matches the alert's
   * {@code generatorURL}, or when the alert carries all of its {@code match_labels}.
   */
  public boolean matches(Alert alert) {
    String prefix = matchGeneratorUrl;
    String generator = alert.generatorUrl();
    if (prefix != null && generator != null && startsWithAtBoundary(generator, prefix)) {
      return true;
    }
    if (matchLabels.isEmpty()) {
      return false;
    }
    Map<String, String> labels = alert.labels().values();
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Prefix match, scheme and host case-insensitively, that ends at a URL boundary, so
   * {@code http://prom:9090} does not match {@code http://prom:90901/…}.
   */
  static boolean startsWithAtBoundary(String url, String prefix) {
    if (url.length() < prefix.length()
        || !url.substring(0, prefix.length()).toLowerCase(Locale.ROOT)
            .equals(prefix.toLowerCase(Locale.ROOT))) {
      return false;
    }
    if (url.length() == prefix.length() || prefix.endsWith("/")) {
      return true;
    }
    char next = url.charAt(prefix.length());
    return next == '/' || next == '?' || next == '#';
  }

  /** Shows name, URL (password masked), matchers and timeout; never credentials or header values. */
  @Override
  public String toString() {
    return "Prometheus[" + name + " " + url.replaceFirst("//[^/@]*@", "//****@")
        + (matchGeneratorUrl == null ? "" : " match_generator_url=" + matchGeneratorUrl)
        + (matchLabels.isEmpty() ? "" : " match_labels=" + new java.util.TreeMap<>(matchLabels))
        + " timeout=" + timeout + (authorization == null ? "" : " auth=****")
        + (headers.isEmpty() ? "" : " headers=" + new java.util.TreeSet<>(headers.keySet())) + "]";
  }
}
