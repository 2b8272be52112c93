package dev.alertdesk.ingest;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Removes credentials from request headers before they are stored with a notification: any
 * header whose name mentions authorization ({@code Authorization}, {@code Proxy-Authorization},
 * {@code X-Forwarded-Authorization}), a cookie, token, secret, signature, password, credential
 * or API key. Their values become {@value #REDACTED}.
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
    // Proxies forward credentials under other names (X-Forwarded-Authorization,
    // X-Amzn-Remapped-Authorization), so match anywhere in the name.
    return lowerName.contains("authorization")
        || lowerName.contains("cookie")
        || lowerName.contains("token")
        || lowerName.contains("secret")
        || lowerName.contains("signature")
        || lowerName.contains("password")
        || lowerName.contains("credential")
        || lowerName.contains("api-key")
        || lowerName.contains("api_key")
        || lowerName.contains("apikey");
  }
}
