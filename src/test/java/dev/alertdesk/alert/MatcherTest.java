package dev.alertdesk.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.alertdesk.alert.Matcher.Type;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Matcher syntax and semantics. The parse table follows the cases of Alertmanager's
 * {@code pkg/labels/parse_test.go} (TestMatchers); the semantics follow its
 * {@code matcher.go} (anchored regexes, absent label = empty string).
 */
final class MatcherTest {
  static Stream<Arguments> validLists() {
    return Stream.of(
        Arguments.of("{foo=\"bar\"}", List.of(m(Type.EQUAL, "foo", "bar"))),
        Arguments.of("{foo=~\"bar.*\"}", List.of(m(Type.REGEX_MATCH, "foo", "bar.*"))),
        Arguments.of("{foo!=\"bar\"}", List.of(m(Type.NOT_EQUAL, "foo", "bar"))),
        Arguments.of("{foo!~\"bar.*\"}", List.of(m(Type.NOT_REGEX_MATCH, "foo", "bar.*"))),
        Arguments.of("{foo=\"bar\", baz!=\"quux\"}",
            List.of(m(Type.EQUAL, "foo", "bar"), m(Type.NOT_EQUAL, "baz", "quux"))),
        Arguments.of("{foo=\"bar\",baz!~\".*quux\", derp=\"wat\"}",
            List.of(m(Type.EQUAL, "foo", "bar"), m(Type.NOT_REGEX_MATCH, "baz", ".*quux"),
                m(Type.EQUAL, "derp", "wat"))),
        Arguments.of("{foo=\"bar\", instance=~\"some-api.*\"}",
            List.of(m(Type.EQUAL, "foo", "bar"), m(Type.REGEX_MATCH, "instance", "some-api.*"))),
        Arguments.of("{foo=\"\"}", List.of(m(Type.EQUAL, "foo", ""))),
        Arguments.of("{foo=\"bar,quux\", job=\"job1\"}",
            List.of(m(Type.EQUAL, "foo", "bar,quux"), m(Type.EQUAL, "job", "job1"))),
        Arguments.of("{foo = \"bar\", dings != \"bums\", }",
            List.of(m(Type.EQUAL, "foo", "bar"), m(Type.NOT_EQUAL, "dings", "bums"))),
        Arguments.of("foo=bar,dings!=bums",
            List.of(m(Type.EQUAL, "foo", "bar"), m(Type.NOT_EQUAL, "dings", "bums"))),
        Arguments.of("{quote=\"She said: \\\"Hi, ladies! That's gender-neutral…\\\"\"}",
            List.of(m(Type.EQUAL, "quote", "She said: \"Hi, ladies! That's gender-neutral…\""))),
        Arguments.of("statuscode=~\"5..\"", List.of(m(Type.REGEX_MATCH, "statuscode", "5.."))),
        Arguments.of("tricky=~~~", List.of(m(Type.REGEX_MATCH, "tricky", "~~"))),
        Arguments.of("trickier==\\\\=\\=\\\"", List.of(m(Type.EQUAL, "trickier", "=\\=\\=\""))),
        Arguments.of("contains_quote != \"\\\"\" , contains_comma !~ \"foo,bar\" , ",
            List.of(m(Type.NOT_EQUAL, "contains_quote", "\""),
                m(Type.NOT_REGEX_MATCH, "contains_comma", "foo,bar"))),
        Arguments.of("{city=\"Zürich\", emoji=~\"🔥.*\"}",
            List.of(m(Type.EQUAL, "city", "Zürich"), m(Type.REGEX_MATCH, "emoji", "🔥.*"))),
        Arguments.of("line=\"a\\nb\"", List.of(m(Type.EQUAL, "line", "a\nb"))),
        Arguments.of("{}", List.of()),
        Arguments.of("", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validLists")
  void parsesAlertmanagerMatcherLists(String input, List<Matcher> expected) {
    assertThat(Matchers.parse(input).matchers()).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> invalidLists() {
    return Stream.of(
        Arguments.of("job=", "matcher value is not present: job="),
        Arguments.of("job=\"value", "matcher value contains unescaped double quote: \"value"),
        Arguments.of("job=value\"", "matcher value contains unescaped double quote: value\""),
        Arguments.of("trickier==\\\\=\\=\\\"\"",
            "matcher value contains unescaped double quote: =\\\\=\\=\\\"\""),
        Arguments.of("contains_unescaped_quote = foo\"bar",
            "matcher value contains unescaped double quote: foo\"bar"),
        Arguments.of("{invalid-name = \"valid label\"}", "bad matcher format: invalid-name"),
        Arguments.of("{foo=~\"invalid[regexp\"}", "invalid regular expression \"invalid[regexp\""),
        Arguments.of("\"{foo=\\\"bar\"}", "bad matcher format: \"{foo=\\\"bar\""),
        Arguments.of("\"foo=\\\"bar\"", "bad matcher format: \"foo=\\\"bar\""),
        Arguments.of("\"foo=\"bar\"\"", "bad matcher format: \"foo=\"bar\"\""),
        Arguments.of("foo", "bad matcher format: foo"),
        Arguments.of("a=\"1\",,b=\"2\"", "bad matcher format: "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidLists")
  void rejectsWhatAlertmanagerRejects(String input, String messageStart) {
    assertThatThrownBy(() -> Matchers.parse(input))
        .isInstanceOf(MatcherSyntaxException.class)
        .hasMessageStartingWith(messageStart);
  }

  /** Labels {foo=bar, baz=qux, id=12}, the example of Grafana's and Alertmanager's docs. */
  private static final Labels ALERT = Labels.of("foo", "bar", "baz", "qux", "id", "12");

  static Stream<Arguments> semantics() {
    return Stream.of(
        Arguments.of("foo=\"bar\"", true),
        Arguments.of("foo!=\"bar\"", false),
        Arguments.of("id=~\"[0-9]+\"", true),
        Arguments.of("baz!~\"[0-9]+\"", true),
        // Anchoring: the whole value must match.
        Arguments.of("foo=~\"ba\"", false),
        Arguments.of("foo=~\"a\"", false),
        Arguments.of("foo=~\"b.*\"", true),
        Arguments.of("foo=~\"bar|x\"", true),
        Arguments.of("foo=~\"x|bar\"", true),
        Arguments.of("foo!~\"ba\"", true),
        Arguments.of("id=~\"1\"", false),
        Arguments.of("id=~\"^12$\"", true),
        // A missing label equals the empty string.
        Arguments.of("team=\"\"", true),
        Arguments.of("team!=\"\"", false),
        Arguments.of("team=~\".*\"", true),
        Arguments.of("team=~\".+\"", false),
        Arguments.of("team!~\".+\"", true),
        Arguments.of("team!=\"ops\"", true),
        Arguments.of("team=\"ops\"", false),
        // Flags and RE2 forms.
        Arguments.of("foo=~\"(?i)BAR\"", true),
        Arguments.of("foo=~\"(?P<x>b)ar\"", true),
        Arguments.of("id=~\"[[:digit:]]+\"", true),
        Arguments.of("foo=~\"[[:^digit:]]+\"", true),
        Arguments.of("foo=~\"[[]?bar\"", true),
        Arguments.of("foo=~\"[a&&z]+\"", false),
        Arguments.of("foo=~\"[]a]*bar\"", true));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("semantics")
  void matchesWithAlertmanagerSemantics(String matcher, boolean expected) {
    assertThat(Matcher.parse(matcher).matches(ALERT)).isEqualTo(expected);
  }

  @Test
  void utf8ValuesCompareByCodePointsAndRegexCaseFoldingIsUnicode() {
    Labels labels = Labels.of("city", "Zürich", "team", "ÆØÅ-ops");

    assertThat(Matcher.parse("city=\"Zürich\"").matches(labels)).isTrue();
    assertThat(Matcher.parse("city=\"Zurich\"").matches(labels)).isFalse();
    assertThat(Matcher.parse("city=~\"Z.rich\"").matches(labels)).isTrue();
    assertThat(Matcher.parse("team=~\"(?i)æøå-.*\"").matches(labels)).isTrue();
  }

  @Test
  void everyOperatorParsesWithAndWithoutSpaces() {
    assertThat(Matcher.parse("a=\"1\"").type()).isEqualTo(Type.EQUAL);
    assertThat(Matcher.parse(" a != \"1\" ").type()).isEqualTo(Type.NOT_EQUAL);
    assertThat(Matcher.parse("a=~\"1\"").type()).isEqualTo(Type.REGEX_MATCH);
    assertThat(Matcher.parse("a !~ 1").type()).isEqualTo(Type.NOT_REGEX_MATCH);
    assertThat(Matcher.parse("a:b_c = x").name()).isEqualTo("a:b_c");
  }

  static Stream<String> notRe2() {
    return Stream.of("(?=a)a", "(?!a)b", "(?<=a)b", "(?<!a)b", "(?>a)", "(a)\\1", "a*+",
        "a++", "a?+", "a{2}+", "a\\Z", "[[:nope:]]", "a\\", "a)|(b");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notRe2")
  void rejectsRegexConstructsRe2DoesNotHave(String regex) {
    assertThatThrownBy(() -> Matcher.of(Type.REGEX_MATCH, "a", regex))
        .isInstanceOf(MatcherSyntaxException.class)
        .hasMessageContaining("invalid regular expression");
  }

  @Test
  void aPathologicalRegexOverALongValueFinishesInLinearTime() {
    // (.*a){14} on 28 characters took 2.4 s with java.util.regex (backtracking); 30 took 9.6 s.
    // RE2 runs in time linear in the value: 100,000 characters here, well under the bound.
    Matcher hostile = Matcher.parse("v=~\"(.*a){14}\"");
    Matcher nested = Matcher.parse("v=~\"(a|aa|a*)*b\"");
    String value = "a".repeat(100_000) + "!";
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      assertThat(hostile.matchesValue("a".repeat(30) + "!")).isFalse();
      assertThat(hostile.matchesValue(value)).isFalse();
      assertThat(nested.matchesValue(value)).isFalse();
      assertThat(hostile.matchesValue("a".repeat(14))).isTrue();
    });
  }

  @Test
  void re2SyntaxThatJavaLacksIsAccepted() {
    assertThat(Matcher.parse("v=~\"(?P<x>ab)[[:digit:]]+\"").matchesValue("ab12")).isTrue();
    assertThat(Matcher.parse("v=~\"(?U)a+\"").matchesValue("aaa")).isTrue();
    assertThat(Matcher.parse("v=~\"(?i)Ä\"").matchesValue("ä")).isTrue();
  }

  @Test
  void toStringRoundTripsThroughParse() {
    for (String text : List.of("a=\"b\"", "quote!=\"say \\\"hi\\\"\"", "re=~\"a\\\\d+\"",
        "nl!~\"x\\ny\"")) {
      Matcher matcher = Matcher.parse(text);
      assertThat(matcher.toString()).isEqualTo(text);
      assertThat(Matcher.parse(matcher.toString())).isEqualTo(matcher);
    }
    Matchers list = Matchers.parse("{a=\"1\", b=~\"x,y\"}");
    assertThat(Matchers.parse(list.toString())).isEqualTo(list);
  }

  @Test
  void aListMatchesOnlyWhenEveryMatcherMatchesAndTheEmptyListMatchesEverything() {
    assertThat(Matchers.parse("{foo=\"bar\", id=~\"1.\"}").matches(ALERT)).isTrue();
    assertThat(Matchers.parse("{foo=\"bar\", id=~\"1\"}").matches(ALERT)).isFalse();
    assertThat(Matchers.ALL.matches(ALERT)).isTrue();
    assertThat(Matchers.parseEach(List.of("severity=\"critical\"",
        "namespace=~\"checkout|payments\"")).matches(
            Labels.of("severity", "critical", "namespace", "payments"))).isTrue();
  }

  @Test
  void ofRejectsInvalidLabelNames() {
    assertThatThrownBy(() -> Matcher.of(Type.EQUAL, "1abc", "x"))
        .isInstanceOf(MatcherSyntaxException.class)
        .hasMessageContaining("invalid label name");
  }

  private static Matcher m(Type type, String name, String value) {
    return Matcher.of(type, name, value);
  }
}
