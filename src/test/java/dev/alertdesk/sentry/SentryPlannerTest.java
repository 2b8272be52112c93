package dev.alertdesk.sentry;

import static dev.alertdesk.sentry.SentryFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.alert.Matchers;
import dev.alertdesk.alert.Notification;
import dev.alertdesk.config.SentrySettings;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEngine;
import dev.alertdesk.noise.Route;
import dev.alertdesk.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Sentry intents follow the incident engine's occurrence model: one event per new occurrence,
 * nothing for a repeat or an HA copy, a resolve per ended occurrence (with a token).
 */
class SentryPlannerTest {
  private static final Labels DISK = Labels.of("alertname", "DiskFull", "severity", "critical");
  private static final Labels CPU = Labels.of("alertname", "HighCpu", "severity", "warning");

  private final SentrySettings withToken = SentryFixtures.settings("https://k@sentry/1", "tok",
      "https://sentry/api/0/", SentrySettings.Fingerprint.ALERT);
  private final MutableClock clock = new MutableClock(T0.plusSeconds(10));
  private final IncidentEngine engine = new IncidentEngine(clock, Duration.ofHours(1),
      Duration.ofMinutes(1));

  private static Alert alert(String fp, Labels labels, AlertStatus status, Instant startsAt) {
    return new Alert(fp, status, labels, Labels.of("summary", "s"), startsAt,
        status == AlertStatus.RESOLVED ? startsAt.plusSeconds(60) : null, null);
  }

  private static Notification notification(AlertStatus status, Alert... alerts) {
    return new Notification("team-x", status, "{}:{}", Labels.EMPTY, Labels.of("alertname",
        "DiskFull"), Labels.EMPTY, "http://am", 0, List.of(alerts));
  }

  private record Step(@Nullable Incident incident, List<SentryIntent> intents) {}

  private Step apply(SentryPlanner planner, @Nullable Incident latest, Notification n) {
    Decision d = engine.apply(latest, n);
    Incident stored = d.incident() == null ? null
        : d.incident().id() == null ? d.incident().withId(1) : d.incident();
    return new Step(stored, stored == null ? List.of() : planner.intents(stored, d));
  }

  @Test
  void oneEventPerOccurrenceAndNothingForRepeats() {
    SentryPlanner planner = new SentryPlanner(withToken, List.of());
    Alert disk = alert("aaaa", DISK, AlertStatus.FIRING, T0);
    Step opened = apply(planner, null, notification(AlertStatus.FIRING, disk));
    clock.advance(Duration.ofSeconds(300));
    Step repeat = apply(planner, opened.incident(), notification(AlertStatus.FIRING, disk));
    Alert cpu = alert("bbbb", CPU, AlertStatus.FIRING, T0.plusSeconds(200));
    Step joined = apply(planner, opened.incident(), notification(AlertStatus.FIRING, disk, cpu));

    assertThat(opened.intents()).singleElement().satisfies(i -> {
      assertThat(i.type()).isEqualTo(SentryIntent.Type.EVENT);
      assertThat(i.fingerprint()).isEqualTo("aaaa");
      assertThat(i.eventId()).isEqualTo(SentryIntent.eventId("team-x", "aaaa", T0))
          .matches("[0-9a-f]{32}");
    });
    assertThat(repeat.intents()).isEmpty();
    assertThat(joined.intents()).extracting(SentryIntent::fingerprint).containsExactly("bbbb");
  }

  @Test
  void aResolveNamesTheEventOfTheOccurrenceThatEndedAndAnHaCopyAfterItSendsNothing() {
    SentryPlanner planner = new SentryPlanner(withToken, List.of());
    Alert disk = alert("aaaa", DISK, AlertStatus.FIRING, T0);
    Step opened = apply(planner, null, notification(AlertStatus.FIRING, disk));
    clock.advance(Duration.ofSeconds(120));
    Step resolved = apply(planner, opened.incident(), notification(AlertStatus.RESOLVED,
        alert("aaaa", DISK, AlertStatus.RESOLVED, T0)));
    clock.advance(Duration.ofSeconds(10));
    Step haCopy = apply(planner, resolved.incident(), notification(AlertStatus.FIRING, disk));
    clock.advance(Duration.ofSeconds(600));
    Instant again = T0.plusSeconds(900);
    Step refired = apply(planner, haCopy.incident(), notification(AlertStatus.FIRING,
        alert("aaaa", DISK, AlertStatus.FIRING, again)));

    assertThat(resolved.intents()).singleElement().satisfies(i -> {
      assertThat(i.type()).isEqualTo(SentryIntent.Type.RESOLVE);
      assertThat(i.eventId()).isEqualTo(opened.intents().get(0).eventId());
    });
    assertThat(haCopy.intents()).as("late HA copy").isEmpty();
    assertThat(refired.intents()).singleElement().satisfies(i -> {
      assertThat(i.type()).isEqualTo(SentryIntent.Type.EVENT);
      assertThat(i.eventId()).isNotEqualTo(opened.intents().get(0).eventId())
          .isEqualTo(SentryIntent.eventId("team-x", "aaaa", again));
    });
  }

  @Test
  void withoutATokenNothingIsResolved() {
    SentrySettings noToken = SentryFixtures.settings("https://k@sentry/1", null,
        "https://sentry/api/0/", SentrySettings.Fingerprint.ALERT);
    SentryPlanner planner = new SentryPlanner(noToken, List.of());
    Step opened = apply(planner, null, notification(AlertStatus.FIRING,
        alert("aaaa", DISK, AlertStatus.FIRING, T0)));
    clock.advance(Duration.ofSeconds(120));
    Step resolved = apply(planner, opened.incident(), notification(AlertStatus.RESOLVED,
        alert("aaaa", DISK, AlertStatus.RESOLVED, T0)));

    assertThat(opened.intents()).hasSize(1);
    assertThat(resolved.intents()).isEmpty();
  }

  @Test
  void byGroupKeyTheIssueIsResolvedOnceWhenTheIncidentResolves() {
    SentrySettings byGroup = SentryFixtures.settings("https://k@sentry/1", "tok",
        "https://sentry/api/0/", SentrySettings.Fingerprint.GROUP_KEY);
    SentryPlanner planner = new SentryPlanner(byGroup, List.of());
    Alert disk = alert("aaaa", DISK, AlertStatus.FIRING, T0);
    Alert cpu = alert("bbbb", CPU, AlertStatus.FIRING, T0);
    Step opened = apply(planner, null, notification(AlertStatus.FIRING, disk, cpu));
    clock.advance(Duration.ofSeconds(60));
    Step oneResolved = apply(planner, opened.incident(), notification(AlertStatus.FIRING,
        alert("aaaa", DISK, AlertStatus.RESOLVED, T0), cpu));
    clock.advance(Duration.ofSeconds(60));
    Step allResolved = apply(planner, oneResolved.incident(), notification(
        AlertStatus.RESOLVED, alert("aaaa", DISK, AlertStatus.RESOLVED, T0),
        alert("bbbb", CPU, AlertStatus.RESOLVED, T0)));

    assertThat(opened.intents()).hasSize(2);
    assertThat(oneResolved.intents()).isEmpty();
    assertThat(allResolved.intents()).singleElement()
        .extracting(SentryIntent::type).isEqualTo(SentryIntent.Type.RESOLVE);
  }

  @Test
  void theFirstMatchingRouteThatSaysDecides() {
    List<Route> routes = List.of(
        new Route(Matchers.parse("team=\"db\""), null, null, true, true),
        new Route(Matchers.parse("severity=\"critical\""), null, null, true, false, false),
        new Route(Matchers.parse("team=\"db\""), null, null, true, false, true));
    SentryPlanner planner = new SentryPlanner(withToken, routes);

    assertThat(planner.routed(Labels.of("team", "db", "severity", "critical"))).isFalse();
    assertThat(planner.routed(Labels.of("team", "db", "severity", "warning"))).isTrue();
    assertThat(planner.routed(Labels.of("team", "web", "severity", "critical"))).isFalse();
    assertThat(planner.routed(Labels.of("team", "web"))).isTrue();
    Alert disk = alert("aaaa", Labels.of("alertname", "DiskFull", "severity", "critical"),
        AlertStatus.FIRING, T0);
    Incident critical = SentryFixtures.incident(1, Labels.of("severity", "critical"),
        List.of(disk));
    Decision d = engine.apply(null, notification(AlertStatus.FIRING, disk));
    assertThat(planner.intents(critical, d)).isEmpty();
  }
}
