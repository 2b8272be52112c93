package dev.alertdesk.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.alertdesk.config.Settings;
import dev.alertdesk.remediation.KubernetesOperation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart {@code deploy/helm/alertdesk}: {@code helm lint --strict} and
 * {@code helm template} through the real Helm library, for the default values and for
 * {@code values-ha.yaml}; the rendered objects read with fabric8's model classes and checked for
 * least privilege, a restricted security context, secrets from Secrets only, and settings the
 * service reads. {@link HelmChartIT} applies them to an API server and asks the service for the
 * probe paths.
 */
class HelmChartTest {
  /** The settings that hold secrets: they may only come from a Secret. */
  static final Set<String> SECRET_SETTINGS = Set.of("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET",
      "WEBHOOK_BEARER_TOKEN", "WEBHOOK_BASIC_AUTH", "DB_CONNECTION_STRING", "UI_BASIC_AUTH",
      "API_BEARER_TOKEN", "SLACK_APP_TOKEN", "ALERTMANAGER_BEARER_TOKEN", "SENTRY_DSN",
      "SENTRY_AUTH_TOKEN");

  @TempDir Path dir;

  private final List<HasMetadata> defaults = HelmChart.parse(HelmChart.template(null));
  private final List<HasMetadata> ha = HelmChart.parse(HelmChart.template(HelmChart.HA_VALUES));

  @Test
  void theChartLintsStrictlyWithItsDefaultsAndWithTheHaValues() {
    LintResult lint = new Helm(HelmChart.CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    LintResult haLint = new Helm(HelmChart.withValues(dir, HelmChart.HA_VALUES)).lint().strict().call();
    assertThat(haLint.isFailed()).as(String.join("\n", haLint.getMessages())).isFalse();
  }

  @Test
  void byDefaultOneReplicaKeepsSqliteOnAVolumeAndIsReplacedNotRolled() {
    Deployment deployment = HelmChart.only(defaults, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    PersistentVolumeClaim claim = HelmChart.only(defaults, PersistentVolumeClaim.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> {
          assertThat(v.getName()).isEqualTo("data");
          assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo(claim.getMetadata().getName());
        });
    assertThat(HelmChart.container(defaults).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/data"));
    assertThat(HelmChart.all(defaults, PodDisruptionBudget.class)).isEmpty();
    assertThat(kinds(defaults)).containsExactlyInAnyOrder("ServiceAccount", "PersistentVolumeClaim",
        "Service", "Deployment", "NetworkPolicy");
  }

  @Test
  void onPostgresqlTwoReplicasRollWithADisruptionBudget() {
    Deployment deployment = HelmChart.only(ha, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
    PodDisruptionBudget pdb = HelmChart.only(ha, PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(HelmChart.all(ha, PersistentVolumeClaim.class)).isEmpty();
    assertThat(HelmChart.container(ha).getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("DB_CONNECTION_STRING");
      assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).isFalse();
    });
  }

  @Test
  void theChartRefusesPostgresqlWithoutASecretOrWithOneReplica() throws Exception {
    Path noSecret = dir.resolve("no-secret.yaml");
    Files.writeString(noSecret, "database: {type: postgresql}\n");
    assertThatThrownBy(() -> HelmChart.template(noSecret))
        .hasMessageContaining("needs secrets.existingSecret");
    Path oneReplica = dir.resolve("one.yaml");
    Files.writeString(oneReplica, "database: {type: postgresql}\nreplicas: 1\nsecrets: {existingSecret: s}\n");
    assertThatThrownBy(() -> HelmChart.template(oneReplica)).hasMessageContaining("at least 2");
    Path unknown = dir.resolve("unknown.yaml");
    Files.writeString(unknown, "database: {type: mysql}\n");
    assertThatThrownBy(() -> HelmChart.template(unknown)).hasMessageContaining("sqlite or postgresql");
  }

  @Test
  void noClusterWideRoleAndRoleVerbsAreExactlyWhatRemediationNeedsPerAllowedNamespace() {
    for (List<HasMetadata> objects : List.of(defaults, ha)) {
      assertThat(HelmChart.all(objects, ClusterRole.class)).isEmpty();
      assertThat(HelmChart.all(objects, ClusterRoleBinding.class)).isEmpty();
    }
    assertThat(HelmChart.all(defaults, Role.class)).isEmpty();
    assertThat(HelmChart.all(defaults, RoleBinding.class)).isEmpty();
    assertThat(HelmChart.only(defaults, Deployment.class).getSpec().getTemplate().getSpec()
        .getAutomountServiceAccountToken()).isFalse();

    List<Role> roles = HelmChart.all(ha, Role.class);
    assertThat(roles).extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("shop", "payments");
    for (Role role : roles) {
      assertThat(role.getRules()).extracting(HelmChartTest::rule).containsExactlyInAnyOrder(
          "apps deployments [get, patch]", "apps deployments/scale [get, update]",
          " pods [get, delete]");
    }
    String account = HelmChart.only(ha, ServiceAccount.class).getMetadata().getName();
    List<RoleBinding> bindings = HelmChart.all(ha, RoleBinding.class);
    assertThat(bindings).hasSize(2).allSatisfy(b -> {
      assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(roles).anySatisfy(r -> {
        assertThat(r.getMetadata().getName()).isEqualTo(b.getRoleRef().getName());
        assertThat(r.getMetadata().getNamespace()).isEqualTo(b.getMetadata().getNamespace());
      });
      assertThat(b.getSubjects()).singleElement().satisfies(s -> {
        assertThat(s.getKind()).isEqualTo("ServiceAccount");
        assertThat(s.getName()).isEqualTo(account);
        assertThat(s.getNamespace()).isEqualTo(HelmChart.RELEASE);
      });
    });
    assertThat(HelmChart.only(ha, Deployment.class).getSpec().getTemplate().getSpec()
        .getServiceAccountName()).isEqualTo(account);
  }

  @Test
  void theRoleRulesAreTheExecutorsOperationsAndOnlyTheListedOnes() throws Exception {
    // Every rule the executor's operations need (KubernetesOperation), and nothing else.
    List<String> needed = new ArrayList<>();
    for (KubernetesOperation op : KubernetesOperation.values()) {
      needed.add(op.apiGroup() + " " + op.rbacResource() + " [get, " + op.verb() + "]");
    }
    for (Role role : HelmChart.all(ha, Role.class)) {
      assertThat(role.getRules()).extracting(HelmChartTest::rule)
          .containsExactlyInAnyOrderElementsOf(needed);
      assertThat(role.getRules()).allSatisfy(r -> assertThat(r.getVerbs())
          .doesNotContain("deletecollection", "list", "watch", "create", "*"));
    }

    Path restartOnly = dir.resolve("restart-only.yaml");
    Files.writeString(restartOnly, "remediation: {enabled: true, namespaces: [checkout],"
        + " operations: [rollout-restart]}\n");
    List<HasMetadata> objects = HelmChart.parse(HelmChart.template(restartOnly));
    assertThat(HelmChart.only(objects, Role.class).getRules()).extracting(HelmChartTest::rule)
        .containsExactly("apps deployments [get, patch]");
    Path scaleOnly = dir.resolve("scale-only.yaml");
    Files.writeString(scaleOnly, "remediation: {enabled: true, namespaces: [checkout],"
        + " operations: [scale]}\n");
    assertThat(HelmChart.only(HelmChart.parse(HelmChart.template(scaleOnly)), Role.class)
        .getRules()).extracting(HelmChartTest::rule)
        .containsExactly("apps deployments [get]", "apps deployments/scale [get, update]");
    assertThat(HelmChart.only(objects, Deployment.class).getSpec().getTemplate().getSpec()
        .getAutomountServiceAccountToken()).isTrue();
    assertThat(HelmChart.only(objects, NetworkPolicy.class).getSpec().getEgress().get(0)
        .getPorts()).anySatisfy(port -> assertThat(port.getPort().getIntVal()).isEqualTo(6443));
    assertThat(HelmChart.only(defaults, NetworkPolicy.class).getSpec().getEgress().get(0)
        .getPorts()).noneSatisfy(port -> assertThat(port.getPort().getIntVal()).isEqualTo(6443));
  }

  @Test
  void theChartRefusesUnknownOperationsNoOperationsAndKubeSystem() throws Exception {
    Path unknown = dir.resolve("unknown-op.yaml");
    Files.writeString(unknown, "remediation: {enabled: true, namespaces: [checkout],"
        + " operations: [rollout-restart, drain-node]}\n");
    assertThatThrownBy(() -> HelmChart.template(unknown))
        .hasMessageContaining("unknown operation \"drain-node\"");
    Path none = dir.resolve("no-op.yaml");
    Files.writeString(none, "remediation: {enabled: true, namespaces: [checkout], operations: []}\n");
    assertThatThrownBy(() -> HelmChart.template(none))
        .hasMessageContaining("needs remediation.operations");
    Path kubeSystem = dir.resolve("kube-system.yaml");
    Files.writeString(kubeSystem, "remediation: {enabled: true, namespaces: [checkout, kube-system]}\n");
    assertThatThrownBy(() -> HelmChart.template(kubeSystem))
        .hasMessageContaining("kube-system is never open to remediation");
  }

  @Test
  void probesAskHealthAndReadyOnTheServicePort() {
    for (List<HasMetadata> objects : List.of(defaults, ha)) {
      Container c = HelmChart.container(objects);
      assertThat(path(c.getLivenessProbe())).isEqualTo("/health");
      assertThat(path(c.getStartupProbe())).isEqualTo("/health");
      assertThat(path(c.getReadinessProbe())).isEqualTo("/ready");
      String port = env(c).get("PORT");
      assertThat(c.getPorts()).singleElement().satisfies(p -> {
        assertThat(p.getName()).isEqualTo("http");
        assertThat(p.getContainerPort()).isEqualTo(Integer.parseInt(port));
      });
      for (Probe probe : List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
      }
      Service service = HelmChart.only(objects, Service.class);
      assertThat(service.getSpec().getPorts()).singleElement()
          .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
      assertThat(service.getSpec().getSelector()).isEqualTo(
          HelmChart.only(objects, Deployment.class).getSpec().getSelector().getMatchLabels());
    }
  }

  @Test
  void everyEnvironmentVariableIsOneTheServiceReads() {
    for (List<HasMetadata> objects : List.of(defaults, ha)) {
      assertThat(HelmChart.container(objects).getEnv()).extracting(EnvVar::getName)
          .allSatisfy(name -> assertThat(Settings.NAMES).contains(name))
          .doesNotHaveDuplicates();
      assertThat(HelmChart.container(objects).getEnvFrom()).isEmpty();
    }
    assertThat(env(HelmChart.container(ha))).containsEntry("REOPEN_WINDOW", "2h")
        .containsEntry("CONFIG_FILE", "/etc/alertdesk/alertdesk.yml");
  }

  @Test
  void theNonSecretSettingsAndTheConfigFileLoadAsTheServiceLoadsThem() throws Exception {
    Map<String, String> env = env(HelmChart.container(ha));
    ConfigMap config = HelmChart.only(ha, ConfigMap.class);
    Path file = dir.resolve("alertdesk.yml");
    Files.writeString(file, config.getData().get("alertdesk.yml"), StandardCharsets.UTF_8);
    env.put("CONFIG_FILE", file.toString());
    // What the Secret would hold.
    Map<String, String> secret = Map.of("SLACK_BOT_TOKEN", "xoxb-1-2-abc",
        "SLACK_SIGNING_SECRET", "s3cret", "WEBHOOK_BEARER_TOKEN", "hook-token",
        "DB_CONNECTION_STRING", "postgres://alertdesk:pw@postgres:5432/alertdesk",
        "SLACK_APP_TOKEN", "xapp-1-A0-1-abc", "SENTRY_DSN", "http://key@127.0.0.1:9/1");
    env.replaceAll((name, value) -> value.startsWith("secret:alertdesk/" + name)
        ? secret.get(name) : value);
    // An optional key the Secret does not hold (SENTRY_AUTH_TOKEN here) leaves its variable unset.
    env.values().removeIf(java.util.Objects::isNull);
    Settings settings = Settings.load(env);
    assertThat(settings.database().kind()).isEqualTo(dev.alertdesk.config.DatabaseTarget.Kind.POSTGRESQL);
    assertThat(settings.listenHost()).isEqualTo("0.0.0.0");
    assertThat(settings.port()).isEqualTo(3031);
    assertThat(dev.alertdesk.config.NoiseConfig.load(file, env).routes()).hasSize(1);
  }

  @Test
  void theSecurityContextIsRestricted() {
    for (List<HasMetadata> objects : List.of(defaults, ha)) {
      PodSpec pod = HelmChart.only(objects, Deployment.class).getSpec().getTemplate().getSpec();
      PodSecurityContext podContext = pod.getSecurityContext();
      assertThat(podContext.getRunAsNonRoot()).isTrue();
      assertThat(podContext.getRunAsUser()).isPositive();
      assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
      SecurityContext c = HelmChart.container(objects).getSecurityContext();
      assertThat(c.getRunAsNonRoot()).isTrue();
      assertThat(c.getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getPrivileged()).isNotEqualTo(Boolean.TRUE);
      assertThat(c.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(c.getCapabilities().getAdd()).isNullOrEmpty();
      assertThat(c.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(HelmChart.container(objects).getVolumeMounts()).extracting("mountPath")
          .contains("/data", "/tmp");
      assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    }
  }

  @Test
  void secretsComeOnlyFromSecretReferences() {
    for (List<HasMetadata> objects : List.of(defaults, ha)) {
      assertThat(kinds(objects)).doesNotContain("Secret");
      for (EnvVar e : HelmChart.container(objects).getEnv()) {
        if (SECRET_SETTINGS.contains(e.getName())) {
          assertThat(e.getValue()).as(e.getName()).isNull();
          assertThat(e.getValueFrom().getSecretKeyRef().getName()).as(e.getName()).isEqualTo("alertdesk");
        } else {
          assertThat(e.getValueFrom()).as(e.getName()).isNull();
        }
      }
      for (ConfigMap map : HelmChart.all(objects, ConfigMap.class)) {
        assertThat(map.getData().values()).allSatisfy(text -> SECRET_SETTINGS.forEach(name ->
            assertThat(text).doesNotContainIgnoringCase(name + ":")));
      }
    }
    assertThat(env(HelmChart.container(ha)).keySet()).contains("SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET", "WEBHOOK_BEARER_TOKEN", "DB_CONNECTION_STRING",
        "SLACK_APP_TOKEN", "SENTRY_DSN", "SENTRY_AUTH_TOKEN");
    assertThat(env(HelmChart.container(defaults)).keySet()).doesNotContainAnyElementsOf(SECRET_SETTINGS);
  }

  @Test
  void theNetworkPolicyAdmitsOnlyTheServicePortAndTheListedPeers() {
    NetworkPolicy policy = HelmChart.only(ha, NetworkPolicy.class);
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
      assertThat(rule.getPorts()).singleElement()
          .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http"));
      assertThat(rule.getFrom()).singleElement().satisfies(peer -> assertThat(
          peer.getNamespaceSelector().getMatchLabels())
          .containsEntry("kubernetes.io/metadata.name", "monitoring"));
    });
    assertThat(policy.getSpec().getEgress()).singleElement()
        .satisfies(rule -> assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal())
            .containsExactlyInAnyOrder(53, 53, 443, 5432, 9090, 9093, 6443));
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(
        HelmChart.only(ha, Deployment.class).getSpec().getSelector().getMatchLabels());
  }

  @Test
  void monitoringScrapesMetricsAndAlertsOnAlertdeskItself() {
    assertThat(kinds(defaults)).doesNotContain("ServiceMonitor", "PrometheusRule");
    GenericKubernetesResource monitor = generic(ha, "ServiceMonitor");
    assertThat(monitor.getAdditionalProperties().toString()).contains("path=/metrics", "port=http");
    GenericKubernetesResource rule = generic(ha, "PrometheusRule");
    assertThat(alertNames(rule)).containsExactlyInAnyOrder("AlertdeskDown",
        "AlertdeskDatabaseUnavailable", "AlertdeskOutboxBacklog", "AlertdeskOutboxStale",
        "AlertdeskSlackCallsFailing", "AlertdeskWebhookErrors");
  }

  @Test
  void theChartReadmeListsEveryValue() {
    String readme = ProjectFiles.read("deploy/helm/alertdesk/README.md");
    List<String> keys = new ArrayList<>();
    leaves("", HelmChart.values(HelmChart.CHART.resolve("values.yaml")), keys);
    assertThat(keys).hasSizeGreaterThan(30)
        .allSatisfy(key -> assertThat(readme).contains("`" + key + "`"));
  }

  @Test
  void theKubernetesManifestsAreTheChartRenderedWithItsDefaults() throws Exception {
    Path rendered = ProjectFiles.resolve("deploy/kubernetes/alertdesk.yaml");
    String expected = HelmChart.template(null);
    if (Boolean.getBoolean("alertdesk.render")) {
      Files.writeString(rendered, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(rendered, StandardCharsets.UTF_8))
        .as("deploy/kubernetes/alertdesk.yaml is stale; regenerate it with "
            + "mvn -o test -Dtest=HelmChartTest -Dalertdesk.render=true")
        .isEqualTo(expected);
  }

  static List<String> alertNames(GenericKubernetesResource rule) {
    List<String> names = new ArrayList<>();
    JsonNode groups = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
        .valueToTree(rule.getAdditionalProperties().get("spec")).get("groups");
    groups.forEach(g -> g.get("rules").forEach(r -> names.add(r.get("alert").asText())));
    return names;
  }

  static GenericKubernetesResource generic(List<HasMetadata> objects, String kind) {
    return HelmChart.all(objects, GenericKubernetesResource.class).stream()
        .filter(r -> r.getKind().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }

  private static void leaves(String prefix, JsonNode node, List<String> out) {
    if (node.isObject() && node.size() > 0) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        leaves(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else {
      out.add(prefix);
    }
  }

  private static List<String> kinds(List<HasMetadata> objects) {
    return objects.stream().map(HasMetadata::getKind).toList();
  }

  private static String rule(PolicyRule rule) {
    return String.join(",", rule.getApiGroups()) + " " + String.join(",", rule.getResources())
        + " " + rule.getVerbs();
  }

  private static String path(Probe probe) {
    return probe.getHttpGet().getPath();
  }

  /** The container's plain-valued variables, and secret references as {@code secret:NAME/KEY}. */
  static Map<String, String> env(Container c) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (EnvVar e : c.getEnv()) {
      env.put(e.getName(), e.getValue() != null ? e.getValue()
          : "secret:" + e.getValueFrom().getSecretKeyRef().getName() + "/"
              + e.getValueFrom().getSecretKeyRef().getKey());
    }
    return env;
  }
}
