package dev.alertdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The history settings: {@code RETENTION}, {@code UI_BASIC_AUTH}, {@code API_BEARER_TOKEN}. */
class HistorySettingsTest {
  @Test
  void retentionDefaultsToNinetyDaysAndTheUiIsOpen() {
    Settings s = Settings.load(Map.of());
    assertThat(s.retention()).isEqualTo(Duration.ofDays(90));
    assertThat(s.uiBasicAuth()).isNull();
    assertThat(s.apiBearerToken()).isNull();
  }

  @Test
  void readsTheHistorySettingsAndMasksTheSecrets() {
    Settings s = Settings.load(Map.of("RETENTION", "30d", "UI_BASIC_AUTH", "ops:pw-42",
        "API_BEARER_TOKEN", "tok-9f"));
    assertThat(s.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(s.uiBasicAuth()).isEqualTo("ops:pw-42");
    assertThat(s.apiBearerToken()).isEqualTo("tok-9f");
    assertThat(s.toString()).contains("retention=PT720H").doesNotContain("pw-42")
        .doesNotContain("tok-9f");
  }

  @Test
  void invalidValuesNameTheKey() {
    assertThatThrownBy(() -> Settings.load(Map.of("RETENTION", "soon")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("RETENTION:");
    assertThatThrownBy(() -> Settings.load(Map.of("RETENTION", "10m")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("RETENTION:");
    assertThatThrownBy(() -> Settings.load(Map.of("RETENTION", "200y")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("RETENTION:");
    assertThatThrownBy(() -> Settings.load(Map.of("UI_BASIC_AUTH", "no-colon")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("UI_BASIC_AUTH:");
  }
}
