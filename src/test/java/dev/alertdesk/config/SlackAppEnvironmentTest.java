package dev.alertdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The autometrics slack-app's environment read as Alertdesk settings: {@code BASE_URL=""} is
 * unset, {@code RUST_LOG} stands in for an unset {@code LOG_LEVEL}, {@code EXPLORER_URL} is read,
 * and {@code PROMETHEUS_URL} keeps its path.
 */
class SlackAppEnvironmentTest {
  @TempDir Path dir;

  @Test
  void anEmptyBaseUrlMeansUnsetInTheEnvironmentAndInTheFile() throws IOException {
    assertThat(Settings.load(Map.of("BASE_URL", "")).baseUrl()).isNull();
    Path file = dir.resolve("a.yml");
    Files.writeString(file, "base_url: \"\"\n");
    assertThat(Settings.load(Map.of("CONFIG_FILE", file.toString())).baseUrl()).isNull();
  }

  @Test
  void rustLogSetsTheLevelOnlyWhenLogLevelIsUnset() {
    assertThat(Settings.load(Map.of("RUST_LOG", "debug")).logLevel()).isEqualTo("debug");
    assertThat(Settings.load(Map.of("RUST_LOG", "debug", "LOG_LEVEL", "warn")).logLevel())
        .isEqualTo("warn");
    assertThat(Settings.load(Map.of()).logLevel()).isEqualTo("info");
  }

  @ParameterizedTest(name = "RUST_LOG={0} reads as {1}")
  @CsvSource(delimiter = ';', value = {
      "info; info",
      "WARN; warn",
      "slack_app=debug; debug",
      "slack_app=debug,tower_http=warn; debug",
      "warn,slack_app=trace; warn",
      "slack_app[request]=trace; trace",
      "off; error",
      "nonsense; info",
      "' '; info"})
  void rustLogFiltersMapToOneLevel(String rustLog, String level) {
    assertThat(LogSetup.levelOfRustLog(rustLog)).isEqualTo(level);
  }

  @Test
  void explorerUrlIsReadAndMustBeHttp() {
    assertThat(Settings.load(Map.of("EXPLORER_URL", "http://localhost:6789/")).explorerUrl())
        .isEqualTo("http://localhost:6789");
    assertThat(Settings.load(Map.of()).explorerUrl()).isNull();
    assertThatThrownBy(() -> Settings.load(Map.of("EXPLORER_URL", "javascript:alert(1)")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("EXPLORER_URL:");
  }

  @Test
  void prometheusUrlKeepsItsPathPrefix() {
    assertThat(Settings.load(Map.of("PROMETHEUS_URL", "http://prometheus:9090/prometheus/"))
        .prometheusUrl()).isEqualTo("http://prometheus:9090/prometheus");
  }
}
