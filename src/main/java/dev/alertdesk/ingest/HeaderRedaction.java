package dev.alertdesk.ingest;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Removes credentials from request headers before they are stored with a notification. Only
 * the headers of {@link #STORED_IN_CLEAR} keep their values, and only when their name does not
 * look like a credential; every other value becomes {@value #REDACTED}, so a proxy's
 * {@code Authentication}, {@code X-Auth-Key} or {@code X-Access-Key} is never stored. A name
 * looks like a credential when it contains {@code auth}, {@code token}, {@code key},
 * {@code secret}, {@code pass}, {@code cookie}, {@code signature}, {@code credential} or
 * {@code session}, in any case.
 */
public final class HeaderRedaction {
  /** What a removed value is replaced by. */
  public static final String REDACTED = "[redacted]";

  /** Lower-case names whose values are stored as received: transport and tracing metadata. */
  public static final Set<String> STORED_IN_CLEAR = Set.of("accept", "accept-encoding",
      "accept-language", "cache-control", "connection", "content-encoding", "content-length",
      "content-type", "date", "expect", "forwarded", "host", "pragma", "te", "traceparent",
      "tracestate", "transfer-encoding", "user-agent", "via", "x-amzn-trace-id", "x-b3-traceid",
      "x-b3-spanid", "x-b3-sampled", "x-correlation-id", "x-forwarded-for", "x-forwarded-host",
      "x-forwarded-port", "x-forwarded-proto", "x-real-ip", "x-request-id", "x-scope-orgid");

  private static final Pattern CREDENTIAL = Pattern.compile(
      "auth|token|key|secret|pass|cookie|signature|credential|session");

  private HeaderRedaction() {}

  /**
   * Returns a copy of {@code headers}, sorted by lower-case name, with every value outside the
   * allow-list replaced.
   *
   * @param headers header name to value, as received
   */
  public static Map<String, String> redact(Map<String, String> headers) {
    Map<String, String> out = new TreeMap<>();
    headers.forEach((name, value) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      out.put(lower, storedInClear(lower) ? value : REDACTED);
    });
    return out;
  }

  /** Returns true when a header of this lower-case name is stored with its value. */
  static boolean storedInClear(String lowerName) {
    return STORED_IN_CLEAR.contains(lowerName) && !CREDENTIAL.matcher(lowerName).find();
  }
}
