package dev.alertdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.enrich.PrometheusDatasource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code prometheus} section of {@code CONFIG_FILE}, and how an entry matches an alert. */
class PrometheusConfigTest {
  private static final Path FILE = Path.of("alertdesk.yml");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static List<PrometheusDatasource> parse(String yaml, Map<String, String> env) {
    return PrometheusConfig.parse(FILE, yaml, env, DEFAULT_TIMEOUT);
  }

  @Test
  void readsTheEntriesOfTheIssueInFileOrderWithTheirOwnSettings() {
    List<PrometheusDatasource> list = parse("""
        prometheus:
          - {name: eu, url: http://prom-eu:9090, match_generator_url: "http://prom-eu.internal:9090"}
          - name: us
            url: http://thanos-query:9090/
            match_labels: {cluster: us-east-1}
            timeout: 2s
            bearer_token_env: THANOS_TOKEN
            headers: {X-Scope-OrgID: team-a}
          - name: basic
            url: https://mimir.example/prometheus
            match_labels: {region: ap}
            basic_auth: {username: grafana, password: "${MIMIR_PASSWORD}"}
        """, Map.of("THANOS_TOKEN", "t0ken", "MIMIR_PASSWORD", "s3cret"));

    assertThat(list).extracting(PrometheusDatasource::name).containsExactly("eu", "us", "basic");
    PrometheusDatasource eu = list.get(0);
    assertThat(eu.url()).isEqualTo("http://prom-eu:9090");
    assertThat(eu.matchGeneratorUrl()).isEqualTo("http://prom-eu.internal:9090");
    assertThat(eu.timeout()).isEqualTo(DEFAULT_TIMEOUT);
    assertThat(eu.authorization()).isNull();
    PrometheusDatasource us = list.get(1);
    assertThat(us.url()).isEqualTo("http://thanos-query:9090");
    assertThat(us.matchLabels()).containsExactly(Map.entry("cluster", "us-east-1"));
    assertThat(us.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(us.authorization()).isEqualTo("Bearer t0ken");
    assertThat(us.headers()).containsExactly(Map.entry("X-Scope-OrgID", "team-a"));
    assertThat(list.get(2).authorization()).isEqualTo("Basic " + Base64.getEncoder()
        .encodeToString("grafana:s3cret".getBytes(StandardCharsets.UTF_8)));
    assertThat(list.toString()).doesNotContain("t0ken").doesNotContain("s3cret")
        .doesNotContain("team-a");
  }

  @Test
  void noFileOrNoSectionMeansNoEntries() {
    assertThat(PrometheusConfig.load(null, Map.of(), DEFAULT_TIMEOUT)).isEmpty();
    assertThat(parse("routes: []\n", Map.of())).isEmpty();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "prometheus: {name: eu}| alertdesk.yml line 1: prometheus: must be a list",
      "prometheus:\\n  - {url: http://a:9090, match_labels: {a: b}}| alertdesk.yml line 2: prometheus[0].name: required",
      "prometheus:\\n  - {name: eu, match_labels: {a: b}}| alertdesk.yml line 2: prometheus[0].url: required",
      "prometheus:\\n  - {name: eu, url: ftp://a, match_labels: {a: b}}| alertdesk.yml line 2: prometheus[0].url: must be an http:// or https:// URL",
      "prometheus:\\n  - {name: eu, url: http://a:9090}| alertdesk.yml line 2: prometheus[0]: needs match_generator_url or match_labels, or it is never chosen",
      "prometheus:\\n  - {name: default, url: http://a:9090, match_labels: {a: b}}| alertdesk.yml line 2: prometheus[0].name: \"default\" is the name of PROMETHEUS_URL; choose another",
      "prometheus:\\n  - {name: eu, url: http://a:9090, match_labels: {a: b}}\\n  - {name: EU, url: http://b:9090, match_labels: {a: c}}| alertdesk.yml line 3: prometheus[1].name: \"EU\" is used twice",
      "prometheus:\\n  - {name: eu, url: http://a:9090, match_labels: {a: b}, tls: true}| alertdesk.yml line 2: prometheus[0].tls: unknown key; known keys are basic_auth, bearer_token_env, headers, match_generator_url, match_labels, name, timeout, url",
      "prometheus:\\n  - {name: eu, url: http://a:9090, match_labels: {a: b}, timeout: 2m}| alertdesk.yml line 2: prometheus[0].timeout: must be between 100ms and 60s, got 2m",
      "prometheus:\\n  - {name: eu, url: http://a:9090, match_labels: {a: b}, bearer_token_env: NOPE}| alertdesk.yml line 2: prometheus[0].bearer_token_env: NOPE is not set in the environment",
      "prometheus:\\n  - {name: eu, url: http://a:9090, match_labels: {a: b}, headers: {Authorization: x}}| alertdesk.yml line 2: prometheus[0].headers.Authorization: set by Alertdesk itself; use basic_auth or bearer_token_env",
      "prometheus:\\n  - {name: eu, url: http://a:9090, match_labels: {0bad: b}}| alertdesk.yml line 2: prometheus[0].match_labels.0bad: not a valid label name"})
  void invalidEntriesAreRejectedNamingFileLineAndKey(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void anEntryMatchesByGeneratorUrlPrefixAtAUrlBoundaryOrByAllItsLabels() {
    PrometheusDatasource eu = new PrometheusDatasource("eu", "http://prom-eu:9090",
        "http://prom-eu.internal:9090", Map.of(), DEFAULT_TIMEOUT, null, Map.of());
    PrometheusDatasource us = new PrometheusDatasource("us", "http://thanos:9090", null,
        Map.of("cluster", "us-east-1", "env", "prod"), DEFAULT_TIMEOUT, null, Map.of());

    assertThat(eu.matches(alert("http://prom-eu.internal:9090/graph?g0.expr=up", Map.of())))
        .isTrue();
    assertThat(eu.matches(alert("HTTP://PROM-EU.internal:9090/graph", Map.of()))).isTrue();
    assertThat(eu.matches(alert("http://prom-eu.internal:90901/graph", Map.of()))).isFalse();
    assertThat(eu.matches(alert("http://prom-eu.internal.evil:9090/graph", Map.of()))).isFalse();
    assertThat(eu.matches(alert(null, Map.of()))).isFalse();
    assertThat(us.matches(alert(null, Map.of("cluster", "us-east-1", "env", "prod")))).isTrue();
    assertThat(us.matches(alert(null, Map.of("cluster", "us-east-1")))).isFalse();
    assertThat(us.matches(alert(null, Map.of("cluster", "us-east-1", "env", "dev")))).isFalse();
  }

  @Test
  void checkConfigRejectsAnInvalidPrometheusSectionThroughSettings() throws Exception {
    Path file = java.nio.file.Files.createTempFile("alertdesk", ".yml");
    try {
      java.nio.file.Files.writeString(file, "prometheus:\n  - {name: eu, url: http://a:9090}\n");
      assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", file.toString())))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("line 2: prometheus[0]: needs match_generator_url");
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  private static Alert alert(String generatorUrl, Map<String, String> labels) {
    return new Alert("0000000000000001", AlertStatus.FIRING, new Labels(labels), Labels.EMPTY,
        Instant.parse("2026-12-04T10:00:00Z"), null, generatorUrl);
  }
}
