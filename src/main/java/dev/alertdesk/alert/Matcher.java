package dev.alertdesk.alert;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One Alertmanager label matcher such as {@code severity="critical"} or
 * {@code namespace=~"checkout|payments"}, with Alertmanager's syntax and semantics
 * (prometheus/alertmanager {@code pkg/labels/matcher.go} and {@code parse.go}; documented at
 * prometheus.io/docs/alerting/latest/configuration/#matcher).
 *
 * <ul>
 *   <li>A label the alert does not carry matches as the empty string, so {@code team=""} matches
 *       alerts without a {@code team} label and {@code team!=""} requires one.
 *   <li>Regular expressions are fully anchored: {@code =~"5.."} is evaluated as
 *       {@code ^(?:5..)$}. They are compiled and run by RE2/J ({@code com.google.re2j}), the
 *       Java port of the RE2 engine behind Go's {@code regexp} that Alertmanager uses: the same
 *       syntax (look-around, back-references and possessive quantifiers are rejected), and a
 *       match takes time linear in the value's length whatever the expression, so a hostile
 *       matcher such as {@code (.*a){14}} cannot burn CPU (no backtracking).
 * </ul>
 *
 * <p>Instances are immutable and thread-safe; equality is by type, name and value.
 */
public final class Matcher {
  /** The four match operators of Alertmanager (and PromQL selectors). */
  public enum Type {
    /** {@code =}: the value equals. */
    EQUAL("="),
    /** {@code !=}: the value differs. */
    NOT_EQUAL("!="),
    /** {@code =~}: the whole value matches the regular expression. */
    REGEX_MATCH("=~"),
    /** {@code !~}: the whole value does not match the regular expression. */
    NOT_REGEX_MATCH("!~");

    private final String operator;

    Type(String operator) {
      this.operator = operator;
    }

    /** Returns the operator as written in a matcher, e.g. {@code "=~"}. */
    public String operator() {
      return operator;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final @Nullable Pattern pattern;

  private Matcher(Type type, String name, String value, @Nullable Pattern pattern) {
    this.type = type;
    this.name = name;
    this.value = value;
    this.pattern = pattern;
  }

  /**
   * Creates a matcher from its parts.
   *
   * @param type the operator
   * @param name a Prometheus label name, {@code [a-zA-Z_:][a-zA-Z0-9_:]*}
   * @param value the literal value, or the regular expression (unanchored, as written) for the
   *     regex types
   * @throws MatcherSyntaxException when the name is not a label name or the regex is invalid
   */
  public static Matcher of(Type type, String name, String value) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    if (!isLabelName(name)) {
      throw new MatcherSyntaxException("invalid label name \"" + name + "\"");
    }
    Pattern pattern = null;
    if (type == Type.REGEX_MATCH || type == Type.NOT_REGEX_MATCH) {
      pattern = compileAnchored(value);
    }
    return new Matcher(type, name, value, pattern);
  }

  /**
   * Parses one matcher in Alertmanager's syntax: a label name, one of {@code = != =~ !~}, and a
   * value that may be double-quoted. Whitespace around each part is ignored. Inside the value,
   * {@code \"} is a double quote, {@code \\} a backslash and {@code \n} a line feed; any other
   * backslash is literal. The value may be empty only when quoted ({@code job=""}).
   *
   * @param text e.g. {@code severity="critical"}, {@code statuscode=~"5.."}, {@code job!=api}
   * @return the matcher
   * @throws MatcherSyntaxException naming the problem and the input
   */
  public static Matcher parse(String text) {
    Objects.requireNonNull(text, "text");
    int i = skipSpace(text, 0);
    int nameStart = i;
    while (i < text.length() && isNameChar(text.charAt(i), i == nameStart)) {
      i++;
    }
    String name = text.substring(nameStart, i);
    i = skipSpace(text, i);
    Type type = null;
    if (text.startsWith("=~", i)) {
      type = Type.REGEX_MATCH;
    } else if (text.startsWith("!~", i)) {
      type = Type.NOT_REGEX_MATCH;
    } else if (text.startsWith("!=", i)) {
      type = Type.NOT_EQUAL;
    } else if (text.startsWith("=", i)) {
      type = Type.EQUAL;
    }
    if (name.isEmpty() || type == null) {
      throw new MatcherSyntaxException("bad matcher format: " + text
          + " (expected name=\"value\", name!=\"value\", name=~\"regex\" or name!~\"regex\")");
    }
    i += type.operator().length();
    String raw = text.substring(i).strip();
    if (raw.isEmpty()) {
      throw new MatcherSyntaxException("matcher value is not present: " + text);
    }
    return of(type, name, unescape(raw));
  }

  /** Unescapes a raw value, quoted or not, with OpenMetrics escapes. */
  private static String unescape(String raw) {
    boolean quoted = raw.charAt(0) == '"';
    String body = quoted ? raw.substring(1) : raw;
    StringBuilder out = new StringBuilder(body.length());
    boolean closed = !quoted;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        char next = body.charAt(++i);
        switch (next) {
          case 'n' -> out.append('\n');
          case '"', '\\' -> out.append(next);
          default -> out.append('\\').append(next);
        }
      } else if (c == '"') {
        if (!quoted || i != body.length() - 1) {
          throw new MatcherSyntaxException("matcher value contains unescaped double quote: " + raw);
        }
        closed = true;
      } else {
        out.append(c);
      }
    }
    if (!closed) {
      throw new MatcherSyntaxException("matcher value contains unescaped double quote: " + raw);
    }
    return out.toString();
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isNameChar(char c, boolean first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
        || (!first && c >= '0' && c <= '9');
  }

  /** Returns true for a Prometheus label name as the matcher syntax accepts it. */
  static boolean isLabelName(@Nullable String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isNameChar(name.charAt(i), i == 0)) {
        return false;
      }
    }
    return true;
  }

  private static Pattern compileAnchored(String regex) {
    try {
      // Compiled alone first, so "a)|(b" cannot escape the anchoring group.
      Pattern.compile(regex);
      return Pattern.compile("^(?:" + regex + ")$");
    } catch (PatternSyntaxException e) {
      throw new MatcherSyntaxException("invalid regular expression \"" + regex + "\": "
          + e.getDescription() + " (RE2 syntax)");
    }
  }

  /** Returns the operator. */
  public Type type() {
    return type;
  }

  /** Returns the label name. */
  public String name() {
    return name;
  }

  /** Returns the value as given: the literal, or the unanchored regular expression. */
  public String value() {
    return value;
  }

  /**
   * Tests one label value; pass {@code ""} for a label that is absent.
   *
   * @param labelValue the value of this matcher's label
   * @return true when the value satisfies the matcher
   */
  public boolean matchesValue(String labelValue) {
    return switch (type) {
      case EQUAL -> labelValue.equals(value);
      case NOT_EQUAL -> !labelValue.equals(value);
      case REGEX_MATCH -> Objects.requireNonNull(pattern).matcher(labelValue).matches();
      case NOT_REGEX_MATCH -> !Objects.requireNonNull(pattern).matcher(labelValue).matches();
    };
  }

  /**
   * Tests a label set. A label the set does not carry is treated as the empty string, as in
   * Alertmanager.
   */
  public boolean matches(Labels labels) {
    String v = labels.get(name);
    return matchesValue(v == null ? "" : v);
  }

  /**
   * Renders the matcher in the syntax {@link #parse} reads back, e.g. {@code a=~"x\"y"}.
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(name).append(type.operator()).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }
}
