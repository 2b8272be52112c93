package dev.alertdesk.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.history.FingerprintHistory.Occurrence;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FingerprintHistoryTest {
  private static Occurrence o(String start, String end) {
    return new Occurrence(Instant.parse(start), end == null ? null : Instant.parse(end), 1, false);
  }

  @Test
  void aPeriodStartingWithinTheFlapGapAfterThePreviousEndIsAFlap() {
    List<Occurrence> marked = FingerprintHistory.markFlapping(List.of(
        o("2026-03-01T10:40:00Z", null),
        o("2026-03-01T10:00:00Z", "2026-03-01T10:05:00Z"),
        o("2026-03-01T10:20:00Z", "2026-03-01T10:25:00Z")));
    // Sorted by start; 10:05 -> 10:20 is exactly 15 minutes (a flap), 10:25 -> 10:40 too.
    assertThat(marked).extracting(Occurrence::startsAt).containsExactly(
        Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:20:00Z"),
        Instant.parse("2026-03-01T10:40:00Z"));
    assertThat(marked).extracting(Occurrence::flapping).containsExactly(false, true, true);
  }

  @Test
  void aLongerGapOrAStillFiringPredecessorIsNoFlap() {
    List<Occurrence> marked = FingerprintHistory.markFlapping(List.of(
        o("2026-03-01T10:00:00Z", null),
        o("2026-03-01T10:10:00Z", "2026-03-01T10:11:00Z"),
        o("2026-03-01T10:26:01Z", null)));
    assertThat(marked).extracting(Occurrence::flapping).containsExactly(false, false, false);
  }
}
