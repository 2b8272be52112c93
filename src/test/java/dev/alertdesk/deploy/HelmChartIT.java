package dev.alertdesk.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.NoiseConfig;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.SlackStandIn;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's rendered objects against real things: applied to fabric8's Kubernetes mock API
 * server in CRUD mode (no real API server has landed in this repository's tests yet); the probe
 * paths asked of the service started with the chart's settings; and the PrometheusRule checked by
 * {@code promtool}, with metric names the running service exports.
 */
@EnableKubernetesMockClient(crud = true)
class HelmChartIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern METRIC = Pattern.compile("\\balertdesk_[a-z_]+\\b");
  /** The mock server logs every request at INFO through java.util.logging; keep the build log readable. */
  private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

  static KubernetesClient client;

  @TempDir Path dir;

  @Test
  void theDefaultAndHaManifestsApplyToAnApiServerAndReadBackAsRendered() {
    for (CustomResourceDefinition crd : List.of(
        crd("servicemonitors", "ServiceMonitor"), crd("prometheusrules", "PrometheusRule"))) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    apply("alertdesk", HelmChart.parse(HelmChart.template(null)));
    Deployment sqlite = client.apps().deployments().inNamespace("alertdesk").withName("alertdesk").get();
    assertThat(sqlite.getSpec().getReplicas()).isEqualTo(1);
    assertThat(client.persistentVolumeClaims().inNamespace("alertdesk").withName("alertdesk").get())
        .isNotNull();

    List<HasMetadata> ha = HelmChart.parse(HelmChart.template(HelmChart.HA_VALUES));
    apply("alertdesk-ha", ha);
    Deployment deployment = client.apps().deployments().inNamespace("alertdesk-ha")
        .withName("alertdesk").get();
    assertThat(deployment.getSpec()).isEqualTo(HelmChart.only(ha, Deployment.class).getSpec());
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace("alertdesk-ha")
        .withName("alertdesk").get()).isNotNull();
    for (String namespace : List.of("shop", "payments")) {
      Role role = client.rbac().roles().inNamespace(namespace).withName("alertdesk-remediation").get();
      assertThat(role.getRules()).hasSize(3);
      assertThat(client.rbac().roleBindings().inNamespace(namespace)
          .withName("alertdesk-remediation").get().getSubjects()).singleElement()
          .satisfies(s -> assertThat(s.getNamespace()).isEqualTo("alertdesk"));
    }
    assertThat(client.rbac().clusterRoles().list().getItems()).isEmpty();
    assertThat(client.genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule")
        .inNamespace("alertdesk-ha").withName("alertdesk").get()).isNotNull();
  }

  @Test
  void theProbePathsAnswer200FromTheServiceStartedWithTheChartsSettings() throws Exception {
    Container container = HelmChart.container(HelmChart.parse(HelmChart.template(null)));
    Map<String, String> env = new LinkedHashMap<>(HelmChartTest.env(container));
    env.put("LISTEN_HOST", "127.0.0.1");
    env.put("PORT", "0");
    env.put("STORAGE_DIR", dir.toString());
    Settings settings = Settings.load(env);
    try (Application app = Application.start(settings, NoiseConfig.load(settings.configFile(), env),
        Clock.systemUTC())) {
      AlertdeskClient client = new AlertdeskClient(app.port());
      await().atMost(Duration.ofSeconds(20)).until(() -> client.get("/ready").statusCode() == 200);
      for (Probe probe : List.of(container.getLivenessProbe(), container.getReadinessProbe(),
          container.getStartupProbe())) {
        assertThat(client.get(probe.getHttpGet().getPath()).statusCode())
            .as(probe.getHttpGet().getPath()).isEqualTo(200);
      }
    }
  }

  @Test
  void theSelfMonitoringRulesAreValidPromqlOverMetricsTheServiceExports() throws Exception {
    GenericKubernetesResource rule = HelmChartTest.generic(
        HelmChart.parse(HelmChart.template(HelmChart.HA_VALUES)), "PrometheusRule");
    JsonNode spec = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
        .valueToTree(rule.getAdditionalProperties().get("spec"));
    Path rules = dir.resolve("alertdesk-rules.yml");
    Files.writeString(rules, YAML.writeValueAsString(spec), StandardCharsets.UTF_8);
    assertThat(ComposeConfigIT.run("promtool", "check", "rules", rules.toString()))
        .contains("SUCCESS: 6 rules found");

    Set<String> used = new TreeSet<>();
    spec.get("groups").forEach(g -> g.get("rules").forEach(r -> {
      Matcher m = METRIC.matcher(r.get("expr").asText());
      while (m.find()) {
        used.add(m.group());
      }
    }));
    assertThat(used).hasSizeGreaterThanOrEqualTo(5);
    assertThat(exportedMetrics()).containsAll(used);

    Path test = dir.resolve("rules-test.yml");
    Files.writeString(test, """
        rule_files: [%s]
        evaluation_interval: 30s
        tests:
          - interval: 30s
            input_series:
              - series: 'alertdesk_database_ready{job="alertdesk", namespace="alertdesk", pod="a"}'
                values: '1 1 0 0 0 0 0 0'
              - series: 'up{job="alertdesk", namespace="alertdesk", pod="a"}'
                values: '1 1 1 1 1 1 1 1'
            alert_rule_test:
              - eval_time: 1m
                alertname: AlertdeskDatabaseUnavailable
                exp_alerts: []
              - eval_time: 3m30s
                alertname: AlertdeskDatabaseUnavailable
                exp_alerts:
                  - exp_labels: {severity: critical, component: alertdesk, job: alertdesk, namespace: alertdesk, pod: a}
                    exp_annotations:
                      summary: "Alertdesk a cannot reach its database; webhooks are answered 503"
              - eval_time: 3m30s
                alertname: AlertdeskDown
                exp_alerts: []
        """.formatted(rules), StandardCharsets.UTF_8);
    assertThat(ComposeConfigIT.run("promtool", "test", "rules", test.toString())).contains("SUCCESS");
  }

  /**
   * The metric names the service exports once it has handled a webhook and called Slack (the
   * Slack stand-in), with {@code _total}, {@code _seconds}… suffixes as Prometheus scrapes them.
   */
  private Set<String> exportedMetrics() throws Exception {
    try (SlackStandIn slack = new SlackStandIn()) {
      Map<String, String> env = Map.of("PORT", "0", "STORAGE_DIR", dir.toString(),
          "SLACK_BOT_TOKEN", "xoxb-helm-it", "SLACK_CHANNEL", "#alerts",
          "SLACK_API_URL", slack.apiUrl(), "PROMETHEUS_URL", "http://127.0.0.1:9");
      Settings settings = Settings.load(env);
      try (Application app = Application.start(settings, NoiseConfig.load(null, env),
          Clock.systemUTC())) {
        AlertdeskClient client = new AlertdeskClient(app.port());
        await().atMost(Duration.ofSeconds(20)).until(() -> client.get("/ready").statusCode() == 200);
        client.post("/api/alerts", AlertmanagerPayload.group("alertdesk", "Metrics")
            .firing("node-1", Instant.parse("2026-12-01T10:00:00Z")).json(), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> !slack.parentPosts().isEmpty());
        Set<String> names = new TreeSet<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          Matcher m = METRIC.matcher(client.get("/metrics").body());
          while (m.find()) {
            names.add(m.group());
          }
          assertThat(names).contains("alertdesk_slack_calls_total");
        });
        return names;
      }
    }
  }

  private static void apply(String namespace, List<HasMetadata> objects) {
    for (HasMetadata object : objects) {
      String ns = object.getMetadata().getNamespace() == null ? namespace
          : object.getMetadata().getNamespace();
      client.resource(object).inNamespace(ns).create();
    }
  }

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  private static CustomResourceDefinition crd(String plural, String kind) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + ".monitoring.coreos.com").endMetadata()
        .withNewSpec().withGroup("monitoring.coreos.com").withScope("Namespaced")
        .withNewNames().withPlural(plural).withKind(kind).endNames()
        .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion()
        .endSpec().build();
  }
}
