package dev.alertdesk.app;

import dev.alertdesk.config.Settings;
import dev.alertdesk.rbac.Authorizer;
import dev.alertdesk.remediation.ExecutorKind;
import dev.alertdesk.remediation.RemediationExecutor;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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

  /** Copies the map. */
  public RemediationParts {
    executors = Map.copyOf(executors);
  }

  /**
   * The parts the settings configure.
   *
   * @param settings validated settings
   */
  public static RemediationParts fromSettings(Settings settings) {
    // The executors' factory is wired here when it lands.
    return new RemediationParts(null, Map.of());
  }
}
