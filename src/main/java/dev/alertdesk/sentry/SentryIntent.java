package dev.alertdesk.sentry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One Sentry intent, as stored in an outbox row's parameters.
 *
 * @param type send the event of an occurrence, or resolve the issue of one
 * @param eventId the occurrence's event id, 32 lower-case hex digits, assigned when the intent is
 *     planned ({@link #eventId}) and reused by every redelivery, so Sentry keeps the event once
 * @param fingerprint the alert's fingerprint
 * @param startsAt when the occurrence started
 */
public record SentryIntent(Type type, String eventId, String fingerprint, Instant startsAt) {
  /** What the intent does. */
  public enum Type {
    /** Send the occurrence's event. */
    EVENT,
    /** Resolve the Sentry issue the occurrence's event belongs to. */
    RESOLVE
  }

  /**
   * The event id of one occurrence: a name-based UUID of the receiver, the alert's fingerprint
   * and its {@code startsAt} (to the millisecond, as stored), without dashes. The same
   * occurrence always gets the same id, so the resolve intent of an occurrence finds the event
   * the event intent sent, and a copy of an occurrence planned twice is kept once by Sentry.
   */
  public static String eventId(String receiver, String fingerprint, Instant startsAt) {
    String name = "alertdesk-sentry\n" + receiver + "\n" + fingerprint + "\n"
        + startsAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString()
        .replace("-", "");
  }

  /** The outbox parameters: {@code event_id}, {@code fingerprint}, {@code starts_at}. */
  public Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("event_id", eventId);
    p.put("fingerprint", fingerprint);
    p.put("starts_at", startsAt.toString());
    return p;
  }

  /**
   * Reads an intent back from its parameters.
   *
   * @return the intent, or null when a parameter is missing or malformed
   */
  public static @Nullable SentryIntent of(Type type, @Nullable String eventId,
      @Nullable String fingerprint, @Nullable String startsAt) {
    if (eventId == null || !eventId.matches("[0-9a-f]{32}") || fingerprint == null
        || startsAt == null) {
      return null;
    }
    try {
      return new SentryIntent(type, eventId, fingerprint, Instant.parse(startsAt));
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
