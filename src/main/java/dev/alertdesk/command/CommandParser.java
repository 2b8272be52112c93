package dev.alertdesk.command;

import dev.alertdesk.slack.SilenceChoice;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads the text after {@code /alertdesk} into a {@link Verb}. Pure and total: any input, however
 * long or hostile, gives a verb, never an exception. Words are separated by whitespace; the verb
 * is case-insensitive; an incident id may be written {@code 42} or {@code #42}. Extra words are
 * refused rather than ignored, so {@code ack 42 43} does not acknowledge 42 alone.
 *
 * <pre>
 *   ""  | "list"             → ListOpen
 *   "show 42"                → Show(42)
 *   "ack 42"                 → Acknowledge(42)      ("acknowledge 42" too)
 *   "silence 42 4h"          → Silence(42, 4h)      (1h, 4h, 24h, resolved)
 *   "unsilence 42"           → Unsilence(42)
 *   "help"                   → Help
 *   anything else            → Usage(problem)
 * </pre>
 */
public final class CommandParser {
  /** Input longer than this is refused before it is split (Slack limits a message to 4000). */
  static final int MAX_TEXT_CHARS = 500;
  /** The longest quoted part of bad input in a problem text. */
  private static final int MAX_QUOTED_CHARS = 40;

  private CommandParser() {}

  /**
   * Parses the command text.
   *
   * @param text what followed the command, possibly empty
   * @return the verb, or {@link Verb.Usage} naming the problem
   */
  public static Verb parse(String text) {
    if (text.length() > MAX_TEXT_CHARS) {
      return new Verb.Usage("the command is too long");
    }
    String[] words = text.strip().isEmpty() ? new String[0] : text.strip().split("\\s+");
    if (words.length == 0) {
      return new Verb.ListOpen();
    }
    String verb = words[0].toLowerCase(Locale.ROOT);
    return switch (verb) {
      case "list", "ls" -> words.length == 1 ? new Verb.ListOpen()
          : extra(words, 1);
      case "help", "?" -> new Verb.Help();
      case "show" -> withId(words, 2).map(id -> (Verb) new Verb.Show(id))
          .orElseGet(() -> badId(words, "show"));
      case "ack", "acknowledge" -> withId(words, 2)
          .map(id -> (Verb) new Verb.Acknowledge(id)).orElseGet(() -> badId(words, verb));
      case "unsilence" -> withId(words, 2).map(id -> (Verb) new Verb.Unsilence(id))
          .orElseGet(() -> badId(words, "unsilence"));
      case "silence" -> silence(words);
      default -> new Verb.Usage("unknown command `" + quote(words[0]) + "`");
    };
  }

  private static Verb silence(String[] words) {
    if (words.length < 3) {
      return new Verb.Usage("silence needs an incident number and a duration, e.g. "
          + "`silence 42 4h`");
    }
    Optional<Long> id = incidentId(words[1]);
    if (id.isEmpty()) {
      return new Verb.Usage("`" + quote(words[1]) + "` is not an incident number");
    }
    Optional<SilenceChoice> choice = Verb.silenceChoice(words[2].toLowerCase(Locale.ROOT));
    if (choice.isEmpty()) {
      return new Verb.Usage("`" + quote(words[2]) + "` is not a silence duration; use one of "
          + durations());
    }
    if (words.length > 3) {
      return extra(words, 3);
    }
    return new Verb.Silence(id.get(), choice.get());
  }

  /** The durations accepted by {@code silence}, e.g. {@code 1h, 4h, 24h, resolved}. */
  static String durations() {
    return Arrays.stream(SilenceChoice.values()).map(c -> "`" + c.value() + "`")
        .collect(Collectors.joining(", "));
  }

  private static Optional<Long> withId(String[] words, int expectedWords) {
    return words.length == expectedWords ? incidentId(words[1]) : Optional.empty();
  }

  private static Verb badId(String[] words, String verb) {
    if (words.length < 2) {
      return new Verb.Usage(verb + " needs an incident number, e.g. `" + verb + " 42`");
    }
    if (incidentId(words[1]).isEmpty()) {
      return new Verb.Usage("`" + quote(words[1]) + "` is not an incident number");
    }
    return extra(words, 2);
  }

  private static Verb extra(String[] words, int from) {
    return new Verb.Usage("unexpected `" + quote(words[from]) + "` after `"
        + quote(words[0]) + "`");
  }

  /** Reads {@code 42} or {@code #42}: a positive whole number of at most 18 digits. */
  static Optional<Long> incidentId(String word) {
    String digits = word.startsWith("#") ? word.substring(1) : word;
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)
        || !digits.chars().allMatch(c -> c < 128)) {
      return Optional.empty();
    }
    long id = Long.parseLong(digits);
    return id > 0 ? Optional.of(id) : Optional.empty();
  }

  private static String quote(String word) {
    String w = word.replace("`", "'");
    return w.length() <= MAX_QUOTED_CHARS ? w : w.substring(0, MAX_QUOTED_CHARS) + "…";
  }
}
