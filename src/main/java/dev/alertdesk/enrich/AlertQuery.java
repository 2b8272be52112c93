package dev.alertdesk.enrich;

import dev.alertdesk.alert.Alert;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The PromQL to graph for an alert, and its split into the series and the threshold.
 *
 * <p>The query is the first of: the {@code promql_query} annotation, the {@code graph_expr}
 * annotation, or the rule's expression recovered from {@code generatorURL}, where Prometheus
 * writes it as the {@code g0.expr} query parameter (form-encoded: {@code +} is a space). Only the
 * expression is taken from the URL, never its host: queries go to {@code PROMETHEUS_URL}. The
 * alertname is never used as PromQL.
 *
 * <p>When the expression is a comparison at its top level ({@code expr > 0.5}, PromQL's
 * comparison binary operators, prometheus.io/docs/prometheus/latest/querying/operators), the left
 * side is the series and the right side the threshold; a right side made of number literals
 * ({@code 0.5}, {@code (14.4 * 0.001)}, {@code (1 - 0.99)}) is also kept as a number. A scalar
 * on the left ({@code 0.5 < expr}) is swapped to the right.
 *
 * <p>Multi-window rules (Sloth's, Pyrra's burn-rate alerts) combine comparisons with
 * {@code and}, {@code or} and {@code unless}: the first operand is drawn, which in those rules is
 * the fastest window's SLI, never the boolean expression. A comparison inside an aggregation,
 * {@code max(sli > (14.4 * 0.001)) without (sloth_window)}, is drawn as the aggregation of its left
 * side, {@code max(sli) without (sloth_window)}, with its right side as the threshold.
 *
 * @param expr the chosen query as written
 * @param source where it came from
 * @param seriesExpr what to draw and to take the current value of: the left side of a top-level
 *     comparison, else {@code expr}
 * @param thresholdExpr the right side of the comparison, or null when there is none
 * @param threshold the right side's value when it is a number literal, else null
 * @param comparison the comparison operator with the series on its left ({@code >}, {@code <},
 *     {@code >=}, {@code <=}, {@code ==}, {@code !=}; {@code 0.9 < x} is read as {@code x > 0.9}),
 *     or null when there is none
 */
public record AlertQuery(
    String expr,
    Source source,
    String seriesExpr,
    @Nullable String thresholdExpr,
    @Nullable Double threshold,
    @Nullable String comparison) {

  /** Returns true for an equality rule ({@code ==} or {@code !=}), which has no threshold to cross. */
  public boolean isEquality() {
    return "==".equals(comparison) || "!=".equals(comparison);
  }

  /** The longest query taken, in characters; longer ones are ignored. */
  public static final int MAX_QUERY_CHARS = 10_000;

  /** Where the query came from. */
  public enum Source {
    /** The {@code promql_query} annotation. */
    PROMQL_QUERY_ANNOTATION,
    /** The {@code graph_expr} annotation. */
    GRAPH_EXPR_ANNOTATION,
    /** The {@code g0.expr} parameter of the alert's {@code generatorURL}. */
    GENERATOR_URL
  }

  private static final Set<String> SET_OPERATORS = Set.of("and", "or", "unless");
  /**
   * An aggregation around the whole expression: {@code max(…) without (…)} or
   * {@code sum by (…) (…)}; groups: operator, leading modifier, argument, trailing modifier.
   */
  private static final Pattern AGGREGATION = Pattern.compile(
      "(sum|min|max|avg|group|count|stddev|stdvar)\\s*((?:by|without)\\s*\\([^()]*\\))?\\s*"
          + "\\((.*?)\\)\\s*((?:by|without)\\s*\\([^()]*\\))?", Pattern.DOTALL);
  private static final Set<String> MODIFIERS = Set.of("on", "ignoring", "group_left", "group_right");
  private static final Pattern NUMBER = Pattern.compile(
      "[+-]?(?:(?:\\d[\\d_]*(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|0[xX][0-9a-fA-F]+|[iI][nN][fF]|[nN][aA][nN])");

  /**
   * Chooses the query of one alert.
   *
   * @return the query, or empty when the alert has none of the three sources
   */
  public static Optional<AlertQuery> of(Alert alert) {
    String q = usable(alert.annotations().get("promql_query"));
    if (q != null) {
      return Optional.of(split(q, Source.PROMQL_QUERY_ANNOTATION));
    }
    q = usable(alert.annotations().get("graph_expr"));
    if (q != null) {
      return Optional.of(split(q, Source.GRAPH_EXPR_ANNOTATION));
    }
    String url = alert.generatorUrl();
    q = url == null ? null : usable(exprFromGeneratorUrl(url));
    return q == null ? Optional.empty() : Optional.of(split(q, Source.GENERATOR_URL));
  }

  /**
   * Returns the {@code g0.expr} parameter of a Prometheus {@code generatorURL}, form-decoded
   * ({@code +} is a space, {@code %2B} a plus, {@code %0A} a newline).
   *
   * @param generatorUrl e.g. {@code http://prom:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1}
   * @return the expression, or null when the URL has none or it is not validly encoded
   */
  public static @Nullable String exprFromGeneratorUrl(String generatorUrl) {
    int q = generatorUrl.indexOf('?');
    if (q < 0) {
      return null;
    }
    String query = generatorUrl.substring(q + 1);
    int hash = query.indexOf('#');
    if (hash >= 0) {
      query = query.substring(0, hash);
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        continue;
      }
      try {
        if (URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals("g0.expr")) {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      } catch (IllegalArgumentException e) {
        return null; // a malformed %-escape
      }
    }
    return null;
  }

  /**
   * Splits an expression at its top-level comparison.
   *
   * @param expr a PromQL expression
   * @param source where it came from
   * @return the query with its series and threshold parts
   */
  public static AlertQuery split(String expr, Source source) {
    String body = stripComments(expr).strip();
    // Comparisons bind tighter than and/unless/or: the first operand of a set operation is drawn
    // (for "and"/"unless" it is what fires; for "or" of multi-window rules, the first window).
    String candidate = unwrap(body);
    for (int depth = 0; depth < 8; depth++) {
      Scan scan = new Scan(candidate);
      if (scan.setOperatorAt <= 0) {
        break;
      }
      candidate = unwrap(candidate.substring(0, scan.setOperatorAt).strip());
    }
    Scan cmp = new Scan(candidate);
    String aggregation = null;
    String modifier = "";
    if (cmp.comparisonAt < 0) {
      java.util.regex.Matcher agg = AGGREGATION.matcher(candidate);
      if (agg.matches()) {
        String inner = unwrap(agg.group(3).strip());
        Scan innerCmp = new Scan(inner);
        if (innerCmp.comparisonAt >= 0 && new Scan(inner).setOperatorAt < 0
            && closes("(" + agg.group(3) + ")") == agg.group(3).length() + 1) {
          aggregation = agg.group(1);
          modifier = agg.group(2) != null ? agg.group(2).strip()
              : agg.group(4) != null ? agg.group(4).strip() : "";
          candidate = inner;
          cmp = innerCmp;
        }
      }
    }
    if (cmp.comparisonAt < 0) {
      return new AlertQuery(expr, source, candidate.equals(unwrap(body)) ? body : candidate,
          null, null, null);
    }
    String left = unwrap(candidate.substring(0, cmp.comparisonAt).strip());
    String right = stripModifiers(candidate.substring(cmp.comparisonAt + cmp.comparison.length()));
    String op = cmp.comparison;
    if (aggregation != null && number(left) == null) {
      left = aggregation + "(" + left + ")" + (modifier.isEmpty() ? "" : " " + modifier);
    }
    if (number(left) != null && number(right) == null) {
      String t = left;
      left = right;
      right = t;
      op = switch (op) {
        case ">" -> "<";
        case "<" -> ">";
        case ">=" -> "<=";
        case "<=" -> ">=";
        default -> op;
      };
    }
    if (left.isEmpty() || right.isEmpty()) {
      return new AlertQuery(expr, source, body, null, null, null);
    }
    return new AlertQuery(expr, source, left, right, number(right), op);
  }

  /**
   * Returns the value of a PromQL number literal, or of plain arithmetic ({@code + - * /}) over
   * number literals such as Sloth's {@code (14.4 * 0.001)} or Pyrra's {@code (1 - 0.99)}, in
   * parentheses or not; else null.
   */
  static @Nullable Double number(String s) {
    Double literal = literal(s);
    if (literal != null) {
      return literal;
    }
    return new Arithmetic(unwrap(s.strip())).value();
  }

  /** Returns the value of one PromQL number literal (in parentheses or not), else null. */
  private static @Nullable Double literal(String s) {
    String t = unwrap(s.strip());
    if (!NUMBER.matcher(t).matches()) {
      return null;
    }
    String n = t.replace("_", "");
    String lower = n.toLowerCase(Locale.ROOT);
    boolean negative = lower.startsWith("-");
    String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
    double v;
    if (unsigned.startsWith("0x")) {
      v = Long.parseLong(unsigned.substring(2), 16);
    } else if (unsigned.equals("inf")) {
      v = Double.POSITIVE_INFINITY;
    } else if (unsigned.equals("nan")) {
      v = Double.NaN;
    } else {
      v = Double.parseDouble(unsigned);
    }
    return negative ? -v : v;
  }

  /** A recursive-descent evaluator of {@code + - * /} and parentheses over number literals. */
  private static final class Arithmetic {
    private final String text;
    private int at;
    private boolean failed;

    Arithmetic(String text) {
      this.text = text;
    }

    @Nullable Double value() {
      if (text.length() > 200) {
        return null;
      }
      double v = sum();
      skipSpace();
      return failed || at != text.length() || !Double.isFinite(v) ? null : v;
    }

    private double sum() {
      double v = product();
      while (!failed) {
        skipSpace();
        if (peek('+')) {
          at++;
          v += product();
        } else if (peek('-')) {
          at++;
          v -= product();
        } else {
          return v;
        }
      }
      return v;
    }

    private double product() {
      double v = factor();
      while (!failed) {
        skipSpace();
        if (peek('*')) {
          at++;
          v *= factor();
        } else if (peek('/')) {
          at++;
          v /= factor();
        } else {
          return v;
        }
      }
      return v;
    }

    private double factor() {
      skipSpace();
      if (peek('(')) {
        at++;
        double v = sum();
        skipSpace();
        if (!peek(')')) {
          failed = true;
          return 0;
        }
        at++;
        return v;
      }
      if (peek('-')) {
        at++;
        return -factor();
      }
      int start = at;
      while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at))
          || text.charAt(at) == '.' || text.charAt(at) == '_'
          || ((text.charAt(at) == '+' || text.charAt(at) == '-') && at > start
              && (text.charAt(at - 1) == 'e' || text.charAt(at - 1) == 'E')))) {
        at++;
      }
      Double v = start == at ? null : literal(text.substring(start, at));
      if (v == null) {
        failed = true;
        return 0;
      }
      return v;
    }

    private boolean peek(char c) {
      return at < text.length() && text.charAt(at) == c;
    }

    private void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }
  }

  private static @Nullable String usable(@Nullable String q) {
    if (q == null || q.isBlank() || q.length() > MAX_QUERY_CHARS) {
      return null;
    }
    return q.strip();
  }

  /** Drops {@code bool}, {@code on(...)}, {@code ignoring(...)}, {@code group_left(...)}. */
  private static String stripModifiers(String right) {
    String s = right.strip();
    while (true) {
      String word = leadingWord(s);
      if (word.equals("bool")) {
        s = s.substring(word.length()).strip();
      } else if (MODIFIERS.contains(word)) {
        s = s.substring(word.length()).strip();
        if (s.startsWith("(")) {
          int close = s.indexOf(')');
          s = close < 0 ? "" : s.substring(close + 1).strip();
        }
      } else {
        return s;
      }
    }
  }

  private static String leadingWord(String s) {
    int i = 0;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      i++;
    }
    return s.substring(0, i).toLowerCase(Locale.ROOT);
  }

  /** Removes parentheses that wrap the whole expression. */
  static String unwrap(String s) {
    String t = s;
    while (t.startsWith("(") && t.endsWith(")") && closes(t) == t.length() - 1) {
      t = t.substring(1, t.length() - 1).strip();
    }
    return t;
  }

  /** Returns the index of the parenthesis closing the one at index 0, or -1. */
  private static int closes(String s) {
    return new Scan(s).firstClose;
  }

  /** Removes {@code #} comments (to the end of the line) outside strings. */
  static String stripComments(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        int end = skipString(s, i);
        out.append(s, i, Math.min(s.length(), end + 1));
        i = end;
      } else if (c == '#') {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
        out.append('\n');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Returns the index of the quote closing the string that starts at {@code start}. */
  private static int skipString(String s, int start) {
    char quote = s.charAt(start);
    for (int i = start + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && quote != '`') {
        i++;
      } else if (c == quote) {
        return i;
      }
    }
    return s.length() - 1;
  }

  /** One pass over an expression at nesting depth 0: its first comparison and set operator. */
  private static final class Scan {
    int comparisonAt = -1;
    String comparison = "";
    int setOperatorAt = -1;
    @Nullable String setOperator;
    /** Where the bracket opened first returns to depth 0, or -1. */
    int firstClose = -1;

    Scan(String s) {
      int depth = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\'' || c == '`') {
          i = skipString(s, i);
          continue;
        }
        if (c == '(' || c == '[' || c == '{') {
          depth++;
          continue;
        }
        if (c == ')' || c == ']' || c == '}') {
          depth--;
          if (depth == 0 && firstClose < 0) {
            firstClose = i;
          }
          continue;
        }
        if (depth != 0) {
          continue;
        }
        if (comparisonAt < 0 && (c == '>' || c == '<' || c == '=' || c == '!')) {
          char next = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
          String op = next == '=' ? "" + c + next : (c == '>' || c == '<') ? "" + c : null;
          if (op != null) {
            comparisonAt = i;
            comparison = op;
            i += op.length() - 1;
            continue;
          }
        }
        if (Character.isLetter(c) && (i == 0 || !isWordChar(s.charAt(i - 1)))) {
          int end = i;
          while (end < s.length() && isWordChar(s.charAt(end))) {
            end++;
          }
          String word = s.substring(i, end).toLowerCase(Locale.ROOT);
          // and, or, unless are keywords, never functions: "or (a > 1)" is a set operation.
          if (SET_OPERATORS.contains(word) && setOperatorAt < 0) {
            setOperatorAt = i;
            setOperator = word;
          } else if (word.equals("or")) {
            setOperator = "or";
          }
          i = end - 1;
        }
      }
    }

    private static boolean isWordChar(char c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }
  }
}
