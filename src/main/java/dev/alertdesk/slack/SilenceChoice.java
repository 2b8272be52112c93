package dev.alertdesk.slack;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The durations offered by the Silence select of an incident's parent message, in the order
 * shown. Defined once: {@link IncidentActionBlocks} renders them as options and the silence
 * action parses the selected one with {@link #parse}. An option's value is
 * {@code {incident id}:{value}} ({@link ActionValue}).
 */
public enum SilenceChoice {
  /** One hour. */
  ONE_HOUR("1h", "1 hour", Duration.ofHours(1)),
  /** Four hours. */
  FOUR_HOURS("4h", "4 hours", Duration.ofHours(4)),
  /** A day. */
  ONE_DAY("24h", "24 hours", Duration.ofHours(24)),
  /**
   * Until the incident resolves: the silence is created for at most 7 days and expired by
   * Alertdesk once the incident has resolved.
   */
  UNTIL_RESOLVED("resolved", "Until resolved", Duration.ofDays(7));

  private final String value;
  private final String label;
  private final Duration duration;

  SilenceChoice(String value, String label, Duration duration) {
    this.value = value;
    this.label = label;
    this.duration = duration;
  }

  /** The option value suffix after {@code {incident id}:}, such as {@code 4h}; also audited. */
  public String value() {
    return value;
  }

  /** The option's text, plain (no mrkdwn). */
  public String label() {
    return label;
  }

  /**
   * How long the Alertmanager silence lasts: the choice itself, or for {@link #UNTIL_RESOLVED}
   * the most it lasts if the incident never resolves (7 days).
   */
  public Duration duration() {
    return duration;
  }

  /** Returns true for {@link #UNTIL_RESOLVED}: the silence ends when the incident resolves. */
  public boolean untilResolved() {
    return this == UNTIL_RESOLVED;
  }

  /**
   * Parses an option value suffix.
   *
   * @param value the text after {@code {incident id}:}, or null when there was none
   * @return the choice, or empty when {@code value} is null or no choice has exactly that value
   *     (case-sensitive, no trimming)
   */
  public static Optional<SilenceChoice> parse(@Nullable String value) {
    for (SilenceChoice c : values()) {
      if (c.value.equals(value)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
