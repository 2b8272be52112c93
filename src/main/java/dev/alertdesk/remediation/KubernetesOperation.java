package dev.alertdesk.remediation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The operations of the {@code kubernetes} executor, each with the one Kubernetes permission it
 * needs. These permissions are exactly the rules of the least-privilege Role in the Helm chart
 * ({@code deploy/helm/alertdesk/templates/remediation-role.yaml}), and the
 * {@code SelfSubjectAccessReview} made before each execution asks for the same one.
 */
public enum KubernetesOperation {
  /**
   * {@code kubectl rollout restart deployment}: sets the pod-template annotation
   * {@code kubectl.kubernetes.io/restartedAt}; needs {@code patch} on {@code apps/deployments}
   * (and {@code get} to read it).
   */
  ROLLOUT_RESTART("rollout-restart", "apps", "deployments", "", "patch"),
  /**
   * {@code kubectl scale deployment}: replaces the {@code scale} subresource; needs
   * {@code update} on {@code apps/deployments/scale}.
   */
  SCALE("scale", "apps", "deployments", "scale", "update"),
  /** {@code kubectl delete pod NAME}, one pod by name; needs {@code delete} on {@code pods}. */
  DELETE_POD("delete-pod", "", "pods", "", "delete");

  private final String id;
  private final String apiGroup;
  private final String resource;
  private final String subresource;
  private final String verb;

  KubernetesOperation(String id, String apiGroup, String resource, String subresource,
      String verb) {
    this.id = id;
    this.apiGroup = apiGroup;
    this.resource = resource;
    this.subresource = subresource;
    this.verb = verb;
  }

  /** The operation's name in the catalogue, such as {@code rollout-restart}. */
  public String id() {
    return id;
  }

  /** The API group of the permission, {@code ""} for the core group. */
  public String apiGroup() {
    return apiGroup;
  }

  /** The resource of the permission, such as {@code deployments}. */
  public String resource() {
    return resource;
  }

  /** The subresource of the permission, such as {@code scale}, or {@code ""} for none. */
  public String subresource() {
    return subresource;
  }

  /** The verb that changes the target, such as {@code patch}. */
  public String verb() {
    return verb;
  }

  /** The resource as RBAC rules name it: {@code deployments/scale}, or {@code pods}. */
  public String rbacResource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  /** Every operation's id, in declaration order (for usage and config error messages). */
  public static List<String> ids() {
    return Arrays.stream(values()).map(KubernetesOperation::id).toList();
  }

  /**
   * Finds an operation by its id.
   *
   * @param id an id such as {@code rollout-restart}; compared case-insensitively
   * @return the operation
   * @throws RemediationException naming the known ids when there is none by that id
   */
  public static KubernetesOperation parse(String id) {
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    for (KubernetesOperation op : values()) {
      if (op.id.equals(wanted)) {
        return op;
      }
    }
    throw new RemediationException("unknown kubernetes operation \"" + clip(id)
        + "\"; known: " + String.join(", ", ids()));
  }

  private static String clip(String s) {
    String oneLine = s.replaceAll("\\p{Cntrl}", "?");
    return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 60) + "…";
  }
}
