package dev.alertdesk.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.alertdesk.history.InsightFacts.IncidentFact;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InsightsTest {
  private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-03-04T00:00:00Z");

  private static Instant t(String s) {
    return Instant.parse(s);
  }

  private static InsightFacts facts(List<IncidentFact> incidents, Map<String, Long> notifications,
      Map<String, Long> outcomes, Map<String, Long> suppressions) {
    return new InsightFacts(FROM, TO, incidents, notifications, Map.of("A", 4L, "B", 4L),
        Map.of("A", 2L, "B", 9L), outcomes, suppressions);
  }

  @Test
  void ranksByNotificationsThenOccurrencesThenTransitionsThenName() {
    Insights in = Insights.compute(facts(List.of(), Map.of("A", 5L, "B", 5L, "C", 1L),
        Map.of(), Map.of()), 10);
    assertThat(in.noisiest()).extracting(Insights.NoisyAlert::alertname)
        .containsExactly("B", "A", "C");
    assertThat(Insights.compute(facts(List.of(), Map.of("A", 5L, "B", 5L, "C", 1L), Map.of(),
        Map.of()), 2).noisiest()).hasSize(2);
  }

  @Test
  void canRankByOccurrencesOrTransitionsInstead() {
    InsightFacts f = facts(List.of(), Map.of("A", 5L, "B", 5L, "C", 1L), Map.of(), Map.of());
    // Occurrences tie A and B at 4, notifications tie too, transitions decide: B 9 > A 2.
    assertThat(Insights.compute(f, 10, Insights.Ranking.OCCURRENCES).noisiest())
        .extracting(Insights.NoisyAlert::alertname).containsExactly("B", "A", "C");
    assertThat(Insights.compute(f, 10, Insights.Ranking.TRANSITIONS).noisiest())
        .extracting(Insights.NoisyAlert::alertname).containsExactly("B", "A", "C");
    InsightFacts g = new InsightFacts(FROM, TO, List.of(), Map.of("A", 9L, "B", 1L),
        Map.of("A", 1L, "B", 3L), Map.of("A", 1L, "B", 2L), Map.of(), Map.of());
    assertThat(Insights.compute(g, 10, Insights.Ranking.NOTIFICATIONS).noisiest())
        .extracting(Insights.NoisyAlert::alertname).containsExactly("A", "B");
    assertThat(Insights.compute(g, 10, Insights.Ranking.OCCURRENCES).noisiest())
        .extracting(Insights.NoisyAlert::alertname).containsExactly("B", "A");
    assertThat(Insights.compute(g, 10, Insights.Ranking.TRANSITIONS).noisiest())
        .extracting(Insights.NoisyAlert::alertname).containsExactly("B", "A");
  }

  @Test
  void meanTimesCountOnlyIncidentsThatReachedTheStateAndBreakThemDown() {
    List<IncidentFact> incidents = List.of(
        new IncidentFact(1, "A", "critical", "team-a", t("2026-03-01T10:00:00Z"),
            t("2026-03-01T10:01:00Z"), t("2026-03-01T10:10:00Z")),
        new IncidentFact(2, "A", null, "team-b", t("2026-03-02T10:00:00Z"),
            null, t("2026-03-02T10:30:00Z")),
        new IncidentFact(3, "B", "critical", "team-a", t("2026-03-02T11:00:00Z"),
            t("2026-03-02T11:03:00Z"), null));
    Insights in = Insights.compute(facts(incidents, Map.of(), Map.of(), Map.of()), 10);
    // MTTR over #1 (600 s) and #2 (1800 s); MTTA over #1 (60 s) and #3 (180 s).
    assertThat(in.mttr().total().count()).isEqualTo(2);
    assertThat(in.mttr().total().meanSeconds()).isCloseTo(1200.0, within(1e-9));
    assertThat(in.mtta().total().meanSeconds()).isCloseTo(120.0, within(1e-9));
    assertThat(in.mttr().bySeverity()).containsOnlyKeys("critical", Insights.NO_SEVERITY);
    assertThat(in.mttr().byReceiver().get("team-b").meanSeconds()).isCloseTo(1800.0, within(1e-9));
    assertThat(in.mtta().byAlertname().get("B").count()).isEqualTo(1);
    assertThat(in.mttr().byAlertname()).doesNotContainKey("B");
    assertThat(in.incidentsPerDay()).containsExactly(
        Map.entry(LocalDate.parse("2026-03-01"), 1L),
        Map.entry(LocalDate.parse("2026-03-02"), 2L),
        Map.entry(LocalDate.parse("2026-03-03"), 0L));
  }

  @Test
  void anEmptyPeriodHasNoMeansAndNoShare() {
    Insights in = Insights.compute(new InsightFacts(FROM, TO, List.of(), Map.of(), Map.of(),
        Map.of(), Map.of(), Map.of()), 10);
    assertThat(in.mtta().total().count()).isZero();
    assertThat(in.mtta().total().meanSeconds()).isNull();
    assertThat(in.suppression().share()).isZero();
    assertThat(in.noisiest()).isEmpty();
  }

  @Test
  void everyNonDeliveringOutcomeAndSuppressionEventCountsWithItsReason() {
    Insights in = Insights.compute(facts(List.of(), Map.of(),
        Map.of("opened", 2L, "updated", 3L, "duplicate", 4L, "no_incident", 1L,
            "silenced_by_rule", 2L),
        Map.of("maintenance window", 3L)), 10);
    assertThat(in.suppression().notifications()).isEqualTo(12);
    assertThat(in.suppression().suppressed()).isEqualTo(7);
    assertThat(in.suppression().share()).isCloseTo(7.0 / 12, within(1e-12));
    assertThat(in.suppression().byReason()).containsExactly(
        Map.entry("duplicate", 4L), Map.entry("maintenance window", 3L),
        Map.entry("silenced_by_rule", 2L), Map.entry("no_incident", 1L));
  }
}
