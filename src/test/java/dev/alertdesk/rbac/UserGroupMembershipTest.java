package dev.alertdesk.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The 5-minute user-group cache, on a fixed clock. */
final class UserGroupMembershipTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final List<String> reads = new ArrayList<>();
  private final Map<String, Set<String>> slack = new HashMap<>(Map.of("S0ONCALL",
      Set.of("U0BOB")));
  private String failure;
  private final UserGroupMembership membership = new UserGroupMembership(group -> {
    reads.add(group);
    if (failure != null) {
      throw new MembershipUnreadableException(failure, failure + ": cannot read");
    }
    return slack.get(group);
  }, clock);

  @Test
  void cachesForFiveMinutesAndFreshBypassesTheCache() {
    assertThat(membership.members("S0ONCALL", Freshness.CACHED)).containsExactly("U0BOB");
    slack.put("S0ONCALL", Set.of("U0BOB", "U0ALICE"));
    clock.advance(Duration.ofMinutes(4).plusSeconds(59));
    assertThat(membership.members("S0ONCALL", Freshness.CACHED)).containsExactly("U0BOB");
    assertThat(reads).hasSize(1);

    assertThat(membership.members("S0ONCALL", Freshness.FRESH))
        .containsExactlyInAnyOrder("U0BOB", "U0ALICE");
    assertThat(reads).hasSize(2);

    slack.put("S0ONCALL", Set.of());
    clock.advance(Duration.ofMinutes(4));
    assertThat(membership.members("S0ONCALL", Freshness.CACHED)).hasSize(2);
    clock.advance(Duration.ofMinutes(1));
    assertThat(membership.members("S0ONCALL", Freshness.CACHED)).isEmpty();
    assertThat(reads).hasSize(3);
  }

  @Test
  void aFailedReadIsNeitherCachedNorAnsweredFromAnOlderEntry() {
    membership.members("S0ONCALL", Freshness.CACHED);
    failure = "plan_upgrade_required";
    assertThatThrownBy(() -> membership.members("S0ONCALL", Freshness.FRESH))
        .isInstanceOf(MembershipUnreadableException.class)
        .hasMessageContaining("plan_upgrade_required");
    assertThat(membership.lastRead().ok()).isFalse();
    clock.advance(Duration.ofMinutes(6));
    assertThatThrownBy(() -> membership.members("S0ONCALL", Freshness.CACHED))
        .isInstanceOf(MembershipUnreadableException.class);
    failure = null;
    assertThat(membership.members("S0ONCALL", Freshness.CACHED)).containsExactly("U0BOB");
    assertThat(membership.lastRead().ok()).isTrue();
    assertThat(membership.lastFailure().error()).startsWith("plan_upgrade_required");
  }

  @Test
  void keepsAtMostTheBoundOfGroups() {
    for (int i = 0; i < UserGroupMembership.MAX_GROUPS + 5; i++) {
      slack.put("S" + i, Set.of());
      membership.members("S" + i, Freshness.CACHED);
    }
    assertThat(membership.cachedGroups()).isEqualTo(UserGroupMembership.MAX_GROUPS);
    reads.clear();
    membership.members("S0", Freshness.CACHED); // the oldest, dropped
    membership.members("S" + (UserGroupMembership.MAX_GROUPS + 4), Freshness.CACHED);
    assertThat(reads).containsExactly("S0");
  }
}
