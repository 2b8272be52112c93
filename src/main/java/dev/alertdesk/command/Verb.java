package dev.alertdesk.command;

import dev.alertdesk.slack.SilenceChoice;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code /alertdesk …} asks for, read by {@link CommandParser}: one record per verb, or
 * {@link Usage} when the text cannot be read.
 */
public sealed interface Verb {
  /** {@code /alertdesk} or {@code /alertdesk list}: the open incidents of this channel. */
  record ListOpen() implements Verb {}

  /**
   * {@code /alertdesk show 42}.
   *
   * @param incidentId the incident, positive
   */
  record Show(long incidentId) implements Verb {}

  /**
   * {@code /alertdesk ack 42}.
   *
   * @param incidentId the incident, positive
   */
  record Acknowledge(long incidentId) implements Verb {}

  /**
   * {@code /alertdesk silence 42 4h}: one of the durations the Silence select offers.
   *
   * @param incidentId the incident, positive
   * @param choice how long
   */
  record Silence(long incidentId, SilenceChoice choice) implements Verb {}

  /**
   * {@code /alertdesk unsilence 42}.
   *
   * @param incidentId the incident, positive
   */
  record Unsilence(long incidentId) implements Verb {}

  /** {@code /alertdesk help}. */
  record Help() implements Verb {}

  /**
   * Text that is not a command: answered with the usage text and this problem.
   *
   * @param problem what was wrong, plain text quoting the user's input (escape before showing)
   */
  record Usage(String problem) implements Verb {}

  /** Returns the silence choice for a word such as {@code 4h}, or empty. */
  static Optional<SilenceChoice> silenceChoice(@Nullable String word) {
    return SilenceChoice.parse(word);
  }
}
