package dev.alertdesk.ingest;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Removes credentials from request headers before they are stored with a notification:
 * {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}, and any header whose name
 * mentions a token, secret, signature, password or API key. Their values become
 * {@value #REDACTED}.
 */
public final class HeaderRedaction {
  /** What a removed value is replaced by. */
  public static final String REDACTED = "[redacted]";

  private HeaderRedaction() {}

  /**
   * Returns a copy of {@code headers}, sorted by lower-case name, with credential values replaced.
   *
   * @param headers header name to value, as received
   */
  public static Map<String, String> redact(Map<String, String> headers) {
    Map<String, String> out = new TreeMap<>();
    headers.forEach((name, value) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      out.put(lower, isSecret(lower) ? REDACTED : value);
    });
    return out;
  }

  private static boolean isSecret(String lowerName) {
    return lowerName.equals("authorization")
        || lowerName.equals("proxy-authorization")
        || lowerName.equals("cookie")
        || lowerName.contains("token")
        || lowerName.contains("secret")
        || lowerName.contains("signature")
        || lowerName.contains("password")
        || lowerName.contains("api-key")
        || lowerName.contains("apikey");
  }
}
