package dev.alertdesk.app;

import dev.alertdesk.config.Settings;
import dev.alertdesk.rbac.Authorizer;
import dev.alertdesk.remediation.ExecutorKind;
import dev.alertdesk.remediation.RemediationExecutor;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What remediation needs beyond its catalogue: the {@link Authorizer} built from the
 * {@code rbac} section (null when there is none: remediation then stays off) and one
 * {@link RemediationExecutor} per configured executor kind.
 *
 * @param authorizer decides grants and roles, or null when RBAC is not configured
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
    // The rbac section's Authorizer and the executors' factory are wired here when they land.
    return new RemediationParts(null, Map.of());
  }
}
