package dev.alertdesk.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The policy engine as a table: who may do what where, and why not. */
final class RbacPolicyTest {
  /** The example, plus a role held only through a group, and a channel by ID. */
  static final RbacPolicy POLICY = new RbacPolicy(roles(
      new RbacPolicy.Role("oncall", Set.of("U0ALICE"), Set.of("S0ONCALL")),
      new RbacPolicy.Role("leads", Set.of(), Set.of("S0LEADS")),
      new RbacPolicy.Role("viewers", Set.of("U0CAROL"), Set.of()),
      new RbacPolicy.Role("sre", Set.of("U0DAN"), Set.of())),
      List.of(
          new RbacPolicy.Grant("oncall", List.of("acknowledge", "silence", "snooze",
              "remediate:*"), List.of()),
          new RbacPolicy.Grant("leads", List.of("approve:*"), List.of("#prod-alerts")),
          new RbacPolicy.Grant("sre", List.of("remediate:restart-*", "unsilence"),
              List.of("C0SRE"))));

  /** Group members as Slack would answer them; S0BROKEN cannot be read. */
  private static final Map<String, Set<String>> GROUPS = Map.of(
      "S0ONCALL", Set.of("U0BOB"),
      "S0LEADS", Set.of("U0ERIN", "U0BOB"));

  private static Map<String, RbacPolicy.Role> roles(RbacPolicy.Role... roles) {
    Map<String, RbacPolicy.Role> m = new LinkedHashMap<>();
    for (RbacPolicy.Role r : roles) {
      m.put(r.name(), r);
    }
    return m;
  }

  static Stream<Arguments> table() {
    // user, action, channel ID, channel names, allowed, reason starts with
    return Stream.of(
        Arguments.of("U0ALICE", "acknowledge", "C0PROD", Set.of("#prod-alerts"), true,
            "role oncall"),
        Arguments.of("U0ALICE", "unacknowledge", "C0PROD", Set.of(), true, "role oncall"),
        Arguments.of("U0ALICE", "unsilence", null, Set.of(), true, "role oncall"),
        Arguments.of("U0ALICE", "remediate:restart", "C0PROD", Set.of(), true, "role oncall"),
        Arguments.of("U0ALICE", "approve:restart", "C0PROD", Set.of("#prod-alerts"), false,
            "needs role leads"),
        Arguments.of("U0BOB", "silence", "C0X", Set.of(), true,
            "role oncall through user group S0ONCALL"),
        Arguments.of("U0BOB", "approve:restart", "C0PROD", Set.of("#prod-alerts"), true,
            "role leads through user group S0LEADS"),
        Arguments.of("U0BOB", "approve:restart", "C0PROD", Set.of("prod-alerts"), true,
            "role leads"),
        Arguments.of("U0BOB", "approve:restart", "C0PROD", Set.of("#Prod-Alerts"), true,
            "role leads"),
        Arguments.of("U0ERIN", "approve:restart", "C0DEV", Set.of("#dev-alerts"), false,
            "no role is granted approve:restart in this channel"),
        Arguments.of("U0ERIN", "approve:restart", null, Set.of(), false,
            "no role is granted approve:restart"),
        Arguments.of("U0CAROL", "silence", "C0PROD", Set.of(), false,
            "needs role oncall"),
        Arguments.of("U0CAROL", "acknowledge", "C0PROD", Set.of(), false, "needs role oncall"),
        Arguments.of("U0DAN", "remediate:restart-api", "C0SRE", Set.of(), true, "role sre"),
        Arguments.of("U0DAN", "remediate:scale-api", "C0SRE", Set.of(), false,
            "needs role oncall"),
        Arguments.of("U0DAN", "remediate:restart-api", "C0OTHER", Set.of(), false,
            "needs role oncall"),
        Arguments.of("U0DAN", "unsilence", "C0SRE", Set.of(), true, "role sre"),
        Arguments.of("U0DAN", "silence", "C0SRE", Set.of(), false, "needs role oncall"),
        Arguments.of("U0ALICE", "delete-everything", "C0PROD", Set.of(), false,
            "unknown action"),
        Arguments.of("U0ALICE", "remediate:../x", "C0PROD", Set.of(), false, "unknown action"),
        Arguments.of("U0ALICE", "remediate:", "C0PROD", Set.of(), false, "unknown action"),
        Arguments.of("U0ALICE", "remediate:*", "C0PROD", Set.of(), false, "unknown action"),
        Arguments.of("", "acknowledge", "C0PROD", Set.of(), false, "needs role oncall"));
  }

  @ParameterizedTest(name = "{0} {1} in {2} {3} -> {4} ({5})")
  @MethodSource("table")
  void decides(String user, String action, String channelId, Set<String> names, boolean allowed,
      String reason) {
    AccessDecision d = POLICY.decide(user, action, channelId, names, GROUPS::get);
    assertThat(d.allowed()).isEqualTo(allowed);
    assertThat(d.reason()).startsWith(reason);
  }

  @Test
  void aDirectRoleDecidesWithoutReadingAnyGroup() {
    List<String> read = new ArrayList<>();
    AccessDecision d = POLICY.decide("U0ALICE", "silence", "C0X", Set.of(), g -> {
      read.add(g);
      throw new MembershipUnreadableException("plan_upgrade_required", "free plan");
    });
    assertThat(d.allowed()).isTrue();
    assertThat(read).isEmpty();
    assertThat(d.roles()).containsExactly("oncall");
  }

  @Test
  void anUnreadableGroupFailsClosedAndSaysWhy() {
    AccessDecision d = POLICY.decide("U0BOB", "silence", "C0X", Set.of(), g -> {
      throw new MembershipUnreadableException("plan_upgrade_required",
          "plan_upgrade_required: no user groups on this plan");
    });
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).isEqualTo("needs role oncall; Slack user groups could not be read "
        + "(S0ONCALL: plan_upgrade_required: no user groups on this plan)");
    assertThat(d.memberships()).isEmpty();
  }

  @Test
  void aDenialRecordsTheGroupsReadAndTheRolesHeld() {
    AccessDecision d = POLICY.decide("U0CAROL", "silence", "C0X", Set.of(), GROUPS::get);
    assertThat(d.allowed()).isFalse();
    assertThat(d.roles()).containsExactly("viewers");
    assertThat(d.memberships()).isEqualTo(Map.of("S0ONCALL", false));
  }

  @Test
  void aMemberOfAGroupHoldsEveryRoleOfThatGroup() {
    AccessDecision d = POLICY.decide("U0ERIN", "approve:x", "C0PROD", Set.of("#prod-alerts"),
        GROUPS::get);
    assertThat(d.allowed()).isTrue();
    assertThat(d.roles()).containsExactly("leads");
    assertThat(d.memberships()).isEqualTo(Map.of("S0LEADS", true));
  }

  @Test
  void withoutRbacOnlyTheExistingActionsAreOpen() {
    Authorizer open = new WithoutRbacAuthorizer();
    for (String a : ActionNames.PLAIN) {
      assertThat(open.check("U0ANY", a, "C0X", Freshness.CACHED).allowed()).as(a).isTrue();
    }
    for (String a : List.of("remediate:restart", "approve:restart", "remediate:*", "bogus")) {
      AccessDecision d = open.check("U0ANY", a, "C0X", Freshness.FRESH);
      assertThat(d.allowed()).as(a).isFalse();
      assertThat(d.reason()).isEqualTo(WithoutRbacAuthorizer.OFF_REASON);
    }
  }

  static Stream<Arguments> patterns() {
    return Stream.of(
        Arguments.of("remediate:*", "remediate:restart", true),
        Arguments.of("remediate:*", "approve:restart", false),
        Arguments.of("remediate:restart-*", "remediate:restart-api", true),
        Arguments.of("remediate:restart-*", "remediate:restart-", true),
        Arguments.of("remediate:restart-*", "remediate:restar", false),
        Arguments.of("remediate:*-api", "remediate:scale-api", true),
        Arguments.of("remediate:a.b", "remediate:aXb", false),
        Arguments.of("approve:restart", "approve:restart", true),
        Arguments.of("acknowledge", "unacknowledge", true),
        Arguments.of("unacknowledge", "acknowledge", false),
        Arguments.of("silence", "unsilence", true),
        Arguments.of("unsilence", "silence", false),
        Arguments.of("snooze", "silence", false));
  }

  @ParameterizedTest(name = "{0} grants {1}: {2}")
  @MethodSource("patterns")
  void matchesPatterns(String pattern, String action, boolean grants) {
    assertThat(ActionNames.problem(pattern)).isNull();
    assertThat(ActionNames.grants(pattern, action)).isEqualTo(grants);
  }

  @Test
  void rejectsMalformedPatterns() {
    for (String bad : List.of("*", "remediate", "remediate:", "approve:a/b", "Acknowledge",
        "remediate:" + "x".repeat(65), "silence ")) {
      assertThat(ActionNames.problem(bad)).as(bad).isNotNull();
    }
  }
}
