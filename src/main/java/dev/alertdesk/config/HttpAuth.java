package dev.alertdesk.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The credentials and extra headers an outgoing HTTP client sends to one server (Alertmanager
 * today): HTTP Basic from a URL's {@code user:pass@}, or a bearer token, plus custom headers for
 * proxies (an auth proxy's header, Mimir's {@code X-Scope-OrgID}). Immutable;
 * {@link #toString()} shows header names only.
 *
 * @param headers every header to send, {@code Authorization} included when set; never null
 */
public record HttpAuth(Map<String, String> headers) {
  /** No credentials, no headers. */
  public static final HttpAuth NONE = new HttpAuth(Map.of());

  /** Copies the map, keeping its order. */
  public HttpAuth {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /**
   * Builds the headers for one server.
   *
   * @param url the configured URL; its user-info ({@code user:pass}, percent-decoded) becomes
   *     {@code Authorization: Basic …}
   * @param bearerToken a bearer token, or null
   * @param custom extra headers (name to value), possibly empty
   * @param key the setting named in errors, e.g. {@code ALERTMANAGER_URL}
   * @throws ConfigException when more than one of user-info, bearer token and a custom
   *     {@code Authorization} header is set, or a header name or value is not valid HTTP
   */
  public static HttpAuth of(String url, @Nullable String bearerToken, Map<String, String> custom,
      String key) {
    Map<String, String> headers = new LinkedHashMap<>();
    String userInfo = Urls.userInfo(url);
    int schemes = 0;
    if (userInfo != null && !userInfo.isEmpty()) {
      headers.put("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
      schemes++;
    }
    if (bearerToken != null) {
      headers.put("Authorization", "Bearer " + bearerToken.strip());
      schemes++;
    }
    for (Map.Entry<String, String> h : custom.entrySet()) {
      String name = h.getKey();
      if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
        throw new ConfigException(key + ": header name \"" + name + "\" is not a valid HTTP "
            + "header name");
      }
      if (h.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        throw new ConfigException(key + ": header " + name + " has a line break in its value");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("host") || lower.equals("content-length") || lower.equals("connection")) {
        throw new ConfigException(key + ": header " + name + " cannot be set");
      }
      if (lower.equals("authorization")) {
        schemes++;
        headers.put("Authorization", h.getValue());
      } else {
        headers.put(name, h.getValue());
      }
    }
    if (schemes > 1) {
      throw new ConfigException(key + ": set only one of user:pass in the URL, a bearer token "
          + "and an Authorization header");
    }
    return new HttpAuth(headers);
  }

  /** Shows the header names, never their values. */
  @Override
  public String toString() {
    return headers.isEmpty() ? "none" : "headers" + headers.keySet();
  }
}
