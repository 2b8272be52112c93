package dev.alertdesk.app;

import dev.alertdesk.config.Settings;
import dev.alertdesk.rbac.Authorizer;
import dev.alertdesk.remediation.ExecutorKind;
import dev.alertdesk.remediation.HttpExecutorConfig;
import dev.alertdesk.remediation.KubernetesExecutorConfig;
import dev.alertdesk.remediation.RemediationConfig;
import dev.alertdesk.remediation.RemediationException;
import dev.alertdesk.remediation.RemediationExecutor;
import dev.alertdesk.remediation.RemediationExecutors;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What remediation needs beyond its catalogue: an {@link Authorizer} to use instead of the
 * {@code rbac} section's (tests), and one {@link RemediationExecutor} per configured executor
 * kind.
 *
 * @param authorizer decides grants and roles for every action, or null to use the one
 *     {@code RbacWiring} builds from the {@code rbac} section
 * @param executors the executors by kind; a kind missing here fails its requests' previews
 */
public record RemediationParts(@Nullable Authorizer authorizer,
    Map<ExecutorKind, RemediationExecutor> executors) {
  private static final Logger log = LoggerFactory.getLogger(RemediationParts.class);

  /** Copies the map. */
  public RemediationParts {
    executors = Map.copyOf(executors);
  }

  /**
   * The executors the settings configure, built by {@link RemediationExecutors}: the
   * {@code kubernetes} one when an action uses it (fabric8's in-cluster or {@code KUBECONFIG}
   * configuration unless {@code remediation.executors.kubernetes} names a kubeconfig), the
   * {@code http} one when {@code remediation.executors.http} is set. A kubeconfig that cannot
   * be read is logged and leaves that executor out (its requests fail at the preview, saying so).
   *
   * @param settings validated settings
   * @param clock the executors' clock
   */
  public static RemediationParts fromSettings(Settings settings, Clock clock) {
    RemediationConfig c = settings.remediation();
    if (!c.configured()) {
      return new RemediationParts(null, Map.of());
    }
    boolean kube = c.catalogue().actions().stream()
        .anyMatch(a -> a.executor() == ExecutorKind.KUBERNETES);
    KubernetesExecutorConfig k = !kube ? null : c.kubernetes() == null
        ? KubernetesExecutorConfig.defaults()
        : new KubernetesExecutorConfig(c.kubernetes().kubeconfig(), c.kubernetes().timeout());
    HttpExecutorConfig h = c.http() == null ? null : new HttpExecutorConfig(c.http().url(),
        c.http().secretEnv(), c.http().secret(), c.http().timeout());
    Map<ExecutorKind, RemediationExecutor> out = new LinkedHashMap<>();
    try {
      RemediationExecutors.build(k, h, clock).forEach((kind, e) ->
          out.put(ExecutorKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), e));
    } catch (RemediationException | IllegalArgumentException e) {
      log.error("remediation executors could not be built, remediation requests will fail: {}",
          e.getMessage());
    }
    return new RemediationParts(null, out);
  }
}
