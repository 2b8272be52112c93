package dev.alertdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.remediation.ApprovalPolicy;
import dev.alertdesk.remediation.ExecutorKind;
import dev.alertdesk.remediation.RemediationAction;
import dev.alertdesk.remediation.RemediationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The {@code remediation} section: the README example reads, and bad input names file, line and key. */
final class RemediationConfigTest {
  private static final Path FILE = Path.of("alertdesk.yml");
  private static final Map<String, String> ENV =
      Map.of("REMEDIATION_HMAC_SECRET", "0123456789abcdef0123");

  static final String EXAMPLE = """
      remediation:
        executors:
          kubernetes: {}
          http: {url: "https://remediator.internal/run", secret_env: REMEDIATION_HMAC_SECRET, timeout: 5s}
        limits: {total: 20/1h}
        actions:
          - id: restart-deployment
            title: Restart deployment
            when: ['alertname="KubePodCrashLooping"']
            executor: kubernetes
            operation: rollout-restart
            target: {namespace: "{{ .Labels.namespace }}", name: "{{ .Labels.deployment }}"}
            namespaces: {allow: [checkout, "team-*"], deny: ["*-db"]}
            required_label: alertdesk.io/remediable=true
            limits: {per_target: 3/1h, per_action: 10/1h}
            approval: {approvers: [leads], count: 1, ttl: 15m, required: always}
          - id: scale-up
            title: Add a replica
            when: ['alertname="HighLatency"', 'namespace=~"team-.*"']
            executor: kubernetes
            operation: scale
            target: {namespace: "{{ .Labels.namespace }}", name: "{{ .Labels.deployment }}"}
            namespaces: {allow: ["team-*"]}
            scale: {replicas: 4, min: 1, max: 10, max_change: 2}
            approval: {approvers: [leads, sre], count: 2, ttl: 30m}
          - id: flush-cache
            title: Flush cache
            when: ['alertname="CacheStale"']
            executor: http
            target: {namespace: "{{ .Labels.namespace }}", name: cache}
            namespaces: {allow: ["*"]}
            approval: {required: never}
      """;

  private static RemediationConfig parse(String yaml, Map<String, String> env,
      String enabled) {
    return RemediationConfigReader.read(FILE, YamlTree.parse(FILE, yaml), env, enabled);
  }

  @Test
  void readsTheExampleWithDefaults() {
    RemediationConfig c = parse(EXAMPLE, ENV, null);
    assertThat(c.enabled()).isTrue();
    assertThat(c.catalogue().actions()).extracting(RemediationAction::id)
        .containsExactly("restart-deployment", "scale-up", "flush-cache");
    assertThat(c.catalogue().total().count()).isEqualTo(20);
    RemediationAction restart = c.catalogue().actions().get(0);
    assertThat(restart.approval().ttl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(restart.perTarget().count()).isEqualTo(3);
    assertThat(restart.target(Labels.of("alertname", "KubePodCrashLooping", "namespace",
        "checkout", "deployment", "payments-api")).target().name()).isEqualTo("payments-api");
    RemediationAction scale = c.catalogue().actions().get(1);
    assertThat(scale.scale().maxChange()).isEqualTo(2);
    assertThat(scale.approval().count()).isEqualTo(2);
    RemediationAction flush = c.catalogue().actions().get(2);
    assertThat(flush.executor()).isEqualTo(ExecutorKind.HTTP);
    assertThat(flush.operation()).isEqualTo("post");
    assertThat(flush.approval().required()).isEqualTo(ApprovalPolicy.Required.NEVER);
    assertThat(c.http().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.http().toString()).doesNotContain("0123456789abcdef");
    assertThat(c.kubernetes()).isNotNull();
    assertThat(parse(EXAMPLE, ENV, "false").enabled()).isFalse();
    assertThat(parse("routes: []\n", ENV, null)).isEqualTo(RemediationConfig.NONE);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      restart-deployment|Restart_deployment|id: lower-case letters
      executor: kubernetes|executor: ansible|executor: must be kubernetes or http
      operation: rollout-restart|operation: drain|operation: must be one of rollout-restart, scale, delete-pod
      required_label: alertdesk.io/remediable=true|required_label: 'x y'|required_label: must be key=value
      'per_target: 3/1h'|'per_target: lots'|per_target: must be COUNT/PERIOD
      'count: 1, ttl: 15m'|'count: 1, ttl: 2d'|ttl: must be between 1m and 24h
      'required: always'|'required: sometimes'|required: must be always or never
      'approvers: [leads]'|'approvers: []'|approval: approvers must name at least one role
      '{{ .Labels.deployment }}'|'{{ .Labels.deployment | upper }}'|name: only {{ .Labels.name }}
      'allow: [checkout, \"team-*\"]'|'allow: [\"../x\"]'|allow: \"../x\" is not a namespace glob
      'title: Restart deployment'|'titel: Restart deployment'|titel: unknown key
      """)
  void invalidEntriesNameTheFileLineAndKey(String from, String to, String message) {
    String yaml = EXAMPLE.replace(from, to);
    assertThat(yaml).as("the example contains " + from).isNotEqualTo(EXAMPLE);
    assertThatThrownBy(() -> parse(yaml, ENV, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("alertdesk.yml line ")
        .hasMessageContaining(message.replace("\\\"", "\""));
  }

  @Test
  void theHttpExecutorNeedsItsSecretSetAndNeverShowsIt() {
    assertThatThrownBy(() -> parse(EXAMPLE, Map.of(), null))
        .hasMessageContaining("REMEDIATION_HMAC_SECRET is not set");
    assertThatThrownBy(() -> parse(EXAMPLE, Map.of("REMEDIATION_HMAC_SECRET", "short"), null))
        .hasMessageContaining("at least 16").message().doesNotContain("short");
  }

  @Test
  void checkConfigReadsTheSectionThroughSettings() throws Exception {
    Path file = Files.createTempFile("alertdesk", ".yml");
    try {
      Files.writeString(file, EXAMPLE.replace("executor: ansible", "x"));
      Map<String, String> env = new java.util.HashMap<>(ENV);
      env.put("CONFIG_FILE", file.toString());
      Settings s = Settings.load(env);
      assertThat(s.remediation().catalogue().actions()).hasSize(3);
      assertThat(s.toString()).contains("remediation=3 actions, enabled")
          .doesNotContain("0123456789abcdef");
      Files.writeString(file, EXAMPLE.replace("operation: rollout-restart", "operation: nope"));
      assertThatThrownBy(() -> Settings.load(env)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("remediation.actions[0].operation");
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
