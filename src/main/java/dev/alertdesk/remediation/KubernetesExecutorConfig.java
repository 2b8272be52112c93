package dev.alertdesk.remediation;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@code kubernetes} executor's settings, from {@code CONFIG_FILE}:
 * <pre>{@code
 * remediation:
 *   executors:
 *     kubernetes:
 *       kubeconfig: /etc/alertdesk/kubeconfig   # optional; see below
 *       timeout: 10s                            # optional; per API request, default 10s
 * }</pre>
 * An empty {@code kubernetes: {}} is enough inside a cluster.
 *
 * @param kubeconfig a kubeconfig file whose current context is used, or null for fabric8's
 *     auto-configuration: the in-cluster service account
 *     ({@code /var/run/secrets/kubernetes.io/serviceaccount}) when present, else the file named
 *     by {@code KUBECONFIG}, else {@code ~/.kube/config}
 * @param timeout the connect and request timeout of each API request; positive, at most 5 min
 */
public record KubernetesExecutorConfig(@Nullable Path kubeconfig, Duration timeout) {
  /** The timeout when the file gives none. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Checks the timeout.
   *
   * @throws IllegalArgumentException when it is not positive or longer than 5 minutes
   */
  public KubernetesExecutorConfig {
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("timeout must be more than 0 and at most 5m");
    }
  }

  /** In-cluster (or {@code KUBECONFIG}) credentials and the default timeout. */
  public static KubernetesExecutorConfig defaults() {
    return new KubernetesExecutorConfig(null, DEFAULT_TIMEOUT);
  }
}
