package dev.alertdesk.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A conjunction of {@link Matcher}s: a label set matches when every matcher matches it. An empty
 * list matches everything.
 *
 * @param matchers the matchers in their given order; never null, unmodifiable
 */
public record Matchers(List<Matcher> matchers) {
  /** The empty list, which matches every label set. */
  public static final Matchers ALL = new Matchers(List.of());

  /** Copies {@code matchers} into an unmodifiable list. */
  public Matchers {
    matchers = List.copyOf(matchers);
  }

  /**
   * Parses each string as one matcher (the form of Alertmanager's {@code matchers:} config list).
   *
   * @throws MatcherSyntaxException for the first string that is not a matcher
   */
  public static Matchers parseEach(List<String> texts) {
    List<Matcher> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      out.add(Matcher.parse(Objects.requireNonNull(text, "matcher")));
    }
    return new Matchers(out);
  }

  /**
   * Parses a comma-separated matcher list such as {@code {foo="bar", baz=~"q.*"}}, as
   * Alertmanager's {@code ParseMatchers} does: the braces are optional, commas inside double
   * quotes do not separate, {@code \"} does not end a quoted part, and a trailing comma is
   * allowed.
   *
   * @param text the list; blank or {@code {}} gives the empty list
   * @throws MatcherSyntaxException naming the first matcher that does not parse
   */
  public static Matchers parse(String text) {
    String s = text.strip();
    if (s.startsWith("{")) {
      s = s.substring(1);
    }
    if (s.endsWith("}")) {
      s = s.substring(0, s.length() - 1);
    }
    List<Matcher> out = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    boolean quoted = false;
    boolean escaped = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' && !quoted) {
        out.add(Matcher.parse(token.toString()));
        token.setLength(0);
        continue;
      }
      if (c == '"' && !escaped) {
        quoted = !quoted;
      }
      escaped = c == '\\' && !escaped;
      token.append(c);
    }
    if (!token.toString().isBlank()) {
      out.add(Matcher.parse(token.toString()));
    }
    return new Matchers(out);
  }

  /** Returns true when every matcher matches {@code labels} (absent labels count as ""). */
  public boolean matches(Labels labels) {
    for (Matcher m : matchers) {
      if (!m.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** Returns true when there are no matchers. */
  public boolean isEmpty() {
    return matchers.isEmpty();
  }

  /** Renders the list as {@code {a="b", c=~"d"}}, which {@link #parse} reads back. */
  @Override
  public String toString() {
    return matchers.stream().map(Matcher::toString).collect(Collectors.joining(", ", "{", "}"));
  }
}
