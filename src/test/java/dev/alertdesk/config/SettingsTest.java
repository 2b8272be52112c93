package dev.alertdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class SettingsTest {
  @TempDir Path dir;

  @Test
  void defaultsMatchTheDesignTable() {
    Settings s = Settings.load(Map.of());

    assertThat(s.listenHost()).isEqualTo("127.0.0.1");
    assertThat(s.port()).isEqualTo(3031);
    assertThat(s.baseUrl()).isNull();
    assertThat(s.slackBotToken()).isNull();
    assertThat(s.slackSigningSecret()).isNull();
    assertThat(s.slackChannel()).isNull();
    assertThat(s.slackEnabled()).isFalse();
    assertThat(s.slackApiUrl()).isEqualTo("https://slack.com/api/");
    assertThat(s.prometheusUrl()).isEqualTo("http://localhost:9090");
    assertThat(s.alertmanagerUrl()).isEqualTo("http://localhost:9093");
    assertThat(s.storageDir()).isEqualTo(Path.of("./data"));
    assertThat(s.database().kind()).isEqualTo(DatabaseTarget.Kind.SQLITE);
    assertThat(s.database().sqlitePath()).isEqualTo(Path.of("./data/alertdesk.db"));
    assertThat(s.database().sqliteMode()).isEqualTo("rwc");
    assertThat(s.webhookBearerToken()).isNull();
    assertThat(s.webhookBasicAuth()).isNull();
    assertThat(s.configFile()).isNull();
    assertThat(s.logJson()).isFalse();
    assertThat(s.logLevel()).isEqualTo("info");
    assertThat(s.maxPayloadBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(s.reopenWindow()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void theDefaultDatabaseLivesUnderStorageDir() {
    Settings s = Settings.load(Map.of("STORAGE_DIR", "/var/lib/alertdesk"));

    assertThat(s.storageDir()).isEqualTo(Path.of("/var/lib/alertdesk"));
    assertThat(s.database().sqlitePath()).isEqualTo(Path.of("/var/lib/alertdesk/alertdesk.db"));
    assertThat(s.database().jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/alertdesk/alertdesk.db");
  }

  @Test
  void readsEverySettingFromTheEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("LISTEN_HOST", "0.0.0.0");
    env.put("PORT", "8080");
    env.put("BASE_URL", "https://alertdesk.example/");
    env.put("SLACK_BOT_TOKEN", "xoxb-1-2-abc");
    env.put("SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5");
    env.put("SLACK_CHANNEL", "#alerts");
    env.put("SLACK_API_URL", "http://127.0.0.1:4567/api");
    env.put("PROMETHEUS_URL", "http://prometheus:9090/");
    env.put("ALERTMANAGER_URL", "http://alertmanager:9093");
    env.put("STORAGE_DIR", "/srv/alertdesk");
    env.put("DB_CONNECTION_STRING", "postgres://alertdesk:pw@db:5432/alertdesk");
    env.put("WEBHOOK_BEARER_TOKEN", "bearer-token");
    env.put("WEBHOOK_BASIC_AUTH", "am:basic-pw");
    env.put("LOG_JSON", "true");
    env.put("LOG_LEVEL", "DEBUG");
    env.put("MAX_PAYLOAD_BYTES", "2048");
    env.put("REOPEN_WINDOW", "30m");

    Settings s = Settings.load(env);

    assertThat(s.listenHost()).isEqualTo("0.0.0.0");
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.baseUrl()).as("trailing slash dropped").isEqualTo("https://alertdesk.example");
    assertThat(s.slackBotToken()).isEqualTo("xoxb-1-2-abc");
    assertThat(s.slackSigningSecret()).isEqualTo("8f742231b10e8888abcd99yyyzzz85a5");
    assertThat(s.slackChannel()).isEqualTo("#alerts");
    assertThat(s.slackEnabled()).isTrue();
    assertThat(s.slackApiUrl()).as("trailing slash added").isEqualTo("http://127.0.0.1:4567/api/");
    assertThat(s.prometheusUrl()).isEqualTo("http://prometheus:9090");
    assertThat(s.alertmanagerUrl()).isEqualTo("http://alertmanager:9093");
    assertThat(s.storageDir()).isEqualTo(Path.of("/srv/alertdesk"));
    assertThat(s.database().kind()).isEqualTo(DatabaseTarget.Kind.POSTGRESQL);
    assertThat(s.webhookBearerToken()).isEqualTo("bearer-token");
    assertThat(s.webhookBasicAuth()).isEqualTo("am:basic-pw");
    assertThat(s.logJson()).isTrue();
    assertThat(s.logLevel()).isEqualTo("debug");
    assertThat(s.maxPayloadBytes()).isEqualTo(2048);
    assertThat(s.reopenWindow()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void readsSettingsFromConfigFileInLowerCase() throws IOException {
    Path file = write("""
        # Alertdesk settings
        listen_host: 0.0.0.0
        port: 4000
        slack_bot_token: xoxb-from-file
        slack_channel: "#payments-alerts"
        log_json: true
        reopen_window: 2h
        max_payload_bytes: 1048576
        """);

    Settings s = Settings.load(Map.of("CONFIG_FILE", file.toString()));

    assertThat(s.configFile()).isEqualTo(file);
    assertThat(s.listenHost()).isEqualTo("0.0.0.0");
    assertThat(s.port()).isEqualTo(4000);
    assertThat(s.slackBotToken()).isEqualTo("xoxb-from-file");
    assertThat(s.slackChannel()).isEqualTo("#payments-alerts");
    assertThat(s.logJson()).isTrue();
    assertThat(s.reopenWindow()).isEqualTo(Duration.ofHours(2));
    assertThat(s.maxPayloadBytes()).isEqualTo(1_048_576);
  }

  @Test
  void environmentWinsOverConfigFile() throws IOException {
    Path file = write("""
        port: 4000
        listen_host: 0.0.0.0
        log_level: warn
        """);

    Settings s = Settings.load(Map.of("CONFIG_FILE", file.toString(), "PORT", "5000",
        "LOG_LEVEL", "error"));

    assertThat(s.port()).isEqualTo(5000);
    assertThat(s.logLevel()).isEqualTo("error");
    assertThat(s.listenHost()).as("still from the file").isEqualTo("0.0.0.0");
  }

  @Test
  void blankEnvironmentValuesDoNotOverrideTheFile() throws IOException {
    Path file = write("port: 4000\n");

    Settings s = Settings.load(Map.of("CONFIG_FILE", file.toString(), "PORT", "  "));

    assertThat(s.port()).isEqualTo(4000);
  }

  @Test
  void expandsVariablesInsideTheFile() throws IOException {
    Path file = write("""
        slack_bot_token: ${ALERTDESK_SLACK_TOKEN}
        slack_channel: "#${TEAM}-alerts"
        db_connection_string: postgres://alertdesk:${DB_PASSWORD}@db:5432/alertdesk
        """);

    Settings s = Settings.load(Map.of("CONFIG_FILE", file.toString(),
        "ALERTDESK_SLACK_TOKEN", "xoxb-expanded", "TEAM", "payments", "DB_PASSWORD", "pa$$word1"));

    assertThat(s.slackBotToken()).isEqualTo("xoxb-expanded");
    assertThat(s.slackChannel()).isEqualTo("#payments-alerts");
    assertThat(s.database().password()).isEqualTo("pa$$word1");
  }

  @Test
  void expandedSecretsAreTakenVerbatimWhateverYamlSyntaxTheyContain() throws IOException {
    Path file = write("""
        webhook_bearer_token: ${BEARER}
        webhook_basic_auth: ${BASIC}
        slack_bot_token: ${TOKEN}
        slack_channel: "#alerts"
        db_connection_string: ${DB}
        """);
    // Random secrets may begin with YAML's anchor, alias or tag sign, or hold " #" or ": ".
    Map<String, String> env = Map.of("CONFIG_FILE", file.toString(),
        "BEARER", "&Kx9-anchor", "BASIC", "alertmanager:*pa #ss: word", "TOKEN", "!xoxb-tag",
        "DB", "postgres://u:'quoted@db:5432/alertdesk");

    Settings s = Settings.load(env);

    assertThat(s.webhookBearerToken()).isEqualTo("&Kx9-anchor");
    assertThat(s.webhookBasicAuth()).isEqualTo("alertmanager:*pa #ss: word");
    assertThat(s.slackBotToken()).isEqualTo("!xoxb-tag");
    assertThat(s.database().password()).isEqualTo("'quoted");
  }

  @Test
  void anUnsetVariableNamesTheVariableAndLine() throws IOException {
    Path file = write("""
        port: 4000
        slack_channel: "#alerts"
        slack_bot_token: ${NOT_SET_ANYWHERE}
        """);

    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("NOT_SET_ANYWHERE");
  }

  @Test
  void anUnknownKeyNamesTheKeyAndLine() throws IOException {
    Path file = write("""
        port: 4000

        slack_chanel: "#alerts"
        """);

    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 3")
        .hasMessageContaining("\"slack_chanel\"");
  }

  @Test
  void aNestedValueForASettingNamesTheKeyAndLine() throws IOException {
    Path file = write("""
        port: 4000
        listen_host:
          - 0.0.0.0
        """);

    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("\"listen_host\"");
  }

  @Test
  void configFileCannotNameAnotherConfigFile() throws IOException {
    Path file = write("config_file: /etc/other.yaml\n");

    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("\"config_file\"");
  }

  @Test
  void theSectionsBesideTheSettingsAreReadFromTheSameFile() throws IOException {
    Path file = write("""
        port: 4000
        routes:
          - matchers: ['team="payments"']
            channel: "#payments"
        noise:
          flapping: {window: 10m, max_transitions: 4}
        reminders: {unacknowledged_after: 30m}
        log_level: debug
        """);

    Settings s = Settings.load(Map.of("CONFIG_FILE", file.toString()));

    assertThat(s.port()).isEqualTo(4000);
    assertThat(s.logLevel()).isEqualTo("debug");
    assertThat(s.noiseRules().routes()).hasSize(1);
    assertThat(s.noiseRules().flappingEnabled()).isTrue();
    assertThat(s.noiseRules().remindersEnabled()).isTrue();
  }

  @Test
  void aSectionNoCodeReadsIsAnErrorNamingTheFileAndKey() throws IOException {
    Path file = write("""
        port: 4000
        actions:
          restart: {command: [kubectl, rollout, restart]}
        """);

    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + " line 2: unknown key \"actions\"")
        .hasMessageContaining("routes, noise, reminders, prometheus, alertmanager");
  }

  @Test
  void everyProblemOfTheSettingsAndTheSectionsIsReportedTogether() throws IOException {
    Path file = write("""
        prot: 3031
        routes:
          - chanel: "#typo"
        """);

    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", file.toString())))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .satisfiesExactly(
                p -> assertThat(p).startsWith(file + " line 1: unknown key \"prot\""),
                p -> assertThat(p).startsWith(file + " line 3: routes[0].chanel: unknown key")));
  }

  @Test
  void anEmptyConfigFileGivesTheDefaults() throws IOException {
    Path file = write("");

    Settings s = Settings.load(Map.of("CONFIG_FILE", file.toString()));

    assertThat(s.port()).isEqualTo(3031);
    assertThat(s.configFile()).isEqualTo(file);
  }

  @Test
  void aMissingConfigFileNamesTheSetting() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", missing.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("CONFIG_FILE: ")
        .hasMessageContaining("nope.yaml");
  }

  @Test
  void brokenYamlNamesTheFile() throws IOException {
    Path file = write("port: [4000\nlisten_host: x\n");

    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void aTopLevelListIsRejected() throws IOException {
    Path file = write("- port: 4000\n");

    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("mapping");
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of("PORT", Map.of("PORT", "http")),
        Arguments.of("PORT", Map.of("PORT", "65536")),
        Arguments.of("PORT", Map.of("PORT", "-1")),
        Arguments.of("LOG_LEVEL", Map.of("LOG_LEVEL", "verbose")),
        Arguments.of("LOG_JSON", Map.of("LOG_JSON", "sometimes")),
        Arguments.of("WEBHOOK_BASIC_AUTH", Map.of("WEBHOOK_BASIC_AUTH", "no-colon-here")),
        Arguments.of("WEBHOOK_BASIC_AUTH", Map.of("WEBHOOK_BASIC_AUTH", ":only-password")),
        Arguments.of("SLACK_CHANNEL", Map.of("SLACK_BOT_TOKEN", "xoxb-1")),
        Arguments.of("SLACK_API_URL", Map.of("SLACK_API_URL", "ftp://slack.com/api/")),
        Arguments.of("SLACK_API_URL", Map.of("SLACK_API_URL", "slack.com/api")),
        Arguments.of("BASE_URL", Map.of("BASE_URL", "not a url")),
        Arguments.of("PROMETHEUS_URL", Map.of("PROMETHEUS_URL", "localhost:9090")),
        Arguments.of("ALERTMANAGER_URL", Map.of("ALERTMANAGER_URL", "http://")),
        Arguments.of("MAX_PAYLOAD_BYTES", Map.of("MAX_PAYLOAD_BYTES", "10")),
        Arguments.of("MAX_PAYLOAD_BYTES", Map.of("MAX_PAYLOAD_BYTES", "10MiB")),
        Arguments.of("REOPEN_WINDOW", Map.of("REOPEN_WINDOW", "an hour")),
        Arguments.of("DB_CONNECTION_STRING", Map.of("DB_CONNECTION_STRING", "mysql://db/x")));
  }

  @ParameterizedTest(name = "{1} is rejected naming {0}")
  @MethodSource("invalidValues")
  void invalidValuesAreRejectedNamingTheKey(String key, Map<String, String> env) {
    assertThatThrownBy(() -> Settings.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(key + ": ");
  }

  @Test
  void errorsNeverRepeatSecretValues() {
    assertThatThrownBy(() -> Settings.load(Map.of("WEBHOOK_BASIC_AUTH", "hunter2-no-colon")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    assertThatThrownBy(() -> Settings.load(Map.of("DB_CONNECTION_STRING",
        "mysql://root:hunter2@db/x")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void toStringNeverShowsSecrets() throws IOException {
    Path file = write("slack_signing_secret: file-signing-secret-value\n");
    Map<String, String> env = new HashMap<>();
    env.put("CONFIG_FILE", file.toString());
    env.put("SLACK_BOT_TOKEN", "xoxb-bot-token-value");
    env.put("SLACK_CHANNEL", "C0123456");
    env.put("WEBHOOK_BEARER_TOKEN", "bearer-token-value");
    env.put("WEBHOOK_BASIC_AUTH", "alertmanager:basic-password-value");
    env.put("DB_CONNECTION_STRING", "postgres://alertdesk:db-password-value@db:5432/alertdesk");

    String shown = Settings.load(env).toString();

    assertThat(shown)
        .doesNotContain("xoxb-bot-token-value")
        .doesNotContain("file-signing-secret-value")
        .doesNotContain("bearer-token-value")
        .doesNotContain("basic-password-value")
        .doesNotContain("db-password-value")
        .contains("slackBotToken=****")
        .contains("webhookBasicAuth=****")
        .contains("slackChannel=C0123456")
        .contains("jdbc:postgresql://db:5432/alertdesk");
    assertThat(Settings.load(Map.of()).toString()).contains("slackBotToken=unset");
  }

  @Test
  void toStringMasksPasswordsInsideUrls() {
    Map<String, String> env = Map.of(
        "PROMETHEUS_URL", "http://admin:prom-password-value@prometheus:9090",
        "ALERTMANAGER_URL", "https://am:am-password-value@alertmanager.example",
        "BASE_URL", "https://ops:base-password-value@alertdesk.example",
        "SLACK_API_URL", "http://u:slack-password-value@127.0.0.1:4567/api/");

    Settings s = Settings.load(env);

    assertThat(s.prometheusUrl()).isEqualTo("http://admin:prom-password-value@prometheus:9090");
    assertThat(s.toString())
        .doesNotContain("prom-password-value")
        .doesNotContain("am-password-value")
        .doesNotContain("base-password-value")
        .doesNotContain("slack-password-value")
        .contains("prometheusUrl=http://admin:****@prometheus:9090")
        .contains("alertmanagerUrl=https://alertmanager.example");
  }

  @Test
  void alertmanagerUrlCredentialsBecomeBasicAuthAndLeaveTheUrl() {
    Settings s = Settings.load(Map.of(
        "ALERTMANAGER_URL", "https://am:p%40ss-value@alertmanager.example:9093/prefix/"));

    assertThat(s.alertmanagerUrl()).isEqualTo("https://alertmanager.example:9093/prefix");
    assertThat(s.alertmanagerAuth().headers()).containsExactly(Map.entry("Authorization",
        "Basic " + java.util.Base64.getEncoder().encodeToString(
            "am:p@ss-value".getBytes(StandardCharsets.UTF_8))));
    assertThat(s.toString()).doesNotContain("ss-value")
        .contains("alertmanagerAuth=headers[Authorization]");
  }

  @Test
  void alertmanagerBearerTokenAndConfigFileHeadersAreSent() throws IOException {
    Path file = write("""
        alertmanager:
          headers:
            X-Scope-OrgID: tenant-1
            X-Proxy-Key: ${PROXY_KEY}
        """);
    Settings s = Settings.load(Map.of("CONFIG_FILE", file.toString(),
        "ALERTMANAGER_BEARER_TOKEN", "am-bearer-value", "PROXY_KEY", "proxy-key-value"));

    assertThat(s.alertmanagerAuth().headers()).containsExactly(
        Map.entry("Authorization", "Bearer am-bearer-value"),
        Map.entry("X-Scope-OrgID", "tenant-1"), Map.entry("X-Proxy-Key", "proxy-key-value"));
    assertThat(s.toString()).doesNotContain("am-bearer-value").doesNotContain("proxy-key-value")
        .doesNotContain("tenant-1");
  }

  @Test
  void twoAlertmanagerCredentialsOrABadHeaderAreRejectedNamingTheKeyAndLine() throws IOException {
    assertThatThrownBy(() -> Settings.load(Map.of("ALERTMANAGER_URL", "http://u:pw-value@am",
        "ALERTMANAGER_BEARER_TOKEN", "t"))).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("ALERTMANAGER_URL: set only one of")
        .hasMessageNotContaining("pw-value");
    Path bad = write("""
        alertmanager:
          headers:
            "Bad Name": x
        """);
    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", bad.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("Bad Name");
    Path unknown = write("""
        alertmanager:
          header: {a: b}
        """);
    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", unknown.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 2: alertmanager.header: unknown key");
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("alertdesk.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void reopenWindowBeyondAYearIsRejectedInsteadOfOverflowingLater() {
    assertThatThrownBy(() -> Settings.load(Map.of("REOPEN_WINDOW", "2000000000y")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("REOPEN_WINDOW:");
    assertThat(Settings.load(Map.of("REOPEN_WINDOW", "365d")).reopenWindow())
        .isEqualTo(Duration.ofDays(365));
  }

  @Test
  void theHaCopyWindowDefaultsToOneMinuteAndIsAtMostOneHour() {
    assertThat(Settings.load(Map.of()).haCopyWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(Settings.load(Map.of("HA_COPY_WINDOW", "0")).haCopyWindow()).isZero();
    assertThat(Settings.load(Map.of("HA_COPY_WINDOW", "30s")).haCopyWindow())
        .isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> Settings.load(Map.of("HA_COPY_WINDOW", "2h")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("HA_COPY_WINDOW:");
  }

  @Test
  void anAppTokenTurnsOnSocketModeAndIsMaskedAndABotTokenThereIsRefusedWithoutEchoingIt() {
    Settings s = Settings.load(Map.of("SLACK_APP_TOKEN", "xapp-1-A0-secret-9f"));
    assertThat(s.slackAppToken()).isEqualTo("xapp-1-A0-secret-9f");
    assertThat(s.slackInteractive()).isTrue();
    assertThat(s.toString()).contains("slackAppToken=****").doesNotContain("secret-9f");
    assertThat(Settings.load(Map.of()).slackInteractive()).isFalse();
    assertThatThrownBy(() -> Settings.load(Map.of("SLACK_APP_TOKEN", "xoxb-pasted-bot-token")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("SLACK_APP_TOKEN:")
        .hasMessageNotContaining("pasted");
  }
}
