package dev.alertdesk.config;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The optional Sentry sink: {@code SENTRY_DSN} and {@code SENTRY_AUTH_TOKEN} from the environment
 * (DESIGN.md "Environment"), the rest from the {@code sentry} section of {@code CONFIG_FILE}
 * ({@link SentryConfig}). {@link #toString()} masks the DSN and the token.
 *
 * @param dsn the project's DSN, {@code https://<public key>@<host>/<project id>}, or null when
 *     the sink is off
 * @param authToken a Sentry auth token with the {@code event:write} and {@code org:read} scopes,
 *     used to resolve issues through the Web API; null leaves issues open
 * @param organization the organization slug (or id) the issues API is called with; required
 *     with {@code authToken}
 * @param project when set, an issue is resolved only when the event belongs to this project
 *     slug; null trusts the event id
 * @param apiUrl the Web API base, ending in {@code /api/0/}; default {@code https://sentry.io/api/0/}
 * @param environmentLabel the label whose value becomes the event's environment; default
 *     {@code environment}
 * @param fingerprint what Sentry groups events by
 * @param timeout each HTTP call's timeout; default 10 s
 */
public record SentrySettings(
    @Nullable String dsn,
    @Nullable String authToken,
    @Nullable String organization,
    @Nullable String project,
    String apiUrl,
    String environmentLabel,
    Fingerprint fingerprint,
    Duration timeout) {

  /** The Web API of sentry.io. */
  public static final String DEFAULT_API_URL = "https://sentry.io/api/0/";

  /** The sink turned off: no DSN. */
  public static final SentrySettings OFF = new SentrySettings(null, null, null, null,
      DEFAULT_API_URL, "environment", Fingerprint.ALERT, Duration.ofSeconds(10));

  /** What an event's fingerprint is made of, so Sentry groups events into one issue by it. */
  public enum Fingerprint {
    /** {@code [alertname, the alert's fingerprint]}: one Sentry issue per alert. */
    ALERT,
    /** {@code [the group key]}: one Sentry issue per Alertmanager group (incident). */
    GROUP_KEY;

    /** Returns the form written in the config file: {@code alert} or {@code group_key}. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** True when {@code SENTRY_DSN} is set. */
  public boolean enabled() {
    return dsn != null;
  }

  /** True when resolved alerts resolve their Sentry issue (a DSN, a token and an organization). */
  public boolean resolves() {
    return enabled() && authToken != null && organization != null;
  }

  /**
   * Returns the DSN's host and project id, {@code sentry.example.com project 42}, without its key;
   * safe to show. Empty when off.
   */
  public String target() {
    if (dsn == null) {
      return "";
    }
    URI uri = URI.create(dsn);
    String path = uri.getPath() == null ? "" : uri.getPath();
    String project = path.substring(path.lastIndexOf('/') + 1);
    return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + " project " + project;
  }

  /**
   * Checks a DSN's shape without showing it: {@code http(s)://<key>@<host>[:port][/path]/<project>}.
   *
   * @return null when it is valid, else what is wrong, without the DSN's text
   */
  public static @Nullable String dsnProblem(String dsn) {
    URI uri;
    try {
      uri = URI.create(dsn.strip());
    } catch (IllegalArgumentException e) {
      return "not a valid URL";
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http")
        || uri.getScheme().equals("https")) || uri.getHost() == null) {
      return "must be an http:// or https:// URL";
    }
    if (uri.getRawUserInfo() == null || uri.getRawUserInfo().isBlank()) {
      return "needs the project's public key before the host (https://<key>@<host>/<project id>)";
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String project = path.substring(path.lastIndexOf('/') + 1);
    if (project.isEmpty() || !project.chars().allMatch(Character::isLetterOrDigit)) {
      return "needs the project id as its last path segment (https://<key>@<host>/<project id>)";
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "must not have a query or fragment";
    }
    return null;
  }

  /** Masks the DSN (keeping host and project) and the token. */
  @Override
  public String toString() {
    return "SentrySettings[dsn=" + (dsn == null ? "unset" : "*** (" + target() + ")")
        + ", authToken=" + (authToken == null ? "unset" : "***")
        + ", organization=" + organization + ", project=" + project + ", apiUrl=" + apiUrl
        + ", environmentLabel=" + environmentLabel + ", fingerprint=" + fingerprint.wire()
        + ", timeout=" + timeout + "]";
  }
}
