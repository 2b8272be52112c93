package dev.alertdesk.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.alertdesk.remediation.RemediationExecutor.ExecutionContext;
import dev.alertdesk.remediation.RemediationResult.Outcome;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesClientBuilderCustomizer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link KubernetesExecutor} against fabric8's mock API server in CRUD mode, which stores what
 * it is sent but ignores {@code dryRun} and has no RBAC: so previews here are checked for what
 * they say, executions are given a preview built from the stored object, and the
 * {@code SelfSubjectAccessReview} answer is set per test. Dry run and RBAC are tested against a
 * real kube-apiserver in {@link KubernetesExecutorIT}.
 */
@EnableKubernetesMockClient(crud = true,
    kubernetesClientBuilderCustomizer = KubernetesExecutorTest.PatientClient.class)
class KubernetesExecutorTest {
  /**
   * No retries and a long request timeout: on a loaded machine a slow answer retried by the
   * client would create an object twice (409).
   */
  public static final class PatientClient extends KubernetesClientBuilderCustomizer {
    @Override
    public void accept(KubernetesClientBuilder builder) {
      builder.editOrNewConfig().withRequestTimeout(120_000).withConnectionTimeout(60_000)
          .withRequestRetryBackoffLimit(0)
          .endConfig();
    }
  }

  private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");
  private static final Instant NOW = Instant.parse("2026-12-04T14:05:00Z");
  private static final ExecutionContext CONTEXT =
      new ExecutionContext("r-1", "restart-payments", 42, "U0ALICE", List.of("U0BOB"));

  KubernetesMockServer server;
  KubernetesClient client;

  private KubernetesExecutor executor;

  @BeforeEach
  void executorOnTheMockServer() {
    executor = new KubernetesExecutor(client, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void aRestartSetsTheRestartedAtAnnotationFromTheClockAndKeepsTheRestOfTheTemplate() {
    answerAccessReview(true, "");
    create(deployment("checkout", "payments-api", false, Map.of()));
    RemediationPreview preview = currentPreview("checkout", "payments-api");

    RemediationResult result = executor.execute("rollout-restart",
        target("checkout", "payments-api"), preview, CONTEXT);

    assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.detail()).contains("deployment checkout/payments-api restarted")
        .contains("2026-12-04T14:05:00Z");
    Deployment after = get("checkout", "payments-api");
    assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(KubernetesExecutor.RESTARTED_AT, "2026-12-04T14:05:00Z")
        .containsEntry("keep", "me");
    assertThat(after.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
  }

  @Test
  void aRestartPreviewNamesTheAnnotationTheGenerationAndTheResourceVersion() {
    Deployment created = create(deployment("checkout", "payments-api", false, Map.of()));

    RemediationPreview preview =
        executor.preview("rollout-restart", target("checkout", "payments-api"));

    assertThat(preview.summary()).startsWith("deployment checkout/payments-api: pod-template"
        + " annotation kubectl.kubernetes.io/restartedAt (none) → 2026-12-04T14:05:00Z")
        .contains("replicas 3").contains("dry run accepted");
    assertThat(preview.resourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
  }

  @Test
  void aPausedDeploymentIsRefusedAtPreviewAndAtExecutionAndKeepsItsTemplate() {
    answerAccessReview(true, "");
    create(deployment("checkout", "paused", true, Map.of()));
    assertThatThrownBy(() -> executor.preview("rollout-restart", target("checkout", "paused")))
        .isInstanceOf(RemediationException.class).hasMessageContaining("is paused")
        .hasMessageContaining("rollout resume");

    RemediationResult result = executor.execute("rollout-restart", target("checkout", "paused"),
        currentPreview("checkout", "paused"), CONTEXT);

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.detail()).contains("is paused");
    assertThat(get("checkout", "paused").getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainKey(KubernetesExecutor.RESTARTED_AT);
  }

  @Test
  void aTargetChangedSinceThePreviewIsStaleAndUnchanged() {
    answerAccessReview(true, "");
    create(deployment("checkout", "payments-api", false, Map.of()));
    RemediationPreview preview = currentPreview("checkout", "payments-api");
    client.apps().deployments().inNamespace("checkout").withName("payments-api")
        .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(4).endSpec().build());

    RemediationResult result = executor.execute("rollout-restart",
        target("checkout", "payments-api"), preview, CONTEXT);

    assertThat(result.outcome()).isEqualTo(Outcome.STALE);
    assertThat(result.detail()).contains("changed since the preview");
    assertThat(get("checkout", "payments-api").getSpec().getTemplate().getMetadata()
        .getAnnotations()).doesNotContainKey(KubernetesExecutor.RESTARTED_AT);
  }

  @Test
  void aPreviewWithoutResourceVersionIsRefused() {
    create(deployment("checkout", "payments-api", false, Map.of()));
    RemediationResult result = executor.execute("rollout-restart",
        target("checkout", "payments-api"), new RemediationPreview("x", null, null), CONTEXT);
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.detail()).contains("no resourceVersion");
  }

  @Test
  void aRequiredLabelMustBeOnTheTargetWithItsValue() {
    answerAccessReview(true, "");
    create(deployment("checkout", "labelled", false, Map.of("alertdesk.io/remediable", "true")));
    create(deployment("checkout", "other-value", false,
        Map.of("alertdesk.io/remediable", "false")));
    create(deployment("checkout", "unlabelled", false, Map.of()));
    Map<String, String> wanted = Map.of(KubernetesExecutor.REQUIRED_LABEL,
        "alertdesk.io/remediable=true");

    assertThat(executor.preview("rollout-restart",
        new RemediationTarget("checkout", "labelled", wanted)).summary()).contains("labelled");
    assertThat(executor.preview("rollout-restart", new RemediationTarget("checkout", "labelled",
        Map.of(KubernetesExecutor.REQUIRED_LABEL, "alertdesk.io/remediable"))).summary())
        .contains("labelled");
    for (String name : List.of("other-value", "unlabelled")) {
      assertThatThrownBy(() -> executor.preview("rollout-restart",
          new RemediationTarget("checkout", name, wanted)))
          .hasMessageContaining("does not carry the required label alertdesk.io/remediable=true");
      RemediationResult result = executor.execute("rollout-restart",
          new RemediationTarget("checkout", name, wanted), currentPreview("checkout", name),
          CONTEXT);
      assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(result.detail()).contains("required label");
    }
    assertThatThrownBy(() -> executor.preview("rollout-restart",
        new RemediationTarget("checkout", "labelled",
            Map.of(KubernetesExecutor.REQUIRED_LABEL, "=true"))))
        .hasMessageContaining("is not a label");
  }

  @Test
  void scalePutsTheScaleSubresourceWithTheReplicasAndThePreviewsResourceVersion()
      throws Exception {
    answerAccessReview(true, "");
    create(deployment("checkout", "payments-api", false, Map.of()));
    RemediationPreview preview = currentPreview("checkout", "payments-api");
    // CRUD mode stores a PUT to /scale as the whole object, so the scale subresource is answered
    // here as the API server does; KubernetesExecutorIT scales a real Deployment.
    String path = "/apis/apps/v1/namespaces/checkout/deployments/payments-api/scale";
    Scale five = new ScaleBuilder().withNewMetadata().withName("payments-api").endMetadata()
        .withNewSpec().withReplicas(5).endSpec().build();
    server.expect().put().withPath(path + "?dryRun=All").andReturn(200, five).once();
    server.expect().put().withPath(path).andReturn(200, five).once();
    RemediationTarget target = new RemediationTarget("checkout", "payments-api",
        Map.of(KubernetesExecutor.REPLICAS, "5"));

    assertThat(executor.preview("scale", target).summary())
        .isEqualTo("deployment checkout/payments-api: replicas 3 → 5 (dry run accepted)");
    RemediationResult result = executor.execute("scale", target, preview, CONTEXT);

    assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.detail()).isEqualTo("deployment checkout/payments-api scaled: replicas 3 → 5");
    RecordedRequest put = server.getLastRequest();
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getPath()).isEqualTo(path);
    Scale sent = Serialization.unmarshal(put.getUtf8Body(), Scale.class);
    assertThat(sent.getSpec().getReplicas()).isEqualTo(5);
    assertThat(sent.getMetadata().getResourceVersion()).isEqualTo(preview.resourceVersion());
  }

  @Test
  void scaleRefusesAMissingNegativeHugeOrNonNumericReplicaCount() {
    create(deployment("checkout", "payments-api", false, Map.of()));
    for (Map<String, String> params : List.of(Map.<String, String>of(),
        Map.of("replicas", "-1"), Map.of("replicas", "1001"), Map.of("replicas", "three"),
        Map.of("replicas", "2.5"))) {
      RemediationTarget t = new RemediationTarget("checkout", "payments-api", params);
      assertThatThrownBy(() -> executor.preview("scale", t))
          .isInstanceOf(RemediationException.class).hasMessageContaining("replicas");
      assertThat(executor.execute("scale", t, currentPreview("checkout", "payments-api"),
          CONTEXT).outcome()).isEqualTo(Outcome.FAILED);
    }
    assertThat(get("checkout", "payments-api").getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void aDeletePodPreviewSaysWhatHappensToThePod() {
    create(pod("checkout", "payments-api-7d9-abcde"));
    assertThat(executor.preview("delete-pod", target("checkout", "payments-api-7d9-abcde"))
        .summary()).isEqualTo("pod checkout/payments-api-7d9-abcde (phase Running) would be"
            + " deleted; its controller ReplicaSet payments-api-7d9 creates a replacement"
            + " (dry run accepted)");
  }

  @Test
  void deletePodDeletesThatPodOnly() {
    answerAccessReview(true, "");
    create(pod("checkout", "payments-api-7d9-abcde"));
    create(pod("checkout", "payments-api-7d9-fghij"));
    Pod before = client.pods().inNamespace("checkout").withName("payments-api-7d9-abcde").get();

    RemediationResult result = executor.execute("delete-pod",
        target("checkout", "payments-api-7d9-abcde"),
        new RemediationPreview("p", before.getMetadata().getResourceVersion(), null), CONTEXT);

    assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.detail()).startsWith("pod checkout/payments-api-7d9-abcde deleted");
    assertThat(client.pods().inNamespace("checkout").list().getItems())
        .extracting(p -> p.getMetadata().getName()).containsExactly("payments-api-7d9-fghij");
  }

  @Test
  void aMissingTargetIsAClearErrorAtPreviewAndAFailureAtExecution() {
    answerAccessReview(true, "");
    assertThatThrownBy(() -> executor.preview("rollout-restart", target("checkout", "nope")))
        .isInstanceOf(RemediationException.class)
        .hasMessage("deployment checkout/nope was not found");
    RemediationResult result = executor.execute("delete-pod", target("checkout", "nope"),
        new RemediationPreview("p", "1", null), CONTEXT);
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.detail()).isEqualTo("pod checkout/nope was not found");
  }

  @Test
  void namesThatAreNotKubernetesNamesAndKubeSystemAreRefusedBeforeAnyRequest() {
    for (RemediationTarget bad : List.of(target("checkout", ""), target("checkout", "../etc"),
        target("checkout", "*"), target("checkout", "Payments"), target("", "x"),
        target("a/b", "x"), target("checkout", "x".repeat(254)), target("kube-system", "dns"),
        target("checkout", "a\nb"))) {
      for (String op : KubernetesOperation.ids()) {
        RemediationTarget t = new RemediationTarget(bad.namespace(), bad.name(),
            Map.of(KubernetesExecutor.REPLICAS, "1"));
        assertThatThrownBy(() -> executor.preview(op, t))
            .isInstanceOf(RemediationException.class);
        RemediationResult result =
            executor.execute(op, t, new RemediationPreview("p", "1", null), CONTEXT);
        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.detail()).doesNotContain("\n");
      }
    }
  }

  @Test
  void anUnknownOperationIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> executor.preview("drain-node", target("checkout", "x")))
        .hasMessageContaining("unknown kubernetes operation \"drain-node\"")
        .hasMessageContaining("rollout-restart, scale, delete-pod");
    assertThat(executor.execute("drain-node", target("checkout", "x"),
        new RemediationPreview("p", "1", null), CONTEXT).outcome()).isEqualTo(Outcome.FAILED);
  }

  @Test
  void anAccessReviewThatSaysNoFailsTheExecutionWithItsReasonAndChangesNothing() {
    create(deployment("checkout", "payments-api", false, Map.of()));
    RemediationPreview preview = currentPreview("checkout", "payments-api");
    answerAccessReview(false, "no RBAC policy matched");

    RemediationResult result = executor.execute("rollout-restart",
        target("checkout", "payments-api"), preview, CONTEXT);

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.detail()).contains("may not patch deployments in namespace checkout")
        .contains("no RBAC policy matched");
    assertThat(get("checkout", "payments-api").getMetadata().getResourceVersion())
        .isEqualTo(preview.resourceVersion());
  }

  @Test
  void aRefusalOrAnUnreachableServerNeverShowsTheTokenInResultsOrLogs() throws Exception {
    String token = "sha256~very-secret-token-0123456789";
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.setContext(context);
    logs.start();
    root.addAppender(logs);
    try {
      server.expect().get().withPath("/apis/apps/v1/namespaces/checkout/deployments/denied")
          .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
              .withMessage("deployments.apps \"denied\" is forbidden: User \"system:"
                  + "serviceaccount:alertdesk:alertdesk\" cannot get resource \"deployments\"")
              .build()).always();
      Config withToken = new ConfigBuilder(client.getConfiguration()).withOauthToken(token).build();
      int closed;
      try (ServerSocket socket = new ServerSocket(0)) {
        closed = socket.getLocalPort();
      }
      Config unreachable = new ConfigBuilder(Config.empty())
          .withMasterUrl("https://127.0.0.1:" + closed).withOauthToken(token)
          .withRequestRetryBackoffLimit(0).withConnectionTimeout(2000).build();
      try (KubernetesExecutor refused = new KubernetesExecutor(
              new KubernetesClientBuilder().withConfig(withToken).build(), Clock.systemUTC());
          KubernetesExecutor offline = new KubernetesExecutor(
              new KubernetesClientBuilder().withConfig(unreachable).build(), Clock.systemUTC())) {
        assertThatThrownBy(() -> refused.preview("rollout-restart", target("checkout", "denied")))
            .hasMessageContaining("403 Forbidden").hasMessageContaining("cannot get resource")
            .hasMessageNotContaining(token);
        RemediationResult failed = offline.execute("rollout-restart",
            target("checkout", "x"), new RemediationPreview("p", "1", null), CONTEXT);
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.detail()).contains("could not be reached").doesNotContain(token);
        assertThatThrownBy(() -> offline.preview("scale", new RemediationTarget("checkout", "x",
            Map.of("replicas", "2")))).hasMessageContaining("could not be reached")
            .hasMessageNotContaining(token);
      }
      assertThat(logs.list).isNotEmpty().allSatisfy(e -> {
        assertThat(e.getFormattedMessage()).doesNotContain(token);
        if (e.getThrowableProxy() != null) {
          assertThat(e.getThrowableProxy().getMessage()).doesNotContain(token);
        }
      });
    } finally {
      root.detachAppender(logs);
    }
  }

  private void answerAccessReview(boolean allowed, String reason) {
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        .andReturn(201, new SelfSubjectAccessReviewBuilder().withNewStatus().withAllowed(allowed)
            .withReason(reason).endStatus().build()).always();
  }

  private static RemediationTarget target(String namespace, String name) {
    return new RemediationTarget(namespace, name, Map.of());
  }

  private RemediationPreview currentPreview(String namespace, String name) {
    Deployment d = get(namespace, name);
    return new RemediationPreview("stored", d.getMetadata().getResourceVersion(),
        d.getMetadata().getGeneration());
  }

  private Deployment get(String namespace, String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name).get();
  }

  private Deployment create(Deployment d) {
    return client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d)
        .create();
  }

  private Pod create(Pod p) {
    return client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
  }

  static Deployment deployment(String namespace, String name, boolean paused,
      Map<String, String> labels) {
    return new DeploymentBuilder().withNewMetadata().withNamespace(namespace).withName(name)
        .withLabels(labels).endMetadata()
        .withNewSpec().withReplicas(3).withPaused(paused)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name)
        .addToAnnotations("keep", "me").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.36").endContainer()
        .endSpec().endTemplate().endSpec().build();
  }

  static Pod pod(String namespace, String name) {
    return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name)
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
        .withName("payments-api-7d9").withUid("0b6f1d2e-0000-4000-8000-000000000001")
        .withController(true).endOwnerReference().endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.36").endContainer()
        .endSpec().withNewStatus().withPhase("Running").endStatus().build();
  }

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }
}
