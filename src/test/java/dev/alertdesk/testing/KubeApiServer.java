package dev.alertdesk.testing;

import com.marcnuri.helm.Helm;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Kubernetes API server (kube-apiserver 1.20.2 with etcd 3.4) for integration tests,
 * started by fabric8's kube-api-test in offline mode from binaries that
 * {@code .ci/kube-apiserver.sh} builds from Debian's source package. It enforces RBAC, honours
 * {@code dryRun=All}, TokenRequest and SelfSubjectAccessReview; no controllers run, so a
 * Deployment's template changes but no pods roll.
 *
 * <p><b>Where the binaries are:</b> {@code <dir>/k8s/1.20.2-linux-amd64/{kube-apiserver,etcd,
 * kubectl}}, where {@code <dir>} is the system property {@value #DIR_PROPERTY}, else the
 * environment variable {@value #DIR_ENV}, else {@code ~/.cache/alertdesk}: the layout and
 * default of {@code .ci/kube-apiserver.sh}. The server's certificates are written there too.
 *
 * <p><b>When they are missing</b> the test fails and says how to build them. It is skipped only
 * when the environment variable {@value #SKIP_ENV} is {@code true}: never by default, so a CI run
 * without the binaries cannot pass silently.
 */
public final class KubeApiServer implements AutoCloseable {
  /** The system property naming the cache directory. */
  public static final String DIR_PROPERTY = "alertdesk.kubeApiTestDir";
  /** The environment variable naming the cache directory (as {@code .ci/kube-apiserver.sh}). */
  public static final String DIR_ENV = "ALERTDESK_TEST_CACHE";
  /** Set to {@code true} to skip the tests that need the real API server. */
  public static final String SKIP_ENV = "ALERTDESK_SKIP_KUBE_APISERVER";
  /** The one version built here. */
  public static final String VERSION = "1.20.2";

  private final KubeAPIServer server;
  private final KubernetesClient admin;
  private final Config adminConfig;

  private KubeApiServer(KubeAPIServer server) {
    this.server = server;
    this.adminConfig = Config.fromKubeconfig(server.getKubeConfigYaml());
    this.admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
  }

  /**
   * Starts etcd and kube-apiserver on free loopback ports; up to 3 minutes on a loaded machine.
   *
   * @return the running server
   * @throws AssertionError when the binaries are missing (with how to build them)
   */
  public static KubeApiServer start() {
    Assumptions.assumeFalse("true".equalsIgnoreCase(System.getenv(SKIP_ENV)),
        SKIP_ENV + "=true: the real kube-apiserver tests are skipped");
    Path dir = directory();
    Path binaries = dir.resolve("k8s").resolve(VERSION + "-linux-amd64");
    for (String binary : new String[] {"kube-apiserver", "etcd", "kubectl"}) {
      if (!Files.isExecutable(binaries.resolve(binary))) {
        throw new AssertionError("no executable " + binaries.resolve(binary)
            + ": build kube-apiserver " + VERSION + " with .ci/kube-apiserver.sh (.ci/run does;"
            + " about 4 minutes on idle cores, much longer on a busy machine), or point -D" + DIR_PROPERTY + " or " + DIR_ENV
            + " at the directory that has k8s/" + VERSION + "-linux-amd64; set " + SKIP_ENV
            + "=true to skip these tests");
      }
    }
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withOfflineMode(true).withTestDir(dir.toString()).withApiServerVersion(VERSION)
        .withStartupTimeout(180_000).withWaitForEtcdHealthCheckOnStartup(true).build());
    server.start();
    return new KubeApiServer(server);
  }

  /** The cache directory, as the class comment says. */
  public static Path directory() {
    String property = System.getProperty(DIR_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String env = System.getenv(DIR_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "alertdesk");
  }

  /** A client in {@code system:masters}: everything is allowed. */
  public KubernetesClient admin() {
    return admin;
  }

  /** Creates a namespace. */
  public void createNamespace(String name) {
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .endMetadata().build()).create();
  }

  /**
   * Creates a ServiceAccount (when missing) and a token for it (TokenRequest, one hour).
   *
   * @return the bearer token
   */
  public String serviceAccountToken(String namespace, String name) {
    if (admin.serviceAccounts().inNamespace(namespace).withName(name).get() == null) {
      admin.serviceAccounts().inNamespace(namespace).resource(
          new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata()
              .withName(name).endMetadata().build()).create();
    }
    TokenRequest request = admin.serviceAccounts().inNamespace(namespace).withName(name)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L)
            .endSpec().build());
    return request.getStatus().getToken();
  }

  /**
   * Writes a kubeconfig that authenticates with {@code token} and trusts this server's
   * certificate, as a ServiceAccount's in-cluster configuration would.
   *
   * @return the file
   */
  public Path writeKubeconfig(Path dir, String token) throws IOException {
    String ca = adminConfig.getCaCertData() != null ? adminConfig.getCaCertData()
        : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(adminConfig.getCaCertFile())));
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
          - name: test
            cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
          - name: executor
            user: {token: "%s"}
        contexts:
          - name: test
            context: {cluster: test, user: executor}
        current-context: test
        """.formatted(adminConfig.getMasterUrl(), ca, token);
    Path file = dir.resolve("kubeconfig-" + Math.abs(token.hashCode()));
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Renders the Helm chart ({@code deploy/helm/alertdesk}, release {@code alertdesk} in namespace
   * {@code alertdesk}) with remediation on for {@code namespaces} and creates its ServiceAccount,
   * Roles and RoleBindings here; the namespaces must exist.
   *
   * @param dir a directory for the values file
   * @param namespaces the chart's {@code remediation.namespaces}
   * @return the objects created, as rendered
   */
  public List<HasMetadata> applyChartRemediationRbac(Path dir, List<String> namespaces)
      throws IOException {
    Path values = dir.resolve("values-remediation.yaml");
    Files.writeString(values, "remediation: {enabled: true, namespaces: ["
        + String.join(", ", namespaces) + "]}\n", StandardCharsets.UTF_8);
    String manifest = new Helm(Path.of("deploy/helm/alertdesk").toAbsolutePath()).template()
        .withName("alertdesk").withNamespace("alertdesk").withValuesFile(values).call();
    List<HasMetadata> created = new ArrayList<>();
    for (String document : manifest.split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
        HasMetadata object = Serialization.unmarshal(document, HasMetadata.class);
        if (object instanceof Role || object instanceof RoleBinding
            || object.getKind().equals("ServiceAccount")) {
          created.add(object);
          String ns = object.getMetadata().getNamespace() == null ? "alertdesk"
              : object.getMetadata().getNamespace();
          admin.resource(object).inNamespace(ns).create();
        }
      }
    }
    return created;
  }

  /** Stops the API server and etcd and deletes etcd's data. */
  @Override
  public void close() {
    admin.close();
    server.stop();
  }
}
