package dev.alertdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphSettingsTest {
  private static Settings load(String... keysAndValues) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      env.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Settings.load(env);
  }

  @Test
  void defaultsAreOneHourFiveSecondsAndUpload() {
    GraphSettings g = load().graphs();
    assertThat(g.lookback()).isEqualTo(Duration.ofHours(1));
    assertThat(g.prometheusTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(g.imageDelivery()).isEqualTo(GraphSettings.ImageDelivery.UPLOAD);
    assertThat(g.timeZone()).isEqualTo(ZoneId.systemDefault());
  }

  @Test
  void valuesAreRead() {
    GraphSettings g = load("GRAPH_LOOKBACK", "30m", "PROMETHEUS_TIMEOUT", "1500ms",
        "IMAGE_DELIVERY", "URL", "BASE_URL", "https://alertdesk.example.com/",
        "GRAPH_TIME_ZONE", "Europe/Berlin").graphs();
    assertThat(g.lookback()).isEqualTo(Duration.ofMinutes(30));
    assertThat(g.prometheusTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(g.imageDelivery()).isEqualTo(GraphSettings.ImageDelivery.URL);
    assertThat(g.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> load("IMAGE_DELIVERY", "url"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("IMAGE_DELIVERY: url needs BASE_URL");
    assertThatThrownBy(() -> load("IMAGE_DELIVERY", "email"))
        .hasMessage("IMAGE_DELIVERY: must be upload or url, got \"email\"");
    assertThatThrownBy(() -> load("GRAPH_LOOKBACK", "10s"))
        .hasMessage("GRAPH_LOOKBACK: must be between 1m and 7d, got 10s");
    assertThatThrownBy(() -> load("GRAPH_LOOKBACK", "an hour"))
        .hasMessageStartingWith("GRAPH_LOOKBACK: \"an hour\" is not a duration");
    assertThatThrownBy(() -> load("PROMETHEUS_TIMEOUT", "2m"))
        .hasMessage("PROMETHEUS_TIMEOUT: must be between 100ms and 60s, got 2m");
    assertThatThrownBy(() -> load("GRAPH_TIME_ZONE", "Mars/Olympus"))
        .hasMessageStartingWith("GRAPH_TIME_ZONE: unknown time zone \"Mars/Olympus\"");
  }

  @Test
  void theConfigFileAcceptsTheGraphKeys(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("alertdesk.yml");
    java.nio.file.Files.writeString(file, "graph_lookback: 2h\nimage_delivery: upload\n");
    assertThat(load("CONFIG_FILE", file.toString()).graphs().lookback())
        .isEqualTo(Duration.ofHours(2));
  }
}
