package dev.alertdesk.rbac;

import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The grant names of actions and the patterns a grant may list: {@code acknowledge},
 * {@code unacknowledge}, {@code silence}, {@code unsilence}, {@code snooze}, and
 * {@code remediate:<id>} / {@code approve:<id>}, where the id part of a pattern may hold
 * {@code *} (any characters, none included). Pure.
 *
 * <p>{@code unacknowledge} and {@code unsilence} follow {@code acknowledge} and {@code silence}:
 * a grant of {@code acknowledge} also grants {@code unacknowledge}, and one of {@code silence}
 * also grants {@code unsilence} (who may set a state may undo it); they can also be granted on
 * their own.
 */
public final class ActionNames {
  /** The actions without an id. */
  public static final List<String> PLAIN = List.of("acknowledge", "unacknowledge", "silence",
      "unsilence", "snooze");

  /** The prefixes of actions with an id. */
  public static final List<String> WITH_ID = List.of("remediate:", "approve:");

  /** An action id of the remediation catalogue, or a pattern of them with {@code *}. */
  private static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9_.*-]{1,64}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private ActionNames() {}

  /**
   * Returns null when {@code pattern} may appear in a grant's {@code actions}, else why not.
   *
   * @param pattern an action name or a {@code remediate:}/{@code approve:} pattern
   */
  public static @Nullable String problem(String pattern) {
    if (PLAIN.contains(pattern)) {
      return null;
    }
    for (String prefix : WITH_ID) {
      if (pattern.startsWith(prefix)) {
        return ID_PATTERN.matcher(pattern.substring(prefix.length())).matches() ? null
            : "the part after " + prefix + " must be an action id (letters, digits, . _ -, "
                + "at most 64) or a pattern of them with *";
      }
    }
    return "unknown action; known actions are " + String.join(", ", PLAIN)
        + ", remediate:<id> and approve:<id> (* matches any id)";
  }

  /**
   * Returns true when {@code action} is a well-formed grant name (no {@code *}).
   *
   * @param action the name to check
   */
  public static boolean isAction(String action) {
    if (PLAIN.contains(action)) {
      return true;
    }
    for (String prefix : WITH_ID) {
      if (action.startsWith(prefix)) {
        return ID.matcher(action.substring(prefix.length())).matches();
      }
    }
    return false;
  }

  /**
   * Returns true when a grant listing {@code pattern} grants {@code action}.
   *
   * @param pattern a valid pattern ({@link #problem} returned null)
   * @param action the grant name asked for
   */
  public static boolean grants(String pattern, String action) {
    if (!isAction(action)) {
      return false;
    }
    if (pattern.equals(action)) {
      return true;
    }
    if (pattern.equals("acknowledge") && action.equals("unacknowledge")
        || pattern.equals("silence") && action.equals("unsilence")) {
      return true;
    }
    for (String prefix : WITH_ID) {
      if (pattern.startsWith(prefix) && action.startsWith(prefix)) {
        return glob(pattern.substring(prefix.length()), action.substring(prefix.length()));
      }
    }
    return false;
  }

  /** {@code *} matches any run of characters; everything else matches itself. */
  private static boolean glob(String pattern, String text) {
    StringBuilder regex = new StringBuilder();
    String[] parts = pattern.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      if (!parts[i].isEmpty()) {
        regex.append(Pattern.quote(parts[i]));
      }
    }
    return Pattern.matches(regex.toString(), text);
  }

  /**
   * The label of a grant name for metrics: the name itself when well-formed, else
   * {@code invalid}, so a caller's bad input never creates unbounded series.
   */
  static String metricLabel(String action) {
    return isAction(action) ? action : "invalid";
  }
}
