package dev.alertdesk.sentry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns alert labels into Sentry tags within Sentry's limits. Sentry's Java docs
 * (docs.sentry.io/platforms/java/guides/jul/enriching-events/tags/): tag keys have at most 32
 * characters, only letters, digits, {@code _ . : -}; tag values at most 200 characters and no
 * newline. Newer docs (develop.sentry.dev, "data handling") allow keys of 200 characters; the
 * 32 of the Java docs is kept so that older self-hosted Sentry versions index every tag. Pure.
 */
public final class SentryTags {
  /** Longest tag key Sentry indexes. */
  public static final int MAX_KEY_CHARS = 32;
  /** Longest tag value Sentry indexes. */
  public static final int MAX_VALUE_CHARS = 200;
  /** Labels turned into tags at most; the rest stay in the event's extra data. */
  public static final int MAX_TAGS = 100;
  /**
   * Tags Sentry sets itself, which the docs advise against overwriting: a label of that name
   * becomes {@code label.<name>}.
   */
  static final Set<String> RESERVED = Set.of("level", "environment", "release", "dist", "url",
      "logger", "server_name", "transaction", "user", "os", "runtime", "device", "browser",
      "handled", "mechanism", "event.type");

  private SentryTags() {}

  /**
   * Returns the labels as tags, in their order: keys with characters Sentry refuses replaced by
   * {@code _} and cut to 32 characters, values with line breaks turned into spaces and cut to 200
   * characters (ending in {@code …}). A label whose key is empty or collides with an earlier one
   * after this is left out, as are labels past {@value #MAX_TAGS}.
   *
   * @param labels label name to value
   * @return tag key to value, at most {@value #MAX_TAGS}
   */
  public static Map<String, String> of(Map<String, String> labels) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (tags.size() == MAX_TAGS) {
        break;
      }
      String key = key(e.getKey());
      if (key == null || tags.containsKey(key)) {
        continue;
      }
      tags.put(key, value(e.getValue()));
    }
    return tags;
  }

  /** Returns a tag key for a label name, or null when nothing of it is left. */
  static @Nullable String key(String name) {
    String k = RESERVED.contains(name) ? "label." + name : name;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < k.length() && out.length() < MAX_KEY_CHARS; i++) {
      char c = k.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.' || c == ':' || c == '-';
      out.append(allowed ? c : '_');
    }
    String s = out.toString();
    return s.isEmpty() || s.chars().allMatch(c -> c == '_') ? null : s;
  }

  /** Returns a tag value: no line breaks, at most {@value #MAX_VALUE_CHARS} characters. */
  static String value(String value) {
    String v = value.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    if (v.codePointCount(0, v.length()) <= MAX_VALUE_CHARS) {
      return v;
    }
    int end = v.offsetByCodePoints(0, MAX_VALUE_CHARS - 1);
    return v.substring(0, end) + "…";
  }
}
