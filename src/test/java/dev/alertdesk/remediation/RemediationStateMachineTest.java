package dev.alertdesk.remediation;

import static dev.alertdesk.remediation.Fixtures.allowed;
import static dev.alertdesk.remediation.Fixtures.denied;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.rbac.AccessDecision;
import dev.alertdesk.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The request state machine: each rule as a small table of steps, and a property test over
 * random event sequences that nothing reaches EXECUTING without unexpired approvals by distinct,
 * authorised people other than the requester.
 */
final class RemediationStateMachineTest {
  private static final Instant T0 = Instant.parse("2026-12-04T14:00:00Z");
  private static final RemediationTarget TARGET =
      new RemediationTarget("checkout", "payments-api", Map.of());
  private static final RemediationPreview PREVIEW =
      new RemediationPreview("restartedAt 2026-12-04T14:00:00Z", "12345", 7L);

  private final MutableClock clock = new MutableClock(T0);
  private final RemediationStateMachine machine = new RemediationStateMachine(clock);

  private RemediationRequest pending(ApprovalPolicy policy) {
    RemediationRequest r = machine.request("rq_1", 42, Fixtures.restart(policy), TARGET,
        "UALICE", "alice", "#alerts");
    r = machine.previewed(r, PREVIEW).after();
    return machine.awaitApproval(r, policy).after();
  }

  private static ExecutionChecks fresh(RemediationRequest r) {
    Map<String, AccessDecision> approvers = new HashMap<>();
    r.approvals().forEach(a -> approvers.put(a.userId(), allowed("leads")));
    return new ExecutionChecks(false, allowed("oncall"), approvers);
  }

  @Test
  void theHappyPathGoesThroughEveryStateAndRecordsThePreviewHash() {
    ApprovalPolicy policy = Fixtures.leads(1);
    RemediationRequest r = machine.request("rq_1", 42, Fixtures.restart(policy), TARGET,
        "UALICE", "alice", "#alerts");
    assertThat(r.state()).isEqualTo(RemediationState.REQUESTED);
    assertThat(r.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    Step previewed = machine.previewed(r, PREVIEW);
    assertThat(previewed.after().state()).isEqualTo(RemediationState.PREVIEWED);
    assertThat(previewed.after().previewHash()).hasSize(64)
        .isEqualTo(RemediationStateMachine.previewHash(PREVIEW));
    Step pending = machine.awaitApproval(previewed.after(), policy);
    assertThat(pending.after().state()).isEqualTo(RemediationState.PENDING_APPROVAL);
    Step approved = machine.approve(pending.after(), policy, "UBOB", "bob", allowed("leads"));
    assertThat(approved.after().state()).isEqualTo(RemediationState.APPROVED);
    assertThat(approved.after().approverIds()).containsExactly("UBOB");
    Step executing = machine.startExecution(approved.after(), policy, fresh(approved.after()));
    assertThat(executing.after().state()).isEqualTo(RemediationState.EXECUTING);
    Step done = machine.finished(executing.after(), new RemediationResult(
        RemediationResult.Outcome.SUCCEEDED, "restarted"));
    assertThat(done.after().state()).isEqualTo(RemediationState.SUCCEEDED);
    assertThat(done.after().version()).isEqualTo(5);
  }

  @Test
  void theRequesterCannotApproveTheirOwnRequestEvenWithTheRole() {
    ApprovalPolicy policy = Fixtures.leads(1);
    Step s = machine.approve(pending(policy), policy, "UALICE", "alice", allowed("leads"));
    assertThat(s.refused()).isTrue();
    assertThat(s.event()).isEqualTo("self_approve_refused");
    assertThat(s.after().state()).isEqualTo(RemediationState.PENDING_APPROVAL);
  }

  @Test
  void anApproverWithoutTheRoleOrTheGrantIsRefused() {
    ApprovalPolicy policy = Fixtures.leads(1);
    RemediationRequest r = pending(policy);
    assertThat(machine.approve(r, policy, "UCAROL", "carol", allowed("oncall")).message())
        .contains("needs role leads");
    assertThat(machine.approve(r, policy, "UCAROL", "carol", denied("needs role leads")).refused())
        .isTrue();
  }

  @Test
  void withCountTwoEachApproverMustBeANewPerson() {
    ApprovalPolicy policy = Fixtures.leads(2);
    RemediationRequest r = pending(policy);
    Step first = machine.approve(r, policy, "UBOB", "bob", allowed("leads"));
    assertThat(first.after().state()).isEqualTo(RemediationState.PENDING_APPROVAL);
    assertThat(first.event()).isEqualTo("approval");
    Step again = machine.approve(first.after(), policy, "UBOB", "bob", allowed("leads"));
    assertThat(again.refused()).isTrue();
    Step second = machine.approve(first.after(), policy, "UDAN", "dan", allowed("leads"));
    assertThat(second.after().state()).isEqualTo(RemediationState.APPROVED);
  }

  @Test
  void rejectCancelAndExpireEndTheRequest() {
    ApprovalPolicy policy = Fixtures.leads(1);
    RemediationRequest r = pending(policy);
    assertThat(machine.reject(r, policy, "UBOB", allowed("leads")).after().state())
        .isEqualTo(RemediationState.REJECTED);
    assertThat(machine.cancel(r, "UBOB").refused()).as("only the requester cancels").isTrue();
    assertThat(machine.cancel(r, "UALICE").after().state()).isEqualTo(RemediationState.CANCELLED);
    assertThat(machine.expire(r).refused()).as("not yet expired").isTrue();
    clock.advance(Duration.ofMinutes(16));
    assertThat(machine.expire(r).after().state()).isEqualTo(RemediationState.EXPIRED);
    assertThat(machine.approve(r, policy, "UBOB", "bob", allowed("leads")).after().state())
        .as("an approval after the ttl expires it").isEqualTo(RemediationState.EXPIRED);
  }

  @Test
  void executionChecksEverythingAgain() {
    ApprovalPolicy policy = Fixtures.leads(1);
    RemediationRequest approved = machine.approve(pending(policy), policy, "UBOB", "bob",
        allowed("leads")).after();
    assertThat(machine.startExecution(approved, policy,
        new ExecutionChecks(true, allowed("oncall"), Map.of("UBOB", allowed("leads"))))
        .after().state()).as("kill switch").isEqualTo(RemediationState.BLOCKED);
    assertThat(machine.startExecution(approved, policy,
        new ExecutionChecks(false, denied("user groups unreadable"), Map.of("UBOB",
            allowed("leads")))).after().state()).as("requester").isEqualTo(RemediationState.DENIED);
    assertThat(machine.startExecution(approved, policy,
        new ExecutionChecks(false, allowed("oncall"), Map.of("UBOB", allowed("oncall"))))
        .after().detail()).as("approver left the role").contains("no longer holds role");
    assertThat(machine.blockedByLimit(approved, "total").after().state())
        .isEqualTo(RemediationState.BLOCKED);
    clock.advance(Duration.ofMinutes(16));
    assertThat(machine.startExecution(approved, policy, fresh(approved)).after().state())
        .as("ttl").isEqualTo(RemediationState.EXPIRED);
  }

  @Test
  void terminalStatesNeverChange() {
    ApprovalPolicy policy = Fixtures.leads(1);
    RemediationRequest rejected = machine.reject(pending(policy), policy, "UBOB",
        allowed("leads")).after();
    assertThat(machine.approve(rejected, policy, "UDAN", "dan", allowed("leads")).refused()).isTrue();
    assertThat(machine.cancel(rejected, "UALICE").refused()).isTrue();
    assertThat(machine.expire(rejected).refused()).isTrue();
    assertThat(machine.startExecution(rejected, policy, fresh(rejected)).refused()).isTrue();
    assertThat(machine.finished(rejected, new RemediationResult(
        RemediationResult.Outcome.SUCCEEDED, "x")).refused()).isTrue();
  }

  @Test
  void withoutRequiredApprovalItIsApprovedAtOnce() {
    ApprovalPolicy never = new ApprovalPolicy(List.of(), 1, Duration.ofMinutes(15),
        ApprovalPolicy.Required.NEVER);
    RemediationRequest r = pending(never);
    assertThat(r.state()).isEqualTo(RemediationState.APPROVED);
    assertThat(machine.startExecution(r, never, fresh(r)).after().state())
        .isEqualTo(RemediationState.EXECUTING);
  }

  /**
   * Random sequences of approvals, rejections, cancellations, expiries, clock advances and
   * execution attempts by random users with random decisions, from a fixed seed (printed). After
   * every step that reaches EXECUTING, an independent oracle checks: the request was APPROVED,
   * it is not past its expiry, and it carries at least {@code count} approvals by distinct
   * people, none the requester, each allowed at execution and holding an approver role.
   */
  @Test
  void nothingReachesExecutingWithoutAnUnexpiredApprovalByDistinctAuthorisedUsers() {
    long seed = 20261204L;
    System.out.println("RemediationStateMachineTest property seed=" + seed);
    Random random = new Random(seed);
    List<String> users = List.of("UALICE", "UBOB", "UCAROL", "UDAN", "UEVE");
    List<List<String>> roleSets = List.of(List.of(), List.of("oncall"), List.of("leads"),
        List.of("leads", "oncall"));
    int executions = 0;
    for (int run = 0; run < 3000; run++) {
      clock.set(T0);
      ApprovalPolicy policy = Fixtures.leads(1 + random.nextInt(3));
      RemediationRequest r = pending(policy);
      for (int step = 0; step < 12 && !r.state().terminal()
          && r.state() != RemediationState.EXECUTING; step++) {
        String user = users.get(random.nextInt(users.size()));
        AccessDecision d = random.nextInt(4) == 0 ? denied("no grant")
            : allowed(roleSets.get(random.nextInt(roleSets.size())).toArray(String[]::new));
        Step s = switch (random.nextInt(7)) {
          case 0, 1, 2 -> machine.approve(r, policy, user, user, d);
          case 3 -> machine.reject(r, policy, user, d);
          case 4 -> machine.cancel(r, user);
          case 5 -> {
            clock.advance(Duration.ofMinutes(random.nextInt(10)));
            yield machine.expire(r);
          }
          default -> {
            Map<String, AccessDecision> fresh = new HashMap<>();
            for (String u : users) {
              fresh.put(u, random.nextInt(5) == 0 ? denied("left the group")
                  : allowed(roleSets.get(random.nextInt(roleSets.size())).toArray(String[]::new)));
            }
            yield machine.startExecution(r, policy, new ExecutionChecks(random.nextInt(10) == 0,
                random.nextInt(8) == 0 ? denied("no grant") : allowed("oncall"), fresh));
          }
        };
        if (s.after().state() == RemediationState.EXECUTING) {
          executions++;
          assertThat(s.before().state()).isEqualTo(RemediationState.APPROVED);
          assertThat(clock.instant()).isBeforeOrEqualTo(s.after().expiresAt());
          Set<String> distinct = new HashSet<>();
          for (RemediationRequest.Approval a : s.after().approvals()) {
            assertThat(a.userId()).as("seed " + seed).isNotEqualTo(r.requestedById());
            assertThat(distinct.add(a.userId())).as("distinct, seed " + seed).isTrue();
          }
          assertThat(distinct.size()).as("seed " + seed).isGreaterThanOrEqualTo(policy.count());
          assertThat(s.after().approvals()).allSatisfy(a ->
              assertThat(a.roles()).as("approved in role").contains("leads"));
        }
        r = s.after();
      }
    }
    assertThat(executions).as("the property was exercised").isGreaterThan(20);
  }
}
