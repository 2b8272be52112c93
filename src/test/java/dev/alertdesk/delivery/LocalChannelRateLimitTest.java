package dev.alertdesk.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-channel budget and the token it keeps for parents, in one process. */
class LocalChannelRateLimitTest {
  @Test
  void otherCallsLeaveTheLastTokenOfABurstToAParentPost() {
    LocalChannelRateLimit limit = new LocalChannelRateLimit();
    int replies = 0;
    while (limit.tryAcquire("#alerts", false)) {
      replies++;
    }
    assertThat(replies).isEqualTo(ChannelRateLimit.BURST - ChannelRateLimit.PARENT_RESERVE);
    assertThat(limit.tryAcquire("#alerts", true)).as("the reserved token").isTrue();
    assertThat(limit.tryAcquire("#alerts", true)).as("the burst is spent").isFalse();
  }

  @Test
  void parentPostsMaySpendTheWholeBurstAndChannelsHaveBudgetsOfTheirOwn() {
    LocalChannelRateLimit limit = new LocalChannelRateLimit();
    for (int i = 0; i < ChannelRateLimit.BURST; i++) {
      assertThat(limit.tryAcquire("#alerts", true)).as("parent %s", i).isTrue();
    }
    assertThat(limit.tryAcquire("#alerts", true)).isFalse();
    assertThat(limit.tryAcquire("#alerts", false)).isFalse();
    assertThat(limit.tryAcquire("#other", false)).isTrue();
  }
}
