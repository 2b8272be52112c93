package dev.alertdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.noise.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code SENTRY_DSN}, {@code SENTRY_AUTH_TOKEN}, the {@code sentry} section and {@code routes[].sentry}. */
class SentryConfigTest {
  private static final String DSN = "https://5ca1ab1e0ddba11c@o123.ingest.sentry.io/4507";
  private static final String TOKEN = "sntrys_secretTokenValue";

  @TempDir Path dir;

  private Settings load(String yaml, Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    if (yaml != null) {
      Path file = dir.resolve("alertdesk.yml");
      Files.writeString(file, yaml);
      all.put("CONFIG_FILE", file.toString());
    }
    return Settings.load(all);
  }

  @Test
  void offWithoutADsnAndOnWithOne() throws Exception {
    assertThat(load(null, Map.of()).sentry()).isEqualTo(SentrySettings.OFF);
    SentrySettings on = load(null, Map.of("SENTRY_DSN", DSN)).sentry();
    assertThat(on.enabled()).isTrue();
    assertThat(on.resolves()).isFalse();
    assertThat(on.fingerprint()).isEqualTo(SentrySettings.Fingerprint.ALERT);
    assertThat(on.environmentLabel()).isEqualTo("environment");
    assertThat(on.apiUrl()).isEqualTo("https://sentry.io/api/0/");
    assertThat(on.target()).isEqualTo("o123.ingest.sentry.io project 4507");
  }

  @Test
  void readsTheSectionAndTheTokenAndRoutes() throws Exception {
    Settings s = load("""
        sentry:
          organization: acme
          project: alerts
          api_url: https://sentry.example.com/api/0
          environment_label: env
          fingerprint: group_key
          timeout: 3s
        routes:
          - matchers: ['team="db"']
            sentry: false
          - matchers: ['team="web"']
        """, Map.of("SENTRY_DSN", DSN, "SENTRY_AUTH_TOKEN", TOKEN));

    SentrySettings sentry = s.sentry();
    assertThat(sentry.resolves()).isTrue();
    assertThat(sentry.organization()).isEqualTo("acme");
    assertThat(sentry.project()).isEqualTo("alerts");
    assertThat(sentry.apiUrl()).isEqualTo("https://sentry.example.com/api/0/");
    assertThat(sentry.environmentLabel()).isEqualTo("env");
    assertThat(sentry.fingerprint()).isEqualTo(SentrySettings.Fingerprint.GROUP_KEY);
    assertThat(sentry.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.noiseRules().routes()).extracting(Route::sentry).containsExactly(false, null);
  }

  @Test
  void everyBadValueIsReportedWithFileLineAndKey() {
    assertThatThrownBy(() -> load("""
        sentry:
          organisation: acme
          fingerprint: labels
          api_url: ftp://sentry
          environment_label: "not a label"
        routes:
          - sentry: maybe
        """, Map.of("SENTRY_DSN", DSN)))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p ->
            assertThat(p).contains("line 2: sentry.organisation: unknown key"))
            .anySatisfy(p -> assertThat(p).contains("line 3: sentry.fingerprint: must be alert "
                + "or group_key"))
            .anySatisfy(p -> assertThat(p).contains("line 4: sentry.api_url: must be"))
            .anySatisfy(p -> assertThat(p).contains("line 5: sentry.environment_label"))
            .anySatisfy(p -> assertThat(p).contains("routes[0].sentry")));
  }

  @Test
  void aTokenNeedsAnOrganization() {
    assertThatThrownBy(() -> load(null, Map.of("SENTRY_DSN", DSN, "SENTRY_AUTH_TOKEN", TOKEN)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sentry.organization: required when SENTRY_AUTH_TOKEN is set")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
  }

  @Test
  void aBadDsnIsRefusedWithoutShowingIt() {
    String noKey = "https://o123.ingest.sentry.io/4507";
    String noProject = "https://secretkey1234@o123.ingest.sentry.io/";
    String notHttp = "ftp://secretkey1234@o123.ingest.sentry.io/4507";
    for (String dsn : new String[] {noKey, noProject, notHttp}) {
      assertThatThrownBy(() -> load(null, Map.of("SENTRY_DSN", dsn)))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("SENTRY_DSN: ")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(dsn)
              .doesNotContain("secretkey1234"));
    }
  }

  @Test
  void toStringMasksTheDsnKeyAndTheToken() throws Exception {
    Settings s = load("sentry: {organization: acme}\n",
        Map.of("SENTRY_DSN", DSN, "SENTRY_AUTH_TOKEN", TOKEN));
    assertThat(s.toString()).contains("o123.ingest.sentry.io project 4507")
        .doesNotContain("5ca1ab1e0ddba11c").doesNotContain(TOKEN);
  }
}
