package dev.alertdesk.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.slack.SilenceChoice;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandParserTest {
  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of("", new Verb.ListOpen()),
        Arguments.of("   ", new Verb.ListOpen()),
        Arguments.of("list", new Verb.ListOpen()),
        Arguments.of("LIST", new Verb.ListOpen()),
        Arguments.of("show 42", new Verb.Show(42)),
        Arguments.of("show #42", new Verb.Show(42)),
        Arguments.of("ack 7", new Verb.Acknowledge(7)),
        Arguments.of("acknowledge  7 ", new Verb.Acknowledge(7)),
        Arguments.of("silence 42 4h", new Verb.Silence(42, SilenceChoice.FOUR_HOURS)),
        Arguments.of("silence 42 RESOLVED", new Verb.Silence(42, SilenceChoice.UNTIL_RESOLVED)),
        Arguments.of("unsilence 42", new Verb.Unsilence(42)),
        Arguments.of("help", new Verb.Help()));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void readsEveryVerb(String text, Verb expected) {
    assertThat(CommandParser.parse(text)).isEqualTo(expected);
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("frobnicate", "unknown command `frobnicate`"),
        Arguments.of("ack", "ack needs an incident number"),
        Arguments.of("ack x", "`x` is not an incident number"),
        Arguments.of("ack 0", "`0` is not an incident number"),
        Arguments.of("ack -3", "`-3` is not an incident number"),
        Arguments.of("ack 99999999999999999999", "is not an incident number"),
        Arguments.of("ack ٤٢", "is not an incident number"),
        Arguments.of("ack 42 43", "unexpected `43` after `ack`"),
        Arguments.of("list now", "unexpected `now` after `list`"),
        Arguments.of("show", "show needs an incident number"),
        Arguments.of("silence 42", "silence needs an incident number and a duration"),
        Arguments.of("silence 42 9y", "`9y` is not a silence duration; use one of `1h`, `4h`, "
            + "`24h`, `resolved`"),
        Arguments.of("silence x 4h", "`x` is not an incident number"),
        Arguments.of("silence 42 4h now", "unexpected `now` after `silence`"),
        Arguments.of("x".repeat(501), "the command is too long"),
        Arguments.of("`rm` 1", "unknown command `'rm'`"));
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void answersMistakesWithTheProblem(String text, String problem) {
    assertThat(CommandParser.parse(text)).isInstanceOfSatisfying(Verb.Usage.class,
        u -> assertThat(u.problem()).contains(problem));
  }

  @Test
  void quotesAtMostFortyCharactersOfBadInput() {
    Verb v = CommandParser.parse("y".repeat(300));
    assertThat(((Verb.Usage) v).problem()).hasSizeLessThan(80).endsWith("…`");
  }
}
