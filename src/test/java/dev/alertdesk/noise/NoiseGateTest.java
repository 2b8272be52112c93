package dev.alertdesk.noise;

import static dev.alertdesk.noise.NoiseScenario.DEFAULT;
import static dev.alertdesk.noise.NoiseScenario.T0;
import static dev.alertdesk.noise.NoiseScenario.firing;
import static dev.alertdesk.noise.NoiseScenario.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.alert.Matchers;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.ingest.DryRun;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The noise rules, each at and around its boundaries, with a fixed clock. */
final class NoiseGateTest {
  private static final Duration MS = Duration.ofMillis(1);

  private static Route route(String matchers, String channel) {
    return new Route(Matchers.parse(matchers), channel, null, true, false);
  }

  @Nested
  final class Routes {
    @Test
    void theFirstMatchingRouteWinsAndUnmatchedIncidentsGoToTheDefaultChannel() {
      NoiseScenario s = new NoiseScenario(NoiseScenario.routes(
          route("{namespace=~\"checkout|payments\"}", "#payments"),
          route("{namespace=\"payments\"}", "#never")));

      s.notify(T0, firing("A", T0, "namespace=payments"));
      s.notify(T0, firing("B", T0, "namespace=search"));

      assertThat(s.seen("#payments")).hasSize(1);
      assertThat(s.seen("#never")).isEmpty();
      assertThat(s.seen(DEFAULT)).hasSize(1);
      assertThat(s.events(EventKind.ROUTED).get(0).event().details())
          .containsEntry("channels", List.of("#payments")).containsEntry("routes", List.of(0));
      assertThat(s.events(EventKind.ROUTED).get(1).event().details())
          .containsEntry("routes", List.of(-1));
    }

    @Test
    void continuePostsToEveryMatchingChannelEachWithItsOwnThread() {
      NoiseScenario s = new NoiseScenario(NoiseScenario.routes(
          new Route(Matchers.parse("severity=\"critical\""), "#oncall", "<!subteam^S1>", true, true),
          route("{}", "#team")));

      s.notify(T0, firing("A", T0));
      s.notify(T0.plusSeconds(60), resolved("A", T0, T0.plusSeconds(50)));

      for (String channel : List.of("#oncall", "#team")) {
        List<InMemoryNoiseLedger.Queued> seen = s.seen(channel);
        assertThat(seen).extracting(q -> q.message().kind())
            .containsExactly(SlackIntent.Kind.PARENT_POST, SlackIntent.Kind.THREAD_REPLY);
      }
      assertThat(NoiseScenario.text(s.seen("#oncall").get(0))).startsWith("<!subteam^S1> ");
      assertThat(NoiseScenario.text(s.seen("#team").get(0))).doesNotContain("subteam");
      assertThat(s.seen(DEFAULT)).isEmpty();
    }

    @Test
    void slackFalseKeepsTheIncidentInHistoryOnlyAndSaysWhy() {
      NoiseScenario s = new NoiseScenario(NoiseScenario.routes(
          new Route(Matchers.parse("severity=\"info\""), null, null, false, false)));

      DryRun.Step step = s.notify(T0, firing("Info", T0, "severity=info"));
      s.notify(T0.plusSeconds(60), resolved("Info", T0, T0.plusSeconds(30), "severity=info"));

      assertThat(step.incident()).isNotNull();
      assertThat(s.sent).isEmpty();
      assertThat(s.events(EventKind.NOTIFICATION_SUPPRESSED)).singleElement()
          .satisfies(r -> assertThat(r.event().details())
              .containsEntry("reason", SuppressionReason.HISTORY_ONLY.wire()));
    }
  }

  @Nested
  final class NotifyAfter {
    private final NoiseRules rules = new NoiseRules(List.of(), Duration.ofMinutes(2),
        Duration.ZERO, 0, Duration.ZERO, 0, List.of(), Duration.ZERO);

    @Test
    void anIncidentResolvedBeforeMinFiringNeverReachesSlack() {
      NoiseScenario s = new NoiseScenario(rules);

      s.notify(T0.plusSeconds(30), firing("A", T0));
      s.notify(T0.plusSeconds(119), resolved("A", T0, T0.plusSeconds(110)));
      s.tick(T0.plusSeconds(600));

      assertThat(s.sent).isEmpty();
      assertThat(s.events(EventKind.NOTIFICATION_DELAYED)).singleElement()
          .satisfies(r -> assertThat(r.event().details())
              .containsEntry("notify_at", T0.plus(Duration.ofMinutes(2)).toString()));
      assertThat(s.events(EventKind.NOTIFICATION_SUPPRESSED)).singleElement()
          .satisfies(r -> assertThat(r.event().details())
              .containsEntry("reason", "resolved_before_notify_after"));
    }

    @Test
    void aStillFiringIncidentIsPostedAtStartsAtPlusMinFiringWithoutANewWebhook() {
      NoiseScenario s = new NoiseScenario(rules);
      s.notify(T0.plusSeconds(30), firing("A", T0));

      s.tick(T0.plus(Duration.ofMinutes(2)).minus(MS));
      assertThat(s.sent).isEmpty();

      s.tick(T0.plus(Duration.ofMinutes(2)));
      assertThat(s.calls(SlackIntent.Kind.PARENT_POST)).singleElement();

      s.notify(T0.plusSeconds(300), resolved("A", T0, T0.plusSeconds(290)));
      assertThat(s.seen(DEFAULT)).extracting(q -> q.message().kind())
          .containsExactly(SlackIntent.Kind.PARENT_POST, SlackIntent.Kind.THREAD_REPLY);
    }

    @Test
    void aDelayedParentGetsTheSameOpeningGraphJobAsOnePostedAtOnce() {
      NoiseScenario now = new NoiseScenario(rules, IncidentResponseState.NONE, true);
      now.notify(T0.plus(Duration.ofMinutes(2)), firing("A", T0));
      NoiseScenario later = new NoiseScenario(rules, IncidentResponseState.NONE, true);
      later.notify(T0.plusSeconds(30), firing("A", T0));
      later.tick(T0.plus(Duration.ofMinutes(2)));

      assertThat(now.seen(DEFAULT)).extracting(q -> q.message().kind())
          .containsExactly(SlackIntent.Kind.PARENT_POST, SlackIntent.Kind.GRAPH);
      assertThat(later.seen(DEFAULT)).extracting(q -> q.message().kind())
          .containsExactly(SlackIntent.Kind.PARENT_POST, SlackIntent.Kind.GRAPH);
      assertThat(NoiseScenario.payload(later.seen(DEFAULT).get(1)))
          .isEqualTo(NoiseScenario.payload(now.seen(DEFAULT).get(1)));
    }

    @Test
    void anAlertAlreadyFiringForMinFiringIsPostedAtOnce() {
      NoiseScenario s = new NoiseScenario(rules);

      s.notify(T0.plus(Duration.ofMinutes(2)), firing("A", T0));

      assertThat(s.calls(SlackIntent.Kind.PARENT_POST)).singleElement();
      assertThat(s.events(EventKind.NOTIFICATION_DELAYED)).isEmpty();
    }

    @Test
    void resolvingOneMillisecondBeforeTheDeadlineSuppressesAndAfterItReplies() {
      NoiseScenario early = new NoiseScenario(rules);
      early.notify(T0, firing("A", T0));
      early.notify(T0.plus(Duration.ofMinutes(2)).minus(MS),
          resolved("A", T0, T0.plusSeconds(100)));
      early.tick(T0.plus(Duration.ofMinutes(3)));
      assertThat(early.sent).isEmpty();

      NoiseScenario late = new NoiseScenario(rules);
      late.notify(T0, firing("A", T0));
      late.tick(T0.plus(Duration.ofMinutes(2)));
      late.notify(T0.plus(Duration.ofMinutes(2)).plus(MS), resolved("A", T0, T0.plusSeconds(100)));
      assertThat(late.seen(DEFAULT)).hasSize(2);
    }
  }

  @Nested
  final class Flapping {
    private final NoiseRules rules = new NoiseRules(List.of(), Duration.ZERO,
        Duration.ofHours(1), 4, Duration.ZERO, 0, List.of(), Duration.ZERO);

    /** Fires at T0, then flips every 2 minutes; returns the time of the last flip. */
    private Instant flip(NoiseScenario s, int transitions) {
      s.notify(T0, firing("Flappy", T0));
      Instant t = T0;
      Instant started = T0;
      for (int i = 1; i <= transitions; i++) {
        t = t.plus(Duration.ofMinutes(2));
        if (i % 2 == 1) {
          s.notify(t, resolved("Flappy", started, t));
        } else {
          started = t;
          s.notify(t, firing("Flappy", started));
        }
      }
      return t;
    }

    @Test
    void maxTransitionsWithinTheWindowAreStillReplies() {
      NoiseScenario s = new NoiseScenario(rules);

      flip(s, 4);

      assertThat(s.seen(DEFAULT)).hasSize(1 + 4);
      assertThat(s.events(EventKind.FLAPPING_STARTED)).isEmpty();
    }

    @Test
    void oneMoreTransitionMarksItFlappingWithOneReplyAndThenOnlyParentUpdates() {
      NoiseScenario s = new NoiseScenario(rules);

      Instant last = flip(s, 5);
      assertThat(s.seen(DEFAULT)).hasSize(1 + 4 + 1);
      assertThat(NoiseScenario.payload(s.seen(DEFAULT).get(5))).contains("Flapping: 5 changes");
      assertThat(s.events(EventKind.FLAPPING_STARTED)).singleElement()
          .satisfies(r -> assertThat(r.event().details()).containsEntry("transitions", 5));

      int updatesBefore = s.calls(SlackIntent.Kind.PARENT_UPDATE).size();
      s.notify(last.plus(Duration.ofMinutes(2)), firing("Flappy", last.plus(Duration.ofMinutes(2))));
      assertThat(s.seen(DEFAULT)).hasSize(6);
      List<InMemoryNoiseLedger.Queued> updates = s.calls(SlackIntent.Kind.PARENT_UPDATE);
      assertThat(updates).hasSize(updatesBefore + 1);
      assertThat(NoiseScenario.payload(updates.get(updates.size() - 1)))
          .contains("Flapping:* 6 changes");
      assertThat(s.events(EventKind.NOTIFICATION_SUPPRESSED)).hasSize(2)
          .allSatisfy(r -> assertThat(r.event().details()).containsEntry("reason", "flapping"));
    }

    @Test
    void flappingClearsAfterAQuietWindowAndRepliesResume() {
      NoiseScenario s = new NoiseScenario(rules);
      Instant last = flip(s, 6);

      s.tick(last.plus(Duration.ofHours(1)));
      assertThat(s.events(EventKind.FLAPPING_CLEARED)).isEmpty();

      s.tick(last.plus(Duration.ofHours(1)).plus(MS));
      assertThat(s.events(EventKind.FLAPPING_CLEARED)).singleElement();
      List<InMemoryNoiseLedger.Queued> updates = s.calls(SlackIntent.Kind.PARENT_UPDATE);
      assertThat(NoiseScenario.payload(updates.get(updates.size() - 1)))
          .doesNotContain("Flapping");

      int seen = s.seen(DEFAULT).size();
      Instant later = last.plus(Duration.ofHours(2));
      s.notify(later, resolved("Flappy", last, later));
      assertThat(s.seen(DEFAULT)).hasSize(seen + 1);
    }
  }

  @Nested
  final class Storm {
    private final NoiseRules rules = new NoiseRules(List.of(), Duration.ZERO, Duration.ZERO, 0,
        Duration.ofMinutes(1), 3, List.of(), Duration.ZERO);

    @Test
    void moreThanMaxNewIncidentsWithinTheWindowAreRolledUpIntoOneStormMessage() {
      NoiseScenario s = new NoiseScenario(rules);

      for (int i = 0; i < 20; i++) {
        s.notify(T0.plusSeconds(i), firing("Down", T0, "instance=i" + i));
      }

      List<InMemoryNoiseLedger.Queued> posts = s.calls(SlackIntent.Kind.PARENT_POST);
      assertThat(posts).hasSize(3 + 1);
      assertThat(NoiseScenario.payload(posts.get(3))).contains("Alert storm: 1 incident");
      assertThat(s.events(EventKind.ROLLED_UP)).hasSize(17)
          .allSatisfy(r -> assertThat(r.event().details()).containsEntry("reason", "storm")
              .containsEntry("storm_incident_id", 4L));
      String latest = NoiseScenario.payload(s.calls(SlackIntent.Kind.PARENT_UPDATE).get(15));
      assertThat(latest).contains("Alert storm: 17 incidents").contains(":fire: #20");
      assertThat(s.calls(SlackIntent.Kind.PARENT_UPDATE)).allSatisfy(
          q -> assertThat(q.incidentId()).isEqualTo(4L));
    }

    @Test
    void anArrivalExactlyOneWindowAfterTheFirstIsNotCounted() {
      NoiseScenario onEdge = new NoiseScenario(rules);
      for (int i = 0; i < 3; i++) {
        onEdge.notify(T0.plusSeconds(i * 10), firing("Down", T0, "instance=i" + i));
      }
      onEdge.notify(T0.plus(Duration.ofMinutes(1)), firing("Down", T0, "instance=x"));
      assertThat(onEdge.events(EventKind.ROLLED_UP)).isEmpty();

      NoiseScenario inside = new NoiseScenario(rules);
      for (int i = 0; i < 3; i++) {
        inside.notify(T0.plusSeconds(i * 10), firing("Down", T0, "instance=i" + i));
      }
      inside.notify(T0.plus(Duration.ofMinutes(1)).minus(MS), firing("Down", T0, "instance=x"));
      assertThat(inside.events(EventKind.ROLLED_UP)).singleElement();
    }

    @Test
    void theStormEndsWhenTheRateFallsBelowTheLimitAndNewIncidentsArePostedAgain() {
      NoiseScenario s = new NoiseScenario(rules);
      for (int i = 0; i < 6; i++) {
        s.notify(T0.plusSeconds(i), firing("Down", T0, "instance=i" + i));
      }
      // Arrivals at 0..5 s: just before 63 s three are in the window (3, 4, 5 s): still a storm;
      // at 63 s the one at 3 s leaves it.
      s.tick(T0.plusSeconds(63).minus(MS));
      assertThat(s.events(EventKind.STORM_ENDED)).isEmpty();

      s.tick(T0.plusSeconds(63));
      assertThat(s.events(EventKind.STORM_ENDED)).singleElement()
          .satisfies(r -> assertThat(r.event().details()).containsEntry("incidents", 3));
      List<InMemoryNoiseLedger.Queued> updates = s.calls(SlackIntent.Kind.PARENT_UPDATE);
      assertThat(NoiseScenario.payload(updates.get(updates.size() - 1)))
          .contains("Alert storm ended");

      s.notify(T0.plusSeconds(70), firing("Down", T0, "instance=new"));
      assertThat(s.calls(SlackIntent.Kind.PARENT_POST)).hasSize(3 + 1 + 1);
    }

    @Test
    void changesOfRolledUpIncidentsUpdateTheStormMessageInsteadOfReplying() {
      NoiseScenario s = new NoiseScenario(rules);
      for (int i = 0; i < 5; i++) {
        s.notify(T0.plusSeconds(i), firing("Down", T0, "instance=i" + i));
      }
      int replies = s.calls(SlackIntent.Kind.THREAD_REPLY).size();

      s.notify(T0.plusSeconds(30), resolved("Down", T0, T0.plusSeconds(29), "instance=i4"));

      assertThat(s.calls(SlackIntent.Kind.THREAD_REPLY)).hasSize(replies);
      List<InMemoryNoiseLedger.Queued> updates = s.calls(SlackIntent.Kind.PARENT_UPDATE);
      assertThat(NoiseScenario.payload(updates.get(updates.size() - 1)))
          .contains("2 incidents (1 firing)");
    }
  }

  @Nested
  final class Correlation {
    private NoiseRules rules(int stormMax) {
      return new NoiseRules(List.of(), Duration.ZERO, Duration.ZERO, 0,
          stormMax == 0 ? Duration.ZERO : Duration.ofMinutes(1), stormMax,
          List.of("namespace", "deployment"), Duration.ZERO);
    }

    @Test
    void aNewIncidentWithEqualLabelsRepliesInTheOpenIncidentsThread() {
      NoiseScenario s = new NoiseScenario(rules(0));

      s.notify(T0, firing("DnsErrors", T0, "namespace=shop", "deployment=api"));
      s.notify(T0.plusSeconds(5), firing("HighLatency", T0, "namespace=shop", "deployment=api"));
      s.notify(T0.plusSeconds(6), firing("HighLatency", T0, "namespace=shop", "deployment=web"));
      s.notify(T0.plusSeconds(7), firing("NoLabels", T0, "namespace=shop"));

      assertThat(s.calls(SlackIntent.Kind.PARENT_POST)).extracting(q -> q.incidentId())
          .containsExactly(1L, 3L, 4L);
      InMemoryNoiseLedger.Queued related = s.calls(SlackIntent.Kind.THREAD_REPLY).get(0);
      assertThat(related.incidentId()).isEqualTo(1L);
      assertThat(NoiseScenario.payload(related)).contains("Related: incident #2");
      assertThat(s.events(EventKind.CORRELATED)).singleElement().satisfies(r -> {
        assertThat(r.incidentId()).isEqualTo(2L);
        assertThat(r.event().details()).containsEntry("related_incident_id", 1L)
            .containsEntry("reason", "correlate_by");
      });
    }

    @Test
    void aResolvedIncidentIsNoLongerJoinedAndTheRelatedOneReportsItsResolution() {
      NoiseScenario s = new NoiseScenario(rules(0));
      s.notify(T0, firing("DnsErrors", T0, "namespace=shop", "deployment=api"));
      s.notify(T0.plusSeconds(5), firing("HighLatency", T0, "namespace=shop", "deployment=api"));

      s.notify(T0.plusSeconds(60), resolved("HighLatency", T0, T0.plusSeconds(55),
          "namespace=shop", "deployment=api"));
      assertThat(NoiseScenario.payload(s.calls(SlackIntent.Kind.THREAD_REPLY).get(1)))
          .contains("Related incident #2").contains("resolved");

      s.notify(T0.plusSeconds(70), resolved("DnsErrors", T0, T0.plusSeconds(65),
          "namespace=shop", "deployment=api"));
      s.notify(T0.plusSeconds(80), firing("Other", T0, "namespace=shop", "deployment=api"));
      assertThat(s.calls(SlackIntent.Kind.PARENT_POST)).extracting(q -> q.incidentId())
          .containsExactly(1L, 3L);
    }

    @Test
    void correlatedIncidentsCountTowardsTheStormAndAnActiveStormRollsUpEvenRelatedOnes() {
      NoiseScenario s = new NoiseScenario(rules(2));

      s.notify(T0, firing("DnsErrors", T0, "namespace=shop", "deployment=api"));
      s.notify(T0.plusSeconds(1), firing("HighLatency", T0, "namespace=shop", "deployment=api"));
      s.notify(T0.plusSeconds(2), firing("DiskFull", T0, "namespace=db", "deployment=pg"));
      s.notify(T0.plusSeconds(3), firing("Errors", T0, "namespace=shop", "deployment=api"));

      assertThat(s.events(EventKind.CORRELATED)).extracting(r -> r.incidentId())
          .containsExactly(2L);
      assertThat(s.events(EventKind.ROLLED_UP)).extracting(r -> r.incidentId())
          .containsExactly(3L, 4L);
      assertThat(s.calls(SlackIntent.Kind.PARENT_POST)).extracting(q -> q.incidentId())
          .containsExactly(1L, 3L);
    }
  }

  @Nested
  final class Reminders {
    private final NoiseRules rules = new NoiseRules(List.of(
        new Route(Matchers.ALL, null, "<!subteam^S0ONCALL>", true, false)), Duration.ZERO,
        Duration.ZERO, 0, Duration.ZERO, 0, List.of(), Duration.ofMinutes(30));

    @Test
    void anUnacknowledgedCriticalIncidentIsRemindedEveryIntervalUntilItResolves() {
      NoiseScenario s = new NoiseScenario(rules);
      s.notify(T0, firing("A", T0));

      s.tick(T0.plus(Duration.ofMinutes(30)).minus(MS));
      assertThat(s.events(EventKind.REMINDER_SENT)).isEmpty();
      s.tick(T0.plus(Duration.ofMinutes(30)));
      s.tick(T0.plus(Duration.ofMinutes(59)));
      s.tick(T0.plus(Duration.ofMinutes(60)));

      List<InMemoryNoiseLedger.Queued> replies = s.calls(SlackIntent.Kind.THREAD_REPLY);
      assertThat(replies).hasSize(2).allSatisfy(q -> assertThat(NoiseScenario.text(q))
          .contains("<!subteam^S0ONCALL>").contains("Still unacknowledged"));
      assertThat(s.events(EventKind.REMINDER_SENT)).extracting(r -> r.event().details().get("reminder"))
          .containsExactly(1, 2);

      s.notify(T0.plus(Duration.ofMinutes(70)), resolved("A", T0, T0.plus(Duration.ofMinutes(69))));
      s.tick(T0.plus(Duration.ofMinutes(200)));
      assertThat(s.events(EventKind.REMINDER_SENT)).hasSize(2);
    }

    @Test
    void warningsGetNoReminders() {
      NoiseScenario s = new NoiseScenario(rules);
      s.notify(T0, firing("A", T0, "severity=warning"));

      s.tick(T0.plus(Duration.ofHours(3)));

      assertThat(s.events(EventKind.REMINDER_SENT)).isEmpty();
    }

    @Test
    void aPageSeverityIncidentIsRemindedAsTheRendererShowsIt() {
      NoiseScenario s = new NoiseScenario(rules);
      s.notify(T0, firing("A", T0, "severity=page"));

      s.tick(T0.plus(Duration.ofMinutes(30)));

      assertThat(s.events(EventKind.REMINDER_SENT)).hasSize(1);
    }

    @Test
    void remindersStopOnceTheIncidentIsAcknowledgedOrSilenced() {
      Set<Long> acknowledged = new HashSet<>();
      NoiseScenario s = new NoiseScenario(rules, acknowledged::contains);
      s.notify(T0, firing("A", T0));
      s.tick(T0.plus(Duration.ofMinutes(30)));

      acknowledged.add(1L);
      s.tick(T0.plus(Duration.ofMinutes(60)));
      s.tick(T0.plus(Duration.ofMinutes(90)));

      assertThat(s.events(EventKind.REMINDER_SENT)).hasSize(1);
    }
  }
}
