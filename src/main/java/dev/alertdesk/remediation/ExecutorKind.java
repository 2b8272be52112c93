package dev.alertdesk.remediation;

import java.util.List;
import java.util.Locale;

/** Which executor carries out an action, with the operations it knows. */
public enum ExecutorKind {
  /** fabric8 against the Kubernetes API: {@code rollout-restart}, {@code scale}, {@code delete-pod}. */
  KUBERNETES(List.of("rollout-restart", "scale", "delete-pod")),
  /** A signed POST to a separate remediation-executor service; its operation is {@code post}. */
  HTTP(List.of("post"));

  private final List<String> operations;

  ExecutorKind(List<String> operations) {
    this.operations = operations;
  }

  /** The operations this executor accepts, as written in {@code CONFIG_FILE}. */
  public List<String> operations() {
    return operations;
  }

  /** Returns the lower-case name used in {@code CONFIG_FILE} ({@code kubernetes}, {@code http}). */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
