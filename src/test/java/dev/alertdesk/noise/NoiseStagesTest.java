package dev.alertdesk.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stages one by one and in their order: which stage decides first, and what a later stage
 * may change of an earlier one's placement.
 */
final class NoiseStagesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String CHANNEL = "#alerts";
  private static final NoiseRules RULES = new NoiseRules(List.of(), Duration.ofMinutes(2),
      Duration.ZERO, 0, Duration.ofMinutes(1), 2, List.of("namespace"), Duration.ofMinutes(30));

  private final InMemoryNoiseLedger ledger = new InMemoryNoiseLedger();
  private final List<String> asked = new ArrayList<>();
  private final NoiseEffects fx = new NoiseEffects(ledger, T0, RULES, false,
      a -> { throw new AssertionError("the chain is built by each test"); });

  private static Incident incident(long id, String severity) {
    Labels labels = Labels.of("alertname", "A" + id, "namespace", "shop", "severity", severity);
    return new Incident(null, "team", "{}:{alertname=\"A" + id + "\"}", IncidentStatus.FIRING,
        Labels.of("alertname", "A" + id), labels, Labels.of(), null, 0, T0, T0, null, null, T0,
        0, List.of()).withId(id);
  }

  private Arrival arrival(long id, Instant firingSince) {
    Incident incident = incident(id, "critical");
    ledger.putIncident(incident);
    return new Arrival(fx, new ChannelState.Routing(id, CHANNEL, -1, null,
        CorrelateStage.correlationKey(RULES, incident)), incident, firingSince);
  }

  /** A later stage that records that it was asked, and answers {@code answer}. */
  private NoiseEffects.Placer later(String name, Placement answer) {
    return a -> {
      asked.add(name);
      return answer;
    };
  }

  @Test
  void theStagesRunInTheOrderRouteNotifyAfterStormCorrelateFlappingReminders() {
    NoiseGate gate = new NoiseGate(RULES, CHANNEL, IncidentResponseState.NONE);

    assertThat(gate.stageNames()).containsExactly("route", "notify-after", "storm", "correlate",
        "flapping", "reminders");
  }

  @Test
  void anActiveStormRollsUpBeforeCorrelationIsAsked() {
    StormState storm = ledger.startStorm(CHANNEL, 1, T0.minusSeconds(10));
    for (long id = 1; id <= 3; id++) {
      ledger.addArrival(CHANNEL, id, T0.minusSeconds(10 - id), T0.minusSeconds(60));
    }

    Placement p = new StormStage(RULES).place(arrival(4, T0.minusSeconds(600)),
        later("correlate", new Placement.Correlate(1)));

    assertThat(p).isEqualTo(new Placement.RollUp(storm));
    assertThat(asked).isEmpty();
  }

  @Test
  void aStormStartsWithAnIncidentThatWouldBePostedButNotWithOneThatCorrelates() {
    for (long id = 1; id <= 2; id++) {
      ledger.addArrival(CHANNEL, id, T0.minusSeconds(10 - id), T0.minusSeconds(60));
    }
    StormStage storm = new StormStage(RULES);

    assertThat(storm.place(arrival(3, T0), later("correlate", new Placement.Correlate(1))))
        .isEqualTo(new Placement.Correlate(1));
    assertThat(storm.place(arrival(4, T0), later("post", new Placement.Post(null))))
        .isEqualTo(new Placement.StartStorm());
    assertThat(asked).containsExactly("correlate", "post");
  }

  @Test
  void notifyAfterDelaysBeforeAnyLaterStageIsAskedAndPassesOnceMinFiringElapsed() {
    NotifyAfterStage notifyAfter = new NotifyAfterStage(RULES);

    assertThat(notifyAfter.place(arrival(1, T0.minusSeconds(30)), later("storm",
        new Placement.Post(null)))).isEqualTo(new Placement.Delay(T0.plusSeconds(90)));
    assertThat(asked).isEmpty();
    assertThat(notifyAfter.place(arrival(2, T0.minusSeconds(120)), later("storm",
        new Placement.Post(null)))).isEqualTo(new Placement.Post(null));
    assertThat(asked).containsExactly("storm");
  }

  @Test
  void onlyAnIncidentPostedNowGetsAFirstReminderNeverADelayedOne() {
    ReminderStage reminders = new ReminderStage(RULES, IncidentResponseState.NONE);

    assertThat(reminders.place(arrival(1, T0), later("end", new Placement.Delay(T0.plusSeconds(90)))))
        .isEqualTo(new Placement.Delay(T0.plusSeconds(90)));
    assertThat(reminders.place(arrival(2, T0), later("end", new Placement.Correlate(1))))
        .isEqualTo(new Placement.Correlate(1));
    assertThat(reminders.place(arrival(3, T0), later("end", new Placement.Post(null))))
        .isEqualTo(new Placement.Post(T0.plus(Duration.ofMinutes(30))));
  }

  @Test
  void aDelayedIncidentIsNotRemindedUntilItIsPosted() {
    NoiseScenario s = new NoiseScenario(new NoiseRules(List.of(), Duration.ofMinutes(40),
        Duration.ZERO, 0, Duration.ZERO, 0, List.of(), Duration.ofMinutes(30)));
    s.notify(T0, NoiseScenario.firing("A", T0));

    s.tick(T0.plus(Duration.ofMinutes(39)));
    assertThat(s.sent).isEmpty();
    assertThat(s.events(EventKind.REMINDER_SENT)).isEmpty();

    s.tick(T0.plus(Duration.ofMinutes(40)));
    s.tick(T0.plus(Duration.ofMinutes(69)));
    assertThat(s.events(EventKind.REMINDER_SENT)).isEmpty();
    s.tick(T0.plus(Duration.ofMinutes(70)));
    assertThat(s.events(EventKind.REMINDER_SENT)).singleElement()
        .satisfies(r -> assertThat(r.event().details())
            .containsEntry("reason", SuppressionReason.UNACKNOWLEDGED.wire())
            .containsEntry("unacknowledged_seconds", 70L * 60));
  }

  @Test
  void everySuppressionReasonKeepsTheNameStoredAndShownBefore() {
    assertThat(SuppressionReason.values()).extracting(SuppressionReason::wire).containsExactly(
        "history_only", "resolved_before_notify_after", "notify_after", "flapping", "storm",
        "correlate_by", "unacknowledged");
  }
}
