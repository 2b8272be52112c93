package dev.alertdesk.remediation;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code http} executor's settings, from {@code CONFIG_FILE}:
 * <pre>{@code
 * remediation:
 *   executors:
 *     http:
 *       url: https://remediator.internal:8443/run   # required; http or https
 *       secret_env: REMEDIATION_HTTP_SECRET         # required; the env var with the HMAC key
 *       timeout: 10s                                # optional; default 10s, at most 5m
 * }</pre>
 * The secret itself is never in the file: {@code secret_env} names the environment variable that
 * holds it, and the config reader resolves it with {@link #fromEnvironment}.
 *
 * @param url where to POST; absolute {@code http} or {@code https} with a host, no user info
 * @param secretEnv the environment variable the secret came from (for messages)
 * @param secret the HMAC-SHA256 key, at least {@value #MIN_SECRET_CHARS} characters; never
 *     shown ({@link #toString()} masks it)
 * @param timeout the longest wait for the whole answer; positive, at most 5 minutes
 */
public record HttpExecutorConfig(URI url, String secretEnv, String secret, Duration timeout) {
  /** The timeout when the file gives none. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** The shortest secret accepted, in characters. */
  public static final int MIN_SECRET_CHARS = 16;
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

  /**
   * Checks every part.
   *
   * @throws IllegalArgumentException naming the part (and {@code secretEnv}, never the secret)
   */
  public HttpExecutorConfig {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))
        || url.getHost() == null) {
      throw new IllegalArgumentException("url must be an absolute http or https URL with a host");
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "url must not carry user info; the request is authenticated by its signature");
    }
    if (secret.length() < MIN_SECRET_CHARS) {
      throw new IllegalArgumentException("the secret in " + secretEnv + " must have at least "
          + MIN_SECRET_CHARS + " characters");
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException("timeout must be more than 0 and at most 5m");
    }
  }

  /**
   * Builds the settings with the secret read from {@code env}.
   *
   * @param url the {@code url} key's value
   * @param secretEnv the {@code secret_env} key's value: an environment variable name
   * @param timeout the {@code timeout} key's value, or {@link #DEFAULT_TIMEOUT}
   * @param env the process environment (the config reader passes its own view)
   * @return the settings
   * @throws IllegalArgumentException when the URL does not parse, the variable is unset or
   *     blank, or a part is invalid; the message never contains the secret
   */
  public static HttpExecutorConfig fromEnvironment(String url, String secretEnv,
      Duration timeout, Map<String, String> env) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("url is not a URL: " + e.getReason());
    }
    String secret = env.get(secretEnv);
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("secret_env names " + secretEnv
          + ", which is unset or empty");
    }
    return new HttpExecutorConfig(uri, secretEnv, secret.strip(), timeout);
  }

  /** The URL as shown in messages: scheme, host, port and path; no query, no user info. */
  static String shown(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  /** Shows the URL (without query), the variable name and the timeout; masks the secret. */
  @Override
  public String toString() {
    return "HttpExecutorConfig[url=" + shown(url) + ", secretEnv=" + secretEnv
        + ", secret=***, timeout=" + timeout + "]";
  }
}
