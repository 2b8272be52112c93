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

  /** Copies the parameters. */
  public RemediationTarget {
    parameters = Map.copyOf(parameters);
  }
}
