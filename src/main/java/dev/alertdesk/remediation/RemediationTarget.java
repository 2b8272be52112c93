package dev.alertdesk.remediation;

import java.util.Map;

/**
 * What a remediation acts on, built from the alert's labels by the catalogue's templates and
 * already checked against the action's allow- and deny-lists.
 *
 * @param namespace the Kubernetes namespace (for the {@code http} executor: passed through)
 * @param name the object's name: a Deployment, or for {@code delete-pod} the pod
 * @param parameters the operation's parameters, such as {@code replicas} for {@code scale};
 *     empty when it has none
 */
public record RemediationTarget(String namespace, String name, Map<String, String> parameters) {
  /**
   * Parameter: a label {@code key=value} the target object must carry, such as
   * {@code alertdesk.io/remediable=true}; absent when the action requires none. The executor
   * refuses a target without it.
   */
  public static final String REQUIRED_LABEL = "requiredLabel";
  /** Parameter of {@code scale}: the new replica count, a decimal number. */
  public static final String REPLICAS = "replicas";
  /** Parameter of {@code scale}: the fewest replicas the result may have. */
  public static final String MIN_REPLICAS = "min_replicas";
  /** Parameter of {@code scale}: the most replicas the result may have. */
  public static final String MAX_REPLICAS = "max_replicas";
  /** Parameter of {@code scale}: the largest change from the current count. */
  public static final String MAX_CHANGE = "max_change";

  /** Copies the parameters. */
  public RemediationTarget {
    parameters = Map.copyOf(parameters);
  }
}
