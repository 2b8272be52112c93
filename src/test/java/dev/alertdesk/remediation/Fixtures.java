package dev.alertdesk.remediation;

import dev.alertdesk.alert.Matchers;
import dev.alertdesk.rbac.AccessDecision;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Catalogue actions and access decisions for the pure remediation tests. */
final class Fixtures {
  private Fixtures() {}

  static RemediationAction restart(ApprovalPolicy approval) {
    return new RemediationAction("restart-deployment", "Restart deployment",
        Matchers.parseEach(List.of("alertname=\"KubePodCrashLooping\"")), ExecutorKind.KUBERNETES,
        "rollout-restart", TargetTemplate.parse("{{ .Labels.namespace }}",
            TargetTemplate.Kind.NAMESPACE),
        TargetTemplate.parse("{{ .Labels.deployment }}", TargetTemplate.Kind.NAME),
        new NamespacePolicy(List.of("checkout", "team-*"), List.of("team-db")),
        "alertdesk.io/remediable=true", null, null, null, approval);
  }

  static ApprovalPolicy leads(int count) {
    return new ApprovalPolicy(List.of("leads"), count, Duration.ofMinutes(15),
        ApprovalPolicy.Required.ALWAYS);
  }

  static AccessDecision allowed(String... roles) {
    return new AccessDecision(true, "granted", List.of(roles), Map.of("S0LEADS", true));
  }

  static AccessDecision denied(String reason) {
    return new AccessDecision(false, reason, List.of(), Map.of("S0LEADS", false));
  }
}
