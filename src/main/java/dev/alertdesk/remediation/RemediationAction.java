package dev.alertdesk.remediation;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.alert.Matchers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the {@code remediation.actions} catalogue.
 *
 * @param id the action's id, {@code [a-z0-9][a-z0-9-]*}; grant names are
 *     {@code remediate:<id>} and {@code approve:<id>}
 * @param title the button's text, such as {@code Restart deployment}
 * @param when the matchers an incident's common labels must match to offer it
 * @param executor which executor carries it out
 * @param operation the executor's operation ({@link ExecutorKind#operations()})
 * @param namespace the target namespace's template
 * @param name the target object's template
 * @param namespaces the namespace allow- and deny-lists
 * @param requiredLabel a label {@code key=value} the target object must carry, or null
 * @param perTarget the limit per target (namespace and name), or null for none
 * @param perAction the limit of this action over all targets, or null for none
 * @param scale for {@code scale}: the new count and its bounds; else null
 * @param approval the approval policy
 */
public record RemediationAction(
    String id,
    String title,
    Matchers when,
    ExecutorKind executor,
    String operation,
    TargetTemplate namespace,
    TargetTemplate name,
    NamespacePolicy namespaces,
    @Nullable String requiredLabel,
    @Nullable RateLimit perTarget,
    @Nullable RateLimit perAction,
    @Nullable ScaleBounds scale,
    ApprovalPolicy approval) {

  /** The grant needed to request it: {@code remediate:<id>}. */
  public String requestGrant() {
    return "remediate:" + id;
  }

  /** The grant needed to approve or reject it: {@code approve:<id>}. */
  public String approveGrant() {
    return "approve:" + id;
  }

  /** Returns true when an incident with these common labels offers this action. */
  public boolean offeredFor(Labels labels) {
    return !when.isEmpty() && when.matches(labels);
  }

  /**
   * Builds and checks the target from an incident's common labels: both templates, the
   * namespace lists, and the parameters ({@link RemediationTarget#REQUIRED_LABEL}, the scale
   * bounds).
   *
   * @return the target, or why it is refused
   */
  public TargetResult target(Labels labels) {
    TargetTemplate.Rendered ns = namespace.render(labels);
    if (!ns.ok()) {
      return TargetResult.refused("namespace: " + ns.refusal());
    }
    TargetTemplate.Rendered n = name.render(labels);
    if (!n.ok()) {
      return TargetResult.refused("name: " + n.refusal());
    }
    String refusal = namespaces.refusal(ns.value()).orElse(null);
    if (refusal != null) {
      return TargetResult.refused(refusal);
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (requiredLabel != null) {
      params.put(RemediationTarget.REQUIRED_LABEL, requiredLabel);
    }
    if (scale != null) {
      params.put(RemediationTarget.REPLICAS, scale.replicas());
      params.put(RemediationTarget.MIN_REPLICAS, String.valueOf(scale.minReplicas()));
      params.put(RemediationTarget.MAX_REPLICAS, String.valueOf(scale.maxReplicas()));
      params.put(RemediationTarget.MAX_CHANGE, String.valueOf(scale.maxChange()));
    }
    return new TargetResult(new RemediationTarget(ns.value(), n.value(), params), null);
  }

  /**
   * A target, or why none could be built.
   *
   * @param target the target, or null when refused
   * @param refusal the reason (may quote untrusted label text; escape it), or null
   */
  public record TargetResult(@Nullable RemediationTarget target, @Nullable String refusal) {
    static TargetResult refused(String why) {
      return new TargetResult(null, why);
    }
  }
}
