package dev.alertdesk.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.remediation.RemediationExecutor.ExecutionContext;
import dev.alertdesk.remediation.RemediationResult.Outcome;
import dev.alertdesk.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KubernetesExecutor} against a real kube-apiserver 1.20.2 ({@link KubeApiServer}), as the
 * ServiceAccount the Helm chart creates, bound to exactly the Role the chart renders for
 * {@code remediation.namespaces: [checkout]}, authenticated with a TokenRequest token through a
 * kubeconfig given to {@link RemediationExecutors#kubernetes}. No controllers run: a restart
 * changes the template, and an unscheduled pod is deleted at once.
 */
class KubernetesExecutorIT {
  private static final Instant NOW = Instant.parse("2026-12-04T14:05:00Z");
  private static final ExecutionContext CONTEXT =
      new ExecutionContext("r-it", "restart", 1, "U0ALICE", List.of("U0BOB"));
  private static final AtomicInteger NAMES = new AtomicInteger();

  @TempDir static Path dir;

  private static KubeApiServer server;
  private static KubernetesClient admin;
  private static KubernetesExecutor executor;
  private static KubernetesClient asExecutor;
  private static String token;
  private static List<HasMetadata> rendered;

  @BeforeAll
  static void startApiServerAndApplyTheChartsRole() throws Exception {
    server = KubeApiServer.start();
    admin = server.admin();
    for (String ns : List.of("alertdesk", "checkout", "other")) {
      server.createNamespace(ns);
    }
    rendered = server.applyChartRemediationRbac(dir, List.of("checkout"));
    token = server.serviceAccountToken("alertdesk", "alertdesk");
    Path kubeconfig = server.writeKubeconfig(dir, token);
    executor = RemediationExecutors.kubernetes(
        new KubernetesExecutorConfig(kubeconfig, Duration.ofSeconds(30)),
        Clock.fixed(NOW, ZoneOffset.UTC));
    asExecutor = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
  }

  @AfterAll
  static void stop() {
    if (executor != null) {
      executor.close();
    }
    if (asExecutor != null) {
      asExecutor.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theChartsRoleIsInTheApiServerExactlyAsRenderedAndOnlyInCheckout() {
    Role role = admin.rbac().roles().inNamespace("checkout").withName("alertdesk-remediation")
        .get();
    Role renderedRole = (Role) rendered.stream().filter(Role.class::isInstance).findFirst()
        .orElseThrow();
    assertThat(role.getRules()).isEqualTo(renderedRole.getRules());
    assertThat(admin.rbac().roles().inNamespace("other").list().getItems()).isEmpty();
    assertThat(admin.rbac().clusterRoleBindings().list().getItems())
        .noneMatch(b -> b.getSubjects() != null && b.getSubjects().stream()
            .anyMatch(s -> "alertdesk".equals(s.getName())));
  }

  @Test
  void aRestartPreviewIsADryRunThatChangesNothingAndTheExecutionSetsRestartedAt() {
    String name = name();
    Deployment created = createDeployment("checkout", name, false);

    RemediationPreview preview = executor.preview("rollout-restart", target("checkout", name));

    assertThat(preview.summary()).contains("(none) → 2026-12-04T14:05:00Z")
        .contains("generation 1 → 2").contains("dry run accepted");
    assertThat(preview.resourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
    Deployment afterPreview = deployment("checkout", name);
    assertThat(afterPreview.getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());
    assertThat(afterPreview.getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainKey(KubernetesExecutor.RESTARTED_AT);

    RemediationResult result = executor.execute("rollout-restart", target("checkout", name),
        preview, CONTEXT);

    assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.SUCCEEDED);
    Deployment after = deployment("checkout", name);
    assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(KubernetesExecutor.RESTARTED_AT, "2026-12-04T14:05:00Z");
    assertThat(after.getMetadata().getGeneration()).isEqualTo(2);
  }

  @Test
  void scaleIsPreviewedWithoutChangeThenApplied() {
    String name = name();
    createDeployment("checkout", name, false);
    RemediationTarget target = new RemediationTarget("checkout", name,
        Map.of(KubernetesExecutor.REPLICAS, "5"));

    RemediationPreview preview = executor.preview("scale", target);

    assertThat(preview.summary()).isEqualTo("deployment checkout/" + name
        + ": replicas 2 → 5 (dry run accepted)");
    assertThat(deployment("checkout", name).getSpec().getReplicas()).isEqualTo(2);
    RemediationResult result = executor.execute("scale", target, preview, CONTEXT);
    assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(deployment("checkout", name).getSpec().getReplicas()).isEqualTo(5);
  }

  @Test
  void aPodDeletePreviewKeepsThePodAndTheExecutionDeletesOnlyIt() {
    String name = name();
    createPod("checkout", name + "-a");
    createPod("checkout", name + "-b");
    RemediationTarget target = target("checkout", name + "-a");

    RemediationPreview preview = executor.preview("delete-pod", target);

    assertThat(preview.summary()).contains("would be deleted");
    assertThat(admin.pods().inNamespace("checkout").withName(name + "-a").get()).isNotNull();
    RemediationResult result = executor.execute("delete-pod", target, preview, CONTEXT);
    assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(admin.pods().inNamespace("checkout").withName(name + "-a").get()).isNull();
    assertThat(admin.pods().inNamespace("checkout").withName(name + "-b").get()).isNotNull();
  }

  @Test
  void aDeploymentChangedBetweenPreviewAndExecutionIsStaleAndNotRestarted() {
    String name = name();
    createDeployment("checkout", name, false);
    RemediationPreview preview = executor.preview("rollout-restart", target("checkout", name));
    admin.apps().deployments().inNamespace("checkout").withName(name)
        .edit(d -> new DeploymentBuilder(d).editMetadata().addToLabels("changed", "yes")
            .endMetadata().build());

    RemediationResult result = executor.execute("rollout-restart", target("checkout", name),
        preview, CONTEXT);

    assertThat(result.outcome()).isEqualTo(Outcome.STALE);
    assertThat(deployment("checkout", name).getSpec().getTemplate().getMetadata()
        .getAnnotations()).doesNotContainKey(KubernetesExecutor.RESTARTED_AT);
  }

  @Test
  void aPausedDeploymentIsRefusedAsKubectlRefusesIt() {
    String name = name();
    Deployment created = createDeployment("checkout", name, true);
    assertThatThrownBy(() -> executor.preview("rollout-restart", target("checkout", name)))
        .isInstanceOf(RemediationException.class).hasMessageContaining("is paused");
    RemediationResult result = executor.execute("rollout-restart", target("checkout", name),
        new RemediationPreview("p", created.getMetadata().getResourceVersion(), 1L), CONTEXT);
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(deployment("checkout", name).getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());
  }

  @Test
  void outsideTheRolesNamespaceEveryOperationIsForbiddenAndTheAccessReviewSaysSo() {
    String name = name();
    Deployment created = createDeployment("other", name, false);
    createPod("other", name);

    for (String op : KubernetesOperation.ids()) {
      RemediationTarget target = new RemediationTarget("other", name,
          Map.of(KubernetesExecutor.REPLICAS, "3"));
      assertThatThrownBy(() -> executor.preview(op, target)).as(op)
          .isInstanceOf(RemediationException.class).hasMessageContaining("403 Forbidden")
          .hasMessageContaining("system:serviceaccount:alertdesk:alertdesk")
          .hasMessageNotContaining(token);
      RemediationResult result = executor.execute(op, target,
          new RemediationPreview("p", created.getMetadata().getResourceVersion(), 1L), CONTEXT);
      assertThat(result.outcome()).as(op).isEqualTo(Outcome.FAILED);
      assertThat(result.detail()).as(op).contains("may not")
          .contains("in namespace other (SelfSubjectAccessReview").doesNotContain(token);
    }
    assertThat(deployment("other", name).getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());
    assertThat(admin.pods().inNamespace("other").withName(name).get()).isNotNull();
  }

  @Test
  void inItsNamespaceTheRoleAllowsNoOtherVerbAndNeverACollectionDelete() {
    String name = name();
    createDeployment("checkout", name, false);
    createPod("checkout", name);
    for (String[] denied : List.of(
        new String[] {"apps", "deployments", "", "delete"},
        new String[] {"apps", "deployments", "", "update"},
        new String[] {"apps", "deployments", "", "create"},
        new String[] {"apps", "deployments", "", "list"},
        new String[] {"apps", "deployments/scale", "", "patch"},
        new String[] {"", "pods", "", "deletecollection"},
        new String[] {"", "pods", "", "list"},
        new String[] {"", "pods", "", "create"},
        new String[] {"", "pods", "", "patch"},
        new String[] {"", "pods", "exec", "create"},
        new String[] {"", "secrets", "", "get"},
        new String[] {"apps", "statefulsets", "", "patch"})) {
      String[] resource = denied[1].split("/");
      SelfSubjectAccessReview review = asExecutor.authorization().v1().selfSubjectAccessReview()
          .create(new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
              .withGroup(denied[0]).withResource(resource[0])
              .withSubresource(resource.length > 1 ? resource[1] : denied[2])
              .withVerb(denied[3]).withNamespace("checkout").endResourceAttributes().endSpec()
              .build());
      assertThat(review.getStatus().getAllowed()).as(String.join(" ", denied)).isFalse();
    }
    assertThatThrownBy(() -> asExecutor.pods().inNamespace("checkout").delete())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    assertThatThrownBy(() -> asExecutor.apps().deployments().inNamespace("checkout")
        .withName(name).delete()).isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    assertThat(admin.pods().inNamespace("checkout").withName(name).get()).isNotNull();
    assertThat(deployment("checkout", name)).isNotNull();
  }

  private static String name() {
    return "app-" + NAMES.incrementAndGet();
  }

  private static RemediationTarget target(String namespace, String name) {
    return new RemediationTarget(namespace, name, Map.of());
  }

  private static Deployment deployment(String namespace, String name) {
    return admin.apps().deployments().inNamespace(namespace).withName(name).get();
  }

  private static Deployment createDeployment(String namespace, String name, boolean paused) {
    Deployment d = KubernetesExecutorTest.deployment(namespace, name, paused, Map.of());
    d.getSpec().setReplicas(2);
    return admin.apps().deployments().inNamespace(namespace).resource(d).create();
  }

  private static Pod createPod(String namespace, String name) {
    Pod p = KubernetesExecutorTest.pod(namespace, name);
    p.setStatus(null);
    return admin.pods().inNamespace(namespace).resource(p).create();
  }
}
