package dev.alertdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.noise.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class NoiseConfigTest {
  private static final Path FILE = Path.of("alertdesk.yml");

  /** The example configuration of issue 5, as the README documents it. */
  static final String EXAMPLE = """
      slack_channel: "#alerts"
      routes:                      # evaluated in order, first match wins unless continue: true
        - matchers: ['severity="critical"', 'namespace=~"checkout|payments"']
          channel: "#payments-oncall"
          mention: "<!subteam^S0ONCALL>"   # added to the parent message of new incidents
        - matchers: ['severity="info"']
          slack: false              # history only, never posted
      noise:
        notify_after: {min_firing: 2m}     # post only when still firing after this long (default 0)
        flapping: {window: 1h, max_transitions: 4}
        storm: {window: 1m, max_new_incidents: 10}   # per channel
        correlate_by: [namespace, deployment]
      reminders:
        unacknowledged_after: 30m  # for severity critical; 0 disables
      """;

  @Test
  void readsTheExampleConfiguration() {
    NoiseRules rules = NoiseConfig.parse(FILE, EXAMPLE, Map.of());

    assertThat(rules.routes()).hasSize(2);
    Route payments = rules.routes().get(0);
    assertThat(payments.channel()).isEqualTo("#payments-oncall");
    assertThat(payments.mention()).isEqualTo("<!subteam^S0ONCALL>");
    assertThat(payments.slack()).isTrue();
    assertThat(payments.continueMatching()).isFalse();
    assertThat(payments.matches(Labels.of("severity", "critical", "namespace", "payments"))).isTrue();
    assertThat(payments.matches(Labels.of("severity", "critical", "namespace", "paymentsx"))).isFalse();
    assertThat(rules.routes().get(1).slack()).isFalse();
    assertThat(rules.routes().get(1).channel()).isNull();
    assertThat(rules.minFiring()).isEqualTo(Duration.ofMinutes(2));
    assertThat(rules.flappingWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(rules.flappingMaxTransitions()).isEqualTo(4);
    assertThat(rules.stormWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(rules.stormMaxNewIncidents()).isEqualTo(10);
    assertThat(rules.correlateBy()).containsExactly("namespace", "deployment");
    assertThat(rules.remindAfter()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void theExampleAlsoPassesTheGeneralSettings() {
    assertThat(Settings.readFile(writeTemp(EXAMPLE), Map.of())).containsEntry("SLACK_CHANNEL", "#alerts");
  }

  @Test
  void noSectionsMeansNoRulesAndContinueAndVariablesAreRead() {
    assertThat(NoiseConfig.parse(FILE, "port: 3031\n", Map.of())).isEqualTo(NoiseRules.NONE);
    NoiseRules rules = NoiseConfig.parse(FILE, """
        routes:
          - channel: "${TEAM_CHANNEL}"
            continue: true
        """, Map.of("TEAM_CHANNEL", "#team"));
    assertThat(rules.routes().get(0).channel()).isEqualTo("#team");
    assertThat(rules.routes().get(0).continueMatching()).isTrue();
    assertThat(rules.routes().get(0).matchers().isEmpty()).isTrue();
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        Arguments.of("routes:\n  - matchers: ['severity=\"critical\"']\n    chanel: \"#x\"\n",
            "alertdesk.yml line 3: routes[0].chanel: unknown key"),
        Arguments.of("routes:\n  - matchers:\n      - 'severity=\"critical\"'\n      - 'namespace=~\"(\"'\n",
            "alertdesk.yml line 4: routes[0].matchers[1]: invalid regular expression"),
        Arguments.of("routes:\n  - matchers: ['severity']\n",
            "alertdesk.yml line 2: routes[0].matchers[0]: bad matcher format: severity"),
        Arguments.of("routes:\n  - slack: maybe\n", "alertdesk.yml line 2: routes[0].slack: must be true or false"),
        Arguments.of("routes: {channel: x}\n", "alertdesk.yml line 1: routes: must be a list"),
        Arguments.of("noise:\n  notify_after: {min_firing: 2 minutes}\n",
            "alertdesk.yml line 2: noise.notify_after.min_firing: \"2 minutes\" is not a duration"),
        Arguments.of("noise:\n  storm: {window: 1m}\n",
            "alertdesk.yml line 2: noise.storm.max_new_incidents: required when noise.storm is set"),
        Arguments.of("noise:\n  flapping: {window: 1h, max_transitions: -1}\n",
            "alertdesk.yml line 2: noise.flapping.max_transitions: must be between 0 and"),
        Arguments.of("noise:\n  storm: {window: 1m, max_new_incidents: ten}\n",
            "alertdesk.yml line 2: noise.storm.max_new_incidents: not a whole number"),
        Arguments.of("noise:\n  correlate_by: [namespace, 'bad-name']\n",
            "alertdesk.yml line 2: noise.correlate_by[1]: \"bad-name\" is not a label name"),
        Arguments.of("noise:\n  dedupe: true\n", "alertdesk.yml line 2: noise.dedupe: unknown key"),
        Arguments.of("reminders:\n  unacknowledged_after: soon\n",
            "alertdesk.yml line 2: reminders.unacknowledged_after: \"soon\" is not a duration"),
        Arguments.of("routes:\n  - channel: \"${NOPE}\"\n",
            "alertdesk.yml line 2: ${NOPE} is not set in the environment"));
  }

  @ParameterizedTest
  @MethodSource("badConfigs")
  void namesTheFileLineAndKeyOfABadValue(String yaml, String message) {
    assertThatThrownBy(() -> NoiseConfig.parse(FILE, yaml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  private static Path writeTemp(String text) {
    try {
      Path file = java.nio.file.Files.createTempFile("alertdesk", ".yml");
      java.nio.file.Files.writeString(file, text);
      file.toFile().deleteOnExit();
      return file;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

}
