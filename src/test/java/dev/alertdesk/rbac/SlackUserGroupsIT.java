package dev.alertdesk.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.slack.SlackProblems;
import dev.alertdesk.slack.SlackUserGroupReader;
import dev.alertdesk.status.SectionStatus;
import dev.alertdesk.testing.MutableClock;
import dev.alertdesk.testing.SlackStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * User-group membership read through the real Slack SDK from the Slack stand-in's
 * {@code usergroups.users.list}, on a fixed clock: the 5-minute cache, {@link Freshness#FRESH},
 * and failing closed on Slack's free plan, a missing scope and an outage.
 */
final class SlackUserGroupsIT {
  private static final String TOKEN = "xoxb-usergroups-secret-91";
  private static final RbacPolicy POLICY = new RbacPolicy(Map.of(
      "oncall", new RbacPolicy.Role("oncall", Set.of("U0ALICE"), Set.of("S0ONCALL"))),
      List.of(new RbacPolicy.Grant("oncall", List.of("acknowledge", "silence"), List.of())));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private SlackStandIn slack;
  private SlackUserGroupReader reader;
  private ConfiguredAuthorizer authorizer;
  private RbacStatus status;

  @BeforeEach
  void start() throws Exception {
    slack = new SlackStandIn();
    slack.usergroup("S0ONCALL", "U0BOB");
    reader = new SlackUserGroupReader(slack.apiUrl(), TOKEN,
        new SlackProblems(metrics, clock, true));
    authorizer = new ConfiguredAuthorizer(POLICY, new UserGroupMembership(reader, clock),
        ChannelNames.NONE);
    status = new RbacStatus(authorizer);
  }

  @AfterEach
  void stop() throws Exception {
    reader.close();
    slack.close();
  }

  private long reads() {
    return slack.calls().stream().filter(c -> c.method().equals("usergroups.users.list"))
        .count();
  }

  @Test
  void membershipIsCachedForFiveMinutesAndReadAgainWhenFresh() {
    assertThat(authorizer.check("U0BOB", "silence", "C0X", Freshness.CACHED).allowed()).isTrue();
    assertThat(slack.calls()).last().satisfies(c -> {
      assertThat(c.param("usergroup")).isEqualTo("S0ONCALL");
      assertThat(c.authorization()).isEqualTo("Bearer " + TOKEN);
    });
    slack.usergroup("S0ONCALL", "U0ERIN"); // bob leaves the group
    clock.advance(Duration.ofMinutes(4));
    assertThat(authorizer.check("U0BOB", "silence", "C0X", Freshness.CACHED).allowed()).isTrue();
    assertThat(reads()).isEqualTo(1);

    AccessDecision fresh = authorizer.check("U0BOB", "silence", "C0X", Freshness.FRESH);
    assertThat(fresh.allowed()).isFalse();
    assertThat(fresh.reason()).isEqualTo("needs role oncall");
    assertThat(fresh.memberships()).isEqualTo(Map.of("S0ONCALL", false));
    assertThat(reads()).isEqualTo(2);

    slack.usergroup("S0ONCALL", "U0BOB");
    clock.advance(Duration.ofMinutes(4));
    assertThat(authorizer.check("U0BOB", "silence", "C0X", Freshness.CACHED).allowed()).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(authorizer.check("U0BOB", "silence", "C0X", Freshness.CACHED).allowed()).isTrue();
    assertThat(reads()).isEqualTo(3);
    assertThat(status.check().level()).isEqualTo(SectionStatus.Level.OK);
  }

  @Test
  void theFreePlanFailsClosedAndSaysWhy() {
    slack.refuse("usergroups.users.list", "plan_upgrade_required");
    AccessDecision d = authorizer.check("U0BOB", "acknowledge", "C0X", Freshness.CACHED);
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).startsWith("needs role oncall; Slack user groups could not be read "
        + "(S0ONCALL: plan_upgrade_required: this Slack workspace's plan has no user groups");
    // A user listed directly still may: no group is read for them.
    assertThat(authorizer.check("U0ALICE", "acknowledge", "C0X", Freshness.FRESH).allowed())
        .isTrue();
    SectionStatus s = status.check();
    assertThat(s.level()).isEqualTo(SectionStatus.Level.ERROR);
    assertThat(s.summary()).contains("plan_upgrade_required");
    assertThat(s.toString()).doesNotContain(TOKEN);
  }

  @Test
  void aMissingScopeFailsClosedAndNamesTheScope() {
    slack.grantOnly("chat:write");
    AccessDecision d = authorizer.check("U0BOB", "acknowledge", "C0X", Freshness.CACHED);
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).contains("missing_scope").contains("usergroups:read");
  }

  @Test
  void anOutageFailsClosedEvenWithAnEarlierAnswerCached() {
    assertThat(authorizer.check("U0BOB", "silence", "C0X", Freshness.CACHED).allowed()).isTrue();
    slack.failNext(SlackStandIn.Fault.httpError(503));
    AccessDecision fresh = authorizer.check("U0BOB", "silence", "C0X", Freshness.FRESH);
    assertThat(fresh.allowed()).isFalse();
    assertThat(fresh.reason()).contains("Slack answered HTTP 503");

    slack.failNext(SlackStandIn.Fault.httpError(500));
    clock.advance(Duration.ofMinutes(6));
    AccessDecision expired = authorizer.check("U0BOB", "silence", "C0X", Freshness.CACHED);
    assertThat(expired.allowed()).isFalse();
    assertThat(expired.reason()).contains("could not be read").contains("HTTP 500");
    assertThat(status.check().level()).isEqualTo(SectionStatus.Level.ERROR);

    // Once Slack answers again, so does RBAC, and the status recovers.
    assertThat(authorizer.check("U0BOB", "silence", "C0X", Freshness.CACHED).allowed()).isTrue();
    assertThat(status.check().level()).isEqualTo(SectionStatus.Level.OK);
    assertThat(status.check().details().get("last_membership_error")).asString()
        .contains("http_500");
  }

  @Test
  void anUnreachableSlackFailsClosed() throws Exception {
    String url = slack.apiUrl();
    slack.close();
    try (SlackUserGroupReader down = new SlackUserGroupReader(url, TOKEN, null)) {
      ConfiguredAuthorizer a = new ConfiguredAuthorizer(POLICY,
          new UserGroupMembership(down, clock), ChannelNames.NONE);
      AccessDecision d = a.check("U0BOB", "silence", "C0X", Freshness.CACHED);
      assertThat(d.allowed()).isFalse();
      assertThat(d.reason()).contains("Slack is unreachable").doesNotContain(TOKEN);
    }
  }

  @Test
  void anUnknownGroupDeniesWithSlacksReason() {
    RbacPolicy typo = new RbacPolicy(Map.of("oncall",
        new RbacPolicy.Role("oncall", Set.of(), Set.of("S0TYPO"))),
        List.of(new RbacPolicy.Grant("oncall", List.of("snooze"), List.of())));
    ConfiguredAuthorizer a = new ConfiguredAuthorizer(typo,
        new UserGroupMembership(reader, clock), ChannelNames.NONE);
    AccessDecision d = a.check("U0BOB", "snooze", "C0X", Freshness.CACHED);
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).contains("no_such_subteam");
  }

  @Test
  void denialsAreCountedByAction() {
    CountingAuthorizer counting = new CountingAuthorizer(authorizer, metrics);
    counting.check("U0CAROL", "silence", "C0X", Freshness.CACHED);
    counting.check("U0CAROL", "silence", "C0X", Freshness.CACHED);
    counting.check("U0ALICE", "silence", "C0X", Freshness.CACHED);
    counting.check("U0CAROL", "bad action {x}", "C0X", Freshness.CACHED);
    assertThat(metrics.counter("alertdesk_rbac_denied", "action", "silence").count())
        .isEqualTo(2.0);
    assertThat(metrics.counter("alertdesk_rbac_denied", "action", "invalid").count())
        .isEqualTo(1.0);
  }
}
