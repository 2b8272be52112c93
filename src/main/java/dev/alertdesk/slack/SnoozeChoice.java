package dev.alertdesk.slack;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The choices offered by the Snooze select of an incident's parent message, in the order shown:
 * a snooze ends after a time, or after a number of further firings of each snoozed fingerprint.
 * Exactly one of {@link #duration()} and {@link #firings()} is set. Defined once:
 * {@link IncidentActionBlocks} renders them as options and the snooze action parses the selected
 * one with {@link #parse}. An option's value is {@code {incident id}:{value}} ({@link ActionValue}).
 */
public enum SnoozeChoice {
  /** One hour. */
  ONE_HOUR("1h", "for 1 hour", Duration.ofHours(1), null),
  /** A day. */
  ONE_DAY("24h", "for 24 hours", Duration.ofHours(24), null),
  /** A week. */
  SEVEN_DAYS("7d", "for 7 days", Duration.ofDays(7), null),
  /** Until each fingerprint has fired 10 more times. */
  NEXT_10_FIRINGS("n10", "for the next 10 firings", null, 10),
  /** Until each fingerprint has fired 100 more times. */
  NEXT_100_FIRINGS("n100", "for the next 100 firings", null, 100);

  private final String value;
  private final String label;
  private final @Nullable Duration duration;
  private final @Nullable Integer firings;

  SnoozeChoice(String value, String label, @Nullable Duration duration, @Nullable Integer firings) {
    this.value = value;
    this.label = label;
    this.duration = duration;
    this.firings = firings;
  }

  /** The option value suffix after {@code {incident id}:}, such as {@code n10}. */
  public String value() {
    return value;
  }

  /** The option's text, plain (no mrkdwn). */
  public String label() {
    return label;
  }

  /** How long the snooze lasts, or null when it ends by {@link #firings()}. */
  public @Nullable Duration duration() {
    return duration;
  }

  /** How many further firings the snooze lasts (at least 1), or null when it ends by time. */
  public @Nullable Integer firings() {
    return firings;
  }

  /**
   * Parses an option value suffix.
   *
   * @param value the text after {@code {incident id}:}, or null when there was none
   * @return the choice, or empty when {@code value} is null or no choice has exactly that value
   *     (case-sensitive, no trimming)
   */
  public static Optional<SnoozeChoice> parse(@Nullable String value) {
    for (SnoozeChoice c : values()) {
      if (c.value.equals(value)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
