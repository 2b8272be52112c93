package dev.alertdesk.remediation;

import org.jspecify.annotations.Nullable;

/**
 * The {@code remediation} section of {@code CONFIG_FILE} with {@code REMEDIATION_ENABLED}.
 *
 * @param enabled {@code REMEDIATION_ENABLED}: false is the kill switch (no request anywhere);
 *     default true when the section exists
 * @param catalogue the actions and the total limit
 * @param kubernetes the {@code kubernetes} executor's settings, or null when not configured
 * @param http the {@code http} executor's settings, or null when not configured
 */
public record RemediationConfig(boolean enabled, RemediationCatalogue catalogue,
    @Nullable KubernetesExecutorSettings kubernetes, @Nullable HttpExecutorSettings http) {
  /** No remediation section. */
  public static final RemediationConfig NONE =
      new RemediationConfig(false, RemediationCatalogue.EMPTY, null, null);

  /** Returns true when the section exists with at least one action. */
  public boolean configured() {
    return !catalogue.actions().isEmpty();
  }
}
