package dev.alertdesk.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.alert.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The policy engine as tables: namespaces, targets, offers, limits and scale bounds. */
final class PolicyTest {
  private static final NamespacePolicy POLICY =
      new NamespacePolicy(List.of("checkout", "team-*", "p?y"), List.of("team-db*"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "checkout, allowed",
      "team-a, allowed",
      "team-, allowed",
      "pay, allowed",
      "paay, 'not on the allow-list'",
      "team-db, 'deny-list'",
      "team-dbx, 'deny-list'",
      "kube-system, 'always denied'",
      "default, 'not on the allow-list'",
      "checkout2, 'not on the allow-list'"})
  void namespacesMustBeAllowedAndNotDenied(String namespace, String expected) {
    var refusal = POLICY.refusal(namespace);
    if (expected.equals("allowed")) {
      assertThat(refusal).isEmpty();
    } else {
      assertThat(refusal).get().asString().contains(expected);
    }
  }

  @Test
  void kubeSystemIsDeniedEvenWhenAllowedByAGlob() {
    assertThat(new NamespacePolicy(List.of("*"), List.of()).refusal("kube-system")).isPresent();
    assertThat(new NamespacePolicy(List.of("*"), List.of()).refusal("anything")).isEmpty();
  }

  static Stream<Arguments> targets() {
    return Stream.of(
        Arguments.of(Labels.of("alertname", "KubePodCrashLooping", "namespace", "checkout",
            "deployment", "payments-api"), "checkout/payments-api", null),
        Arguments.of(Labels.of("alertname", "KubePodCrashLooping", "namespace", "kube-system",
            "deployment", "coredns"), null, "always denied"),
        Arguments.of(Labels.of("alertname", "KubePodCrashLooping", "namespace", "team-db",
            "deployment", "pg"), null, "deny-list"),
        Arguments.of(Labels.of("alertname", "KubePodCrashLooping", "namespace", "checkout"),
            null, "no label deployment"),
        Arguments.of(Labels.of("alertname", "KubePodCrashLooping", "namespace", "checkout",
            "deployment", "../../secrets"), null, "not a valid object name"));
  }

  @ParameterizedTest
  @MethodSource("targets")
  void targetsAreBuiltFromLabelsAndChecked(Labels labels, String expected, String refusal) {
    RemediationAction.TargetResult t = Fixtures.restart(Fixtures.leads(1)).target(labels);
    if (expected == null) {
      assertThat(t.target()).isNull();
      assertThat(t.refusal()).contains(refusal);
    } else {
      assertThat(t.target().namespace() + "/" + t.target().name()).isEqualTo(expected);
      assertThat(t.target().parameters()).containsEntry("requiredLabel",
          "alertdesk.io/remediable=true");
    }
  }

  @Test
  void anActionIsOfferedOnlyWhereItsMatchersMatch() {
    RemediationCatalogue c = new RemediationCatalogue(List.of(Fixtures.restart(Fixtures.leads(1))),
        null);
    assertThat(c.offersFor(Labels.of("alertname", "KubePodCrashLooping"))).hasSize(1);
    assertThat(c.offersFor(Labels.of("alertname", "HighLatency"))).isEmpty();
    assertThat(c.find("restart-deployment")).isPresent();
    assertThat(c.find("nope")).isEmpty();
  }

  @ParameterizedTest(name = "{0}/{1} after {2} ms from {3} thousandths -> {4}")
  @CsvSource({
      "3, 3600000, 0, 0, 0",
      "3, 3600000, 1200000, 0, 1000",
      "3, 3600000, 600000, 500, 1000",
      "3, 3600000, 99999999, 0, 3000",
      "1, 1000, 500, 0, 500"})
  void tokenBucketsRefillEvenlyUpToTheirCapacity(int count, long periodMillis, long elapsed,
      long stored, long expected) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(TokenBucket.refill(new RateLimit(count, Duration.ofMillis(periodMillis)), stored,
        t, t.plusMillis(elapsed))).isEqualTo(expected);
  }

  @Test
  void limitsParseAsCountPerPeriod() {
    RateLimit l = RateLimit.parse("3/1h", s -> Duration.ofHours(1));
    assertThat(l.count()).isEqualTo(3);
    assertThat(l).hasToString("3/1h");
    assertThatThrownBy(() -> RateLimit.parse("3 per hour", s -> Duration.ofHours(1)))
        .hasMessageContaining("COUNT/PERIOD");
    assertThatThrownBy(() -> RateLimit.parse("0/1h", s -> Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "replicas {0} in {1}-{2}, max change {3}: {4}")
  @CsvSource({
      "5, 1, 10, 3, ok",
      "10, 1, 10, 3, ok",
      "+2, 1, 10, 3, 'whole number'",
      "-3, 1, 10, 3, 'whole number'",
      "11, 1, 10, 3, outside",
      "0, 1, 10, 3, outside",
      "x, 1, 10, 3, 'whole number'",
      "5, 6, 5, 3, 'min <= max'"})
  void scaleBoundsAreCheckedWhenConfigured(String replicas, int min, int max, int maxChange,
      String expected) {
    if (expected.equals("ok")) {
      assertThat(new ScaleBounds(replicas, min, max, maxChange).replicas()).isEqualTo(replicas);
    } else {
      assertThatThrownBy(() -> new ScaleBounds(replicas, min, max, maxChange))
          .hasMessageContaining(expected);
    }
  }

  @Test
  void approvalPoliciesNeedApproversWhenRequired() {
    assertThatThrownBy(() -> new ApprovalPolicy(List.of(), 1, Duration.ofMinutes(15),
        ApprovalPolicy.Required.ALWAYS)).hasMessageContaining("approvers");
    assertThat(new ApprovalPolicy(List.of(), 1, Duration.ofMinutes(15),
        ApprovalPolicy.Required.NEVER).approvalsNeeded()).isZero();
    assertThat(Fixtures.leads(2).approvalsNeeded()).isEqualTo(2);
  }
}
