package dev.alertdesk.sentry;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the envelope endpoint and the Web API have in common: reading a rate limit, classifying an
 * HTTP status, and keeping secrets out of error text. Pure.
 */
final class SentryHttp {
  /** The delay when a 429 names none (Sentry docs: develop.sentry.dev/sdk/expected-features/rate-limiting/, "default to 60 seconds"). */
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);
  /** Longest error text taken from a response. */
  private static final int MAX_ERROR_CHARS = 200;

  private SentryHttp() {}

  /**
   * The delay a 429 asks for: the longest delay of {@code X-Sentry-Rate-Limits}
   * ({@code <seconds>:<categories>:<scope>[:<reason>]}, comma separated), else
   * {@code Retry-After} (seconds or an HTTP date), else 60 s. Sentry docs:
   * develop.sentry.dev/sdk/expected-features/rate-limiting/.
   */
  static Duration retryAfter(HttpHeaders headers, Instant now) {
    Optional<String> limits = headers.firstValue("X-Sentry-Rate-Limits");
    if (limits.isPresent()) {
      long longest = -1;
      for (String group : limits.get().split(",")) {
        String seconds = group.strip().split(":", 2)[0].strip();
        try {
          longest = Math.max(longest, (long) Math.ceil(Double.parseDouble(seconds)));
        } catch (NumberFormatException e) {
          // an unreadable group: ignore it
        }
      }
      if (longest >= 0) {
        return Duration.ofSeconds(longest);
      }
    }
    Optional<String> retryAfter = headers.firstValue("Retry-After");
    if (retryAfter.isPresent()) {
      String v = retryAfter.get().strip();
      try {
        return Duration.ofSeconds(Math.max(0, (long) Math.ceil(Double.parseDouble(v))));
      } catch (NumberFormatException e) {
        try {
          Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
          return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e2) {
          return DEFAULT_RETRY_AFTER;
        }
      }
    }
    return DEFAULT_RETRY_AFTER;
  }

  /**
   * Classifies an HTTP answer: 2xx delivered; 429 retry after its delay; 408 and 5xx retry with
   * backoff; any other status failed for good (a refused key or token, a malformed or too large
   * request: sending it again cannot help).
   *
   * @param what the call, for the error text, e.g. {@code envelope}
   * @param reason what the response said about the error (e.g. {@code X-Sentry-Error}), or null
   * @param secrets strings that must not appear in the error text
   */
  static SentryResult classify(String what, int status, HttpHeaders headers,
      @Nullable String reason, Instant now, List<String> secrets) {
    if (status >= 200 && status < 300) {
      return SentryResult.delivered(status);
    }
    String error = what + ": HTTP " + status
        + (reason == null || reason.isBlank() ? "" : ": " + clean(reason, secrets));
    if (status == 429) {
      return SentryResult.retryAfter(retryAfter(headers, now), error);
    }
    if (status == 408 || status >= 500) {
      return SentryResult.retry(error, status);
    }
    return SentryResult.failed(error, status);
  }

  /**
   * Makes text from a response or an exception safe to log and store: every secret replaced by
   * {@code ***}, control characters by spaces, at most 200 characters.
   */
  static String clean(String text, List<String> secrets) {
    String t = text;
    for (String secret : secrets) {
      if (!secret.isEmpty()) {
        t = t.replace(secret, "***");
      }
    }
    StringBuilder out = new StringBuilder();
    t.codePoints().limit(MAX_ERROR_CHARS).forEach(c -> out.appendCodePoint(
        Character.isISOControl(c) ? ' ' : c));
    return out.toString().strip();
  }
}
