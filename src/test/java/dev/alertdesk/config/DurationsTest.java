package dev.alertdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class DurationsTest {
  @ParameterizedTest(name = "\"{0}\" is {1}")
  @CsvSource({
      "0,            PT0S",
      "0s,           PT0S",
      "90s,          PT1M30S",
      "30s,          PT30S",
      "5m,           PT5M",
      "1h,           PT1H",
      "1h30m,        PT1H30M",
      "2h15m30s,     PT2H15M30S",
      "1d,           PT24H",
      "1w,           PT168H",
      "1y,           PT8760H",
      "1d12h,        PT36H",
      "100ms,        PT0.1S",
      "1s500ms,      PT1.5S",
      "' 45m ',      PT45M"})
  void parsesPrometheusDurations(String text, String expected) {
    assertThat(Durations.parse(text, "REOPEN_WINDOW")).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(strings = {"", " ", "1", "h", "1.5h", "-1h", "1H", "1h 30m", "soon", "1hour",
      "PT1H", "1h-", "5 m", "0x10s"})
  void rejectsAnythingElseNamingTheKey(String text) {
    assertThatThrownBy(() -> Durations.parse(text, "REOPEN_WINDOW"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("REOPEN_WINDOW: ");
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(strings = {"99999999999999999999s", "9223372036854775807h",
      "9223372036854775807d", "2635249153387078803w", "50539024859478223y",
      "9223372036854775807s9223372036854775807s"})
  void rejectsDurationsTooLargeToRepresentNamingTheKey(String text) {
    assertThatThrownBy(() -> Durations.parse(text, "REOPEN_WINDOW"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("REOPEN_WINDOW: ");
  }

  @ParameterizedTest(name = "{0} reads {1}")
  @CsvSource({
      "PT0S,       0s",
      "PT-5S,      0s",
      "PT45S,      45s",
      "PT59.9S,    59s",
      "PT60S,      1m",
      "PT12M,      12m",
      "PT59M59S,   59m",
      "PT1H,       1h",
      "PT2H5M,     2h 5m",
      "PT23H59M,   23h 59m",
      "PT24H,      1d",
      "PT76H,      3d 4h",
      "PT8760H,    365d"})
  void humanizesDurationsCompactly(String duration, String expected) {
    assertThat(Durations.humanize(Duration.parse(duration))).isEqualTo(expected);
  }
}
