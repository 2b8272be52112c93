package dev.alertdesk.remediation;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds the remediation executors from their settings: an explicit factory, no reflection (as
 * Alertmanager builds its integrations in {@code config/receiver/receiver.go}). The catalogue
 * names an executor by its kind, {@value #KUBERNETES} or {@value #HTTP}.
 *
 * <p>YAML keys: {@link KubernetesExecutorConfig} and {@link HttpExecutorConfig}.
 */
public final class RemediationExecutors {
  /** The kind of the executor that changes Kubernetes objects itself. */
  public static final String KUBERNETES = "kubernetes";
  /** The kind of the executor that POSTs a signed request to a remediation-executor service. */
  public static final String HTTP = "http";

  private RemediationExecutors() {
  }

  /**
   * Builds every configured executor.
   *
   * @param kubernetes the {@code kubernetes} settings, or null when it is not configured
   * @param http the {@code http} settings, or null when it is not configured
   * @param clock the clock for timestamps
   * @return the executors by kind, in the order above; empty when neither is configured. The
   *     caller closes the {@code kubernetes} one ({@link KubernetesExecutor#close()}) at shutdown.
   * @throws RemediationException when the kubeconfig cannot be read
   */
  public static Map<String, RemediationExecutor> build(
      @Nullable KubernetesExecutorConfig kubernetes, @Nullable HttpExecutorConfig http,
      Clock clock) {
    Map<String, RemediationExecutor> out = new LinkedHashMap<>();
    if (kubernetes != null) {
      out.put(KUBERNETES, kubernetes(kubernetes, clock));
    }
    if (http != null) {
      out.put(HTTP, http(http, clock));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Builds the {@code kubernetes} executor with its own fabric8 client. It connects lazily: an
   * API server that cannot be reached shows at the first preview, not here. Requests are not
   * retried (a change is sent once), and each times out after {@code config.timeout()}.
   *
   * @param config where the credentials come from, and the timeout
   * @param clock the time written as {@code restartedAt}
   * @return the executor, which owns the client
   * @throws RemediationException when {@code config.kubeconfig()} is set but cannot be read or
   *     used (the message names the file, never its content)
   */
  public static KubernetesExecutor kubernetes(KubernetesExecutorConfig config, Clock clock) {
    return new KubernetesExecutor(client(config), clock);
  }

  /**
   * Builds the {@code http} executor.
   *
   * @param config the URL, secret and timeout
   * @param clock the time in each request's signed timestamp
   * @return the executor
   */
  public static HttpExecutor http(HttpExecutorConfig config, Clock clock) {
    return new HttpExecutor(config, clock);
  }

  static KubernetesClient client(KubernetesExecutorConfig config) {
    Config base;
    Path file = config.kubeconfig();
    if (file != null) {
      if (!Files.isReadable(file)) {
        throw new RemediationException("kubeconfig " + file + " cannot be read");
      }
      try {
        base = Config.fromKubeconfig(file.toFile());
      } catch (RuntimeException e) {
        throw new RemediationException("kubeconfig " + file + " cannot be used ("
            + e.getClass().getSimpleName() + ")");
      }
    } else {
      base = Config.autoConfigure(null);
    }
    int millis = (int) config.timeout().toMillis();
    Config tuned = new ConfigBuilder(base).withConnectionTimeout(millis)
        .withRequestTimeout(millis).withRequestRetryBackoffLimit(0).build();
    return new KubernetesClientBuilder().withConfig(tuned).build();
  }
}
