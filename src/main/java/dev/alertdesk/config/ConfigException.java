package dev.alertdesk.config;

import dev.alertdesk.AlertdeskException;

/**
 * A setting is missing, malformed or contradicts another. The message names the key (and, for
 * {@code CONFIG_FILE}, the line), never a secret value.
 */
public final class ConfigException extends AlertdeskException {
  private static final long serialVersionUID = 1L;
  private static final java.util.regex.Pattern LINE =
      java.util.regex.Pattern.compile(" line (\\d+)(?::|$)");

  /** Every problem found, each a whole message naming its key (and file and line). */
  private final java.util.List<String> problems;

  /** @param message what is wrong, naming the key */
  public ConfigException(String message) {
    super(message);
    this.problems = java.util.List.of(message);
  }

  /**
   * Several problems, reported together in file order: those without a line first, then by line.
   *
   * @param problems the messages, each naming its key (and file and line); not empty
   */
  public ConfigException(java.util.List<String> problems) {
    super(String.join("\n", inFileOrder(problems)));
    this.problems = inFileOrder(problems);
  }

  /** Returns every problem, in file order; one for an exception about a single problem. */
  public java.util.List<String> problems() {
    return problems;
  }

  /**
   * Sorts located messages ({@code FILE line N: key: what}) by line, keeping those without a
   * line first, and drops repeats.
   */
  public static java.util.List<String> inFileOrder(java.util.Collection<String> messages) {
    return messages.stream().distinct()
        .sorted(java.util.Comparator.comparingInt(ConfigException::lineOf)).toList();
  }

  private static int lineOf(String message) {
    java.util.regex.Matcher m = LINE.matcher(message);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }
}
