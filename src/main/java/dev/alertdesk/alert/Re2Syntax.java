package dev.alertdesk.alert;

import java.util.Map;

/**
 * Maps an RE2 regular expression (the syntax of Go's {@code regexp}, which Alertmanager uses) to
 * {@link java.util.regex.Pattern} syntax, and rejects what RE2 does not accept but Java would
 * silently take with another meaning (github.com/google/re2/wiki/Syntax).
 */
final class Re2Syntax {
  private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
      Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"),
      Map.entry("ascii", "\\p{ASCII}"), Map.entry("blank", "\\p{Blank}"),
      Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"),
      Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"),
      Map.entry("print", "\\p{Print}"), Map.entry("punct", "\\p{Punct}"),
      Map.entry("space", "\\s"), Map.entry("upper", "\\p{Upper}"),
      Map.entry("word", "\\w"), Map.entry("xdigit", "\\p{XDigit}"));

  private Re2Syntax() {}

  /**
   * Translates {@code re2} to Java syntax.
   *
   * @throws MatcherSyntaxException for constructs RE2 rejects: look-around, back-references,
   *     atomic groups, possessive quantifiers, {@code \Z}, {@code \G}, the {@code U} flag
   */
  static String toJava(String re2) {
    StringBuilder out = new StringBuilder(re2.length() + 8);
    boolean inClass = false;
    int classStart = -1;
    for (int i = 0; i < re2.length(); i++) {
      char c = re2.charAt(i);
      if (c == '\\') {
        if (i + 1 >= re2.length()) {
          throw unsupported(re2, "trailing backslash");
        }
        char next = re2.charAt(i + 1);
        if (next >= '1' && next <= '9') {
          throw unsupported(re2, "back-references (\\" + next + ")");
        }
        if (next == 'k' || next == 'Z' || next == 'G' || next == 'R' || next == 'X') {
          throw unsupported(re2, "the escape \\" + next);
        }
        if (next == 'Q') {
          int end = re2.indexOf("\\E", i + 2);
          int stop = end < 0 ? re2.length() : end + 2;
          out.append(re2, i, stop);
          i = stop - 1;
          continue;
        }
        out.append(c).append(next);
        i++;
        continue;
      }
      if (inClass) {
        if (c == ']' && i > classStart) {
          inClass = false;
          out.append(c);
        } else if (c == '[' && re2.startsWith("[:", i)) {
          int end = re2.indexOf(":]", i + 2);
          if (end < 0) {
            out.append("\\[");
            continue;
          }
          String name = re2.substring(i + 2, end);
          boolean negated = name.startsWith("^");
          String java = POSIX_CLASSES.get(negated ? name.substring(1) : name);
          if (java == null) {
            throw unsupported(re2, "the character class [:" + name + ":]");
          }
          out.append(negated ? negate(java) : java);
          i = end + 1;
        } else if (c == '[' || c == '&') {
          out.append('\\').append(c);
        } else {
          out.append(c);
        }
        continue;
      }
      switch (c) {
        case '[' -> {
          inClass = true;
          out.append(c);
          int j = i + 1;
          if (j < re2.length() && re2.charAt(j) == '^') {
            out.append('^');
            j++;
          }
          // A ']' right after '[' or '[^' is a literal in RE2.
          if (j < re2.length() && re2.charAt(j) == ']') {
            out.append("\\]");
            j++;
          }
          classStart = j;
          i = j - 1;
        }
        case '(' -> {
          if (re2.startsWith("(?P<", i)) {
            out.append("(?<");
            i += 3;
          } else if (re2.startsWith("(?=", i) || re2.startsWith("(?!", i)
              || re2.startsWith("(?<=", i) || re2.startsWith("(?<!", i)) {
            throw unsupported(re2, "look-around assertions");
          } else if (re2.startsWith("(?>", i)) {
            throw unsupported(re2, "atomic groups");
          } else if (re2.startsWith("(?", i) && !re2.startsWith("(?<", i)) {
            int j = i + 2;
            while (j < re2.length() && re2.charAt(j) != ')' && re2.charAt(j) != ':') {
              char flag = re2.charAt(j);
              if ("imsU-".indexOf(flag) < 0) {
                throw unsupported(re2, "the flag group (?" + flag);
              }
              if (flag == 'U') {
                throw unsupported(re2, "the ungreedy flag U");
              }
              j++;
            }
            out.append(c);
          } else {
            out.append(c);
          }
        }
        case '*', '+', '?', '}' -> {
          out.append(c);
          if (i + 1 < re2.length() && re2.charAt(i + 1) == '+') {
            throw unsupported(re2, "possessive quantifiers");
          }
        }
        default -> out.append(c);
      }
    }
    if (inClass) {
      throw new MatcherSyntaxException("invalid regular expression \"" + re2
          + "\": missing closing ]");
    }
    return out.toString();
  }

  private static String negate(String javaClass) {
    return javaClass.startsWith("\\p") ? "\\P" + javaClass.substring(2)
        : javaClass.toUpperCase(java.util.Locale.ROOT);
  }

  private static MatcherSyntaxException unsupported(String re2, String what) {
    return new MatcherSyntaxException("invalid regular expression \"" + re2 + "\": " + what
        + " (not RE2 syntax)");
  }
}
