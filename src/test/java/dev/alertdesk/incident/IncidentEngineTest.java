package dev.alertdesk.incident;

import static dev.alertdesk.incident.EventKind.ALERTS_FIRING;
import static dev.alertdesk.incident.EventKind.ALERTS_RESOLVED;
import static dev.alertdesk.incident.EventKind.REOPENED;
import static dev.alertdesk.incident.EventKind.TRUNCATED_ALERTS_CHANGED;
import static dev.alertdesk.incident.IncidentStatus.FIRING;
import static dev.alertdesk.incident.IncidentStatus.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.alert.Notification;
import dev.alertdesk.testing.MutableClock;
import dev.alertdesk.ingest.WebhookPayloadParser;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven tests of the incident state machine. Each scenario is a sequence of notifications
 * received at given times; the decision's incident is fed back in as {@code latest}, the way the
 * repository does, and every step states the outcome, status, events and Slack intents it expects.
 */
final class IncidentEngineTest {
  private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");
  private static final String RECEIVER = "slack-sre";
  private static final String GROUP_KEY =
      "{}/{severity=\"critical\"}:{alertname=\"HighLatency\"}";
  private static final String EXTERNAL_URL = "http://alertmanager-0.example:9093";
  private static final Duration WINDOW = Duration.ofHours(1);
  /** A {@code startsAt} with nanoseconds, as {@code amtool alert add} sends it. */
  private static final Instant NANOS_START = Instant.parse("2025-03-10T09:00:00.154891757Z");

  // ---------------------------------------------------------------------------------------------
  // The table

  static Stream<Arguments> scenarios() {
    return Stream.of(
        scenario("first firing notification opens an incident",
            step("group_wait elapsed: first notification", at(0, 30), notify(firing("a", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST")
                .also((d, incident) -> {
                  assertThat(incident.members()).extracting(Alert::fingerprint)
                      .containsExactly(fp("a"));
                  assertThat(incident.startedAt()).isEqualTo(at(0));
                  assertThat(incident.openedAt()).isEqualTo(at(0, 30));
                  assertThat(incident.resolvedAt()).isNull();
                  assertThat(incident.reopenCount()).isZero();
                  assertThat(incident.receiver()).isEqualTo(RECEIVER);
                  assertThat(incident.groupKey()).isEqualTo(GROUP_KEY);
                  assertThat(d.occurrencesStarted()).extracting(Alert::fingerprint)
                      .containsExactly(fp("a"));
                  assertThat(d.occurrencesEnded()).isEmpty();
                })),

        scenario("repeat_interval resend is a duplicate",
            step("opens", at(0, 30), notify(firing("a", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("repeat_interval 4h later", at(240, 30), notify(firing("a", at(0))))
                .expect(NotificationOutcome.DUPLICATE).incident(1, FIRING).events().intents()),

        scenario("an HA replica's copy, alerts reordered and received later, is a duplicate",
            step("replica 0", at(0, 30), notify(firing("a", at(0)), firing("b", at(0, 10))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("replica 1, 15s later, own externalURL", at(0, 45),
                notifyFrom("http://alertmanager-1.example:9093", 0,
                    firing("b", at(0, 10)), firing("a", at(0))))
                .expect(NotificationOutcome.DUPLICATE).incident(1, FIRING).events().intents()),

        scenario("a repeat of an alert with a nanosecond startsAt (amtool) is a duplicate",
            step("amtool's alert opens", at(0, 30), notify(firing("a", NANOS_START)))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("repeat_interval resends it; the stored copy has milliseconds", at(4, 30),
                notify(firing("a", NANOS_START)))
                .expect(NotificationOutcome.DUPLICATE).incident(1, FIRING).events().intents(),
            step("it resolves, nanoseconds again", at(6, 0),
                notify(resolved("a", NANOS_START, at(5, 50))))
                .expect(NotificationOutcome.RESOLVED).incident(1, RESOLVED)
                .events(ALERTS_RESOLVED, EventKind.RESOLVED)
                .intents("PARENT_UPDATE", "THREAD_REPLY/RESOLVED")),

        scenario("a late firing copy from the other Alertmanager of an HA pair is a duplicate",
            step("both fire", at(0, 30), notify(firing("a", at(0)), firing("b", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("Alertmanager 1 sends the resolution", at(10, 30),
                notify(resolved("a", at(0), at(10)), resolved("b", at(0), at(10))))
                .expect(NotificationOutcome.RESOLVED).incident(1, RESOLVED)
                .events(ALERTS_RESOLVED, EventKind.RESOLVED)
                .intents("PARENT_UPDATE", "THREAD_REPLY/RESOLVED"),
            step("Alertmanager 2 sends its firing snapshot after its 15s peer timeout", at(10, 45),
                notifyFrom("http://alertmanager-1.example:9093", 0,
                    firing("a", at(0)), firing("b", at(0))))
                .expect(NotificationOutcome.DUPLICATE).incident(1, RESOLVED).events().intents(),
            step("and its resolution 15s after that", at(11, 0),
                notify(resolved("a", at(0), at(10)), resolved("b", at(0), at(10))))
                .expect(NotificationOutcome.DUPLICATE).incident(1, RESOLVED).events().intents(),
            step("after the HA copy window a re-fire with a restored startsAt reopens", at(12, 0),
                notify(firing("a", at(0))))
                .expect(NotificationOutcome.REOPENED).incident(1, FIRING)
                .events(REOPENED, ALERTS_FIRING)
                .intents("PARENT_UPDATE", "THREAD_REPLY/REOPENED")),

        scenario("a member that resolved and fires again with a later startsAt inside the HA copy "
                + "window fires anew",
            step("a fires", at(0, 30), notify(firing("a", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("a resolves", at(10, 30), notify(resolved("a", at(0), at(10))))
                .expect(NotificationOutcome.RESOLVED).incident(1, RESOLVED)
                .events(ALERTS_RESOLVED, EventKind.RESOLVED)
                .intents("PARENT_UPDATE", "THREAD_REPLY/RESOLVED"),
            step("a fires from 10:40", at(10, 50), notify(firing("a", at(10, 40))))
                .expect(NotificationOutcome.REOPENED).incident(1, FIRING)
                .events(REOPENED, ALERTS_FIRING)
                .intents("PARENT_UPDATE", "THREAD_REPLY/REOPENED")),

        scenario("a retry of the same notification is a duplicate",
            step("first delivery", at(0, 30), notify(firing("a", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("retry after a 5xx", at(0, 30), notify(firing("a", at(0))))
                .expect(NotificationOutcome.DUPLICATE).incident(1, FIRING).events().intents()),

        scenario("a second alert joining updates the parent and replies in the thread",
            step("opens with a", at(0, 30), notify(firing("a", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("b joins", at(5, 30), notify(firing("a", at(0)), firing("b", at(5))))
                .expect(NotificationOutcome.UPDATED).incident(1, FIRING)
                .events(ALERTS_FIRING).intents("PARENT_UPDATE", "THREAD_REPLY/ALERTS_CHANGED")
                .also((d, incident) -> {
                  SlackIntent reply = d.intents().get(1);
                  assertThat(reply.firing()).extracting(Alert::fingerprint)
                      .containsExactly(fp("b"));
                  assertThat(reply.resolved()).isEmpty();
                  assertThat(incident.members()).extracting(Alert::fingerprint)
                      .containsExactly(fp("a"), fp("b"));
                  assertThat(incident.startedAt()).isEqualTo(at(0));
                  assertThat(incident.lastChangedAt()).isEqualTo(at(5, 30));
                  assertThat(d.occurrencesStarted()).extracting(Alert::fingerprint)
                      .containsExactly(fp("b"));
                  assertThat(d.changedMembers()).extracting(Alert::fingerprint)
                      .containsExactly(fp("b"));
                  assertThat(d.events().get(0).details())
                      .containsEntry("fingerprints", List.of(fp("b")));
                })),

        scenario("a partial resolve updates the incident and it keeps firing",
            step("opens with a and b", at(0, 30), notify(firing("a", at(0)), firing("b", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("b resolves", at(10, 30),
                notify(firing("a", at(0)), resolved("b", at(0), at(10))))
                .expect(NotificationOutcome.UPDATED).incident(1, FIRING)
                .events(ALERTS_RESOLVED).intents("PARENT_UPDATE", "THREAD_REPLY/ALERTS_CHANGED")
                .also((d, incident) -> {
                  SlackIntent reply = d.intents().get(1);
                  assertThat(reply.firing()).isEmpty();
                  assertThat(reply.resolved()).extracting(Alert::fingerprint)
                      .containsExactly(fp("b"));
                  assertThat(incident.firingCount()).isEqualTo(1);
                  assertThat(incident.resolvedCount()).isEqualTo(1);
                  assertThat(incident.resolvedAt()).isNull();
                  assertThat(incident.endedAt()).isNull();
                  assertThat(d.occurrencesEnded()).extracting(Alert::fingerprint)
                      .containsExactly(fp("b"));
                })),

        scenario("all members resolved resolves it; the resolved notification repeated is a "
                + "duplicate",
            step("opens with a and b", at(5, 30), notify(firing("a", at(0)), firing("b", at(5))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("a resolves", at(20, 30),
                notify(resolved("a", at(0), at(20)), firing("b", at(5))))
                .expect(NotificationOutcome.UPDATED).incident(1, FIRING)
                .events(ALERTS_RESOLVED).intents("PARENT_UPDATE", "THREAD_REPLY/ALERTS_CHANGED"),
            step("b resolves too", at(32, 30),
                notify(resolved("a", at(0), at(20)), resolved("b", at(5), at(32))))
                .expect(NotificationOutcome.RESOLVED).incident(1, RESOLVED)
                .events(ALERTS_RESOLVED, EventKind.RESOLVED)
                .intents("PARENT_UPDATE", "THREAD_REPLY/RESOLVED")
                .also((d, incident) -> {
                  assertThat(incident.endedAt()).isEqualTo(at(32));
                  assertThat(incident.resolvedAt()).isEqualTo(at(32, 30));
                  assertThat(incident.duration(at(600))).isEqualTo(Duration.ofMinutes(32));
                  assertThat(d.events().get(1).details())
                      .containsEntry("duration_seconds", 32L * 60);
                  assertThat(d.intents().get(1).resolved()).extracting(Alert::fingerprint)
                      .containsExactly(fp("b"));
                  assertThat(incident.firingCount()).isZero();
                }),
            step("resolved notification repeated", at(37, 30),
                notify(resolved("a", at(0), at(20)), resolved("b", at(5), at(32))))
                .expect(NotificationOutcome.DUPLICATE).incident(1, RESOLVED).events().intents()
                .also((d, incident) -> assertThat(incident.resolvedAt()).isEqualTo(at(32, 30)))),

        scenario("every member resolving in one notification resolves it at once",
            step("opens", at(0, 30), notify(firing("a", at(0)), firing("b", at(1))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("both resolve", at(12, 30),
                notify(resolved("a", at(0), at(11)), resolved("b", at(1), at(12))))
                .expect(NotificationOutcome.RESOLVED).incident(1, RESOLVED)
                .events(ALERTS_RESOLVED, EventKind.RESOLVED)
                .intents("PARENT_UPDATE", "THREAD_REPLY/RESOLVED")
                .also((d, incident) -> {
                  assertThat(incident.duration(at(999))).isEqualTo(Duration.ofMinutes(12));
                  assertThat(d.occurrencesEnded()).hasSize(2);
                })),

        scenario("a refire within the reopen window reopens the same incident",
            step("opens", at(0, 30), notify(firing("a", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("resolves", at(10, 30), notify(resolved("a", at(0), at(10))))
                .expect(NotificationOutcome.RESOLVED).incident(1, RESOLVED)
                .events(ALERTS_RESOLVED, EventKind.RESOLVED)
                .intents("PARENT_UPDATE", "THREAD_REPLY/RESOLVED"),
            step("fires again 30m later", at(40, 30), notify(firing("a", at(40))))
                .expect(NotificationOutcome.REOPENED).incident(1, FIRING)
                .events(REOPENED, ALERTS_FIRING)
                .intents("PARENT_UPDATE", "THREAD_REPLY/REOPENED")
                .also((d, incident) -> {
                  assertThat(incident.reopenCount()).isEqualTo(1);
                  assertThat(incident.resolvedAt()).isNull();
                  assertThat(incident.endedAt()).isNull();
                  assertThat(incident.startedAt()).isEqualTo(at(0));
                  assertThat(incident.openedAt()).isEqualTo(at(0, 30));
                  assertThat(d.events().get(0).details()).containsEntry("reopen_count", 1);
                  assertThat(d.intents().get(1).firing()).extracting(Alert::startsAt)
                      .containsExactly(at(40));
                  assertThat(d.occurrencesStarted()).extracting(Alert::startsAt)
                      .containsExactly(at(40));
                }),
            step("resolves again", at(50, 30), notify(resolved("a", at(40), at(50))))
                .expect(NotificationOutcome.RESOLVED).incident(1, RESOLVED)
                .events(ALERTS_RESOLVED, EventKind.RESOLVED)
                .intents("PARENT_UPDATE", "THREAD_REPLY/RESOLVED"),
            step("fires a third time, exactly at the end of the window", at(110, 30),
                notify(firing("a", at(110))))
                .expect(NotificationOutcome.REOPENED).incident(1, FIRING)
                .events(REOPENED, ALERTS_FIRING)
                .intents("PARENT_UPDATE", "THREAD_REPLY/REOPENED")
                .also((d, incident) -> assertThat(incident.reopenCount()).isEqualTo(2))),

        scenario("a refire after the reopen window opens a new incident",
            step("opens", at(0, 30), notify(firing("a", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("resolves", at(10, 30), notify(resolved("a", at(0), at(10))))
                .expect(NotificationOutcome.RESOLVED).incident(1, RESOLVED)
                .events(ALERTS_RESOLVED, EventKind.RESOLVED)
                .intents("PARENT_UPDATE", "THREAD_REPLY/RESOLVED"),
            step("fires again 1h and 1s after resolution", at(70, 31), notify(firing("a", at(70))))
                .expect(NotificationOutcome.OPENED).newIncident(2, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST")
                .also((d, incident) -> {
                  assertThat(incident.reopenCount()).isZero();
                  assertThat(incident.startedAt()).isEqualTo(at(70));
                  assertThat(incident.openedAt()).isEqualTo(at(70, 31));
                })),

        scenario("a resolved-only notification for a group without an incident opens nothing",
            step("only resolved alerts", at(0, 30), notify(resolved("a", at(-20), at(-1))))
                .expect(NotificationOutcome.NO_INCIDENT).noIncident().events().intents()
                .also((d, incident) -> {
                  assertThat(d.changedMembers()).isEmpty();
                  assertThat(d.occurrencesStarted()).isEmpty();
                  assertThat(d.occurrencesEnded()).isEmpty();
                })),

        scenario("a resolved-only notification after the reopen window opens nothing",
            step("opens", at(0, 30), notify(firing("a", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("resolves", at(10, 30), notify(resolved("a", at(0), at(10))))
                .expect(NotificationOutcome.RESOLVED).incident(1, RESOLVED)
                .events(ALERTS_RESOLVED, EventKind.RESOLVED)
                .intents("PARENT_UPDATE", "THREAD_REPLY/RESOLVED"),
            step("a late resolved copy 2h later", at(130, 30),
                notify(resolved("a", at(0), at(10))))
                .expect(NotificationOutcome.NO_INCIDENT).noIncident().events().intents()),

        scenario("truncatedAlerts is kept and a change of it updates only the parent",
            step("opens, 3 alerts left out", at(0, 30), notifyTruncated(3, firing("a", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST")
                .also((d, incident) -> {
                  assertThat(incident.truncatedAlerts()).isEqualTo(3);
                  assertThat(d.events().get(0).details()).containsEntry("truncated_alerts", 3);
                }),
            step("5 left out now", at(5, 30), notifyTruncated(5, firing("a", at(0))))
                .expect(NotificationOutcome.UPDATED).incident(1, FIRING)
                .events(TRUNCATED_ALERTS_CHANGED).intents("PARENT_UPDATE")
                .also((d, incident) -> {
                  assertThat(incident.truncatedAlerts()).isEqualTo(5);
                  assertThat(d.events().get(0).details())
                      .containsEntry("from", 3).containsEntry("to", 5);
                  assertThat(d.changedMembers()).isEmpty();
                  assertThat(incident.lastChangedAt()).isEqualTo(at(0, 30));
                }),
            step("still 5 left out", at(10, 30), notifyTruncated(5, firing("a", at(0))))
                .expect(NotificationOutcome.DUPLICATE).incident(1, FIRING).events().intents(),
            step("nothing left out any more", at(15, 30), notifyTruncated(0, firing("a", at(0))))
                .expect(NotificationOutcome.UPDATED).incident(1, FIRING)
                .events(TRUNCATED_ALERTS_CHANGED).intents("PARENT_UPDATE")
                .also((d, incident) -> assertThat(incident.truncatedAlerts()).isZero())),

        scenario("a stale resolution of an older firing period is ignored",
            step("opens with a firing since 09:30", at(30, 30), notify(firing("a", at(30))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("late resolution of the 09:00 period", at(31),
                notify(resolved("a", at(0), at(20))))
                .expect(NotificationOutcome.DUPLICATE).incident(1, FIRING).events().intents()
                .also((d, incident) -> {
                  assertThat(incident.member(fp("a")).orElseThrow().status())
                      .isEqualTo(AlertStatus.FIRING);
                  assertThat(incident.member(fp("a")).orElseThrow().startsAt())
                      .isEqualTo(at(30));
                })),

        scenario("a resolved member firing again while others fire rejoins",
            step("opens with a and b", at(0, 30), notify(firing("a", at(0)), firing("b", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("b resolves", at(10, 30),
                notify(firing("a", at(0)), resolved("b", at(0), at(10))))
                .expect(NotificationOutcome.UPDATED).incident(1, FIRING)
                .events(ALERTS_RESOLVED).intents("PARENT_UPDATE", "THREAD_REPLY/ALERTS_CHANGED"),
            step("b fires again", at(30, 30), notify(firing("a", at(0)), firing("b", at(30))))
                .expect(NotificationOutcome.UPDATED).incident(1, FIRING)
                .events(ALERTS_FIRING).intents("PARENT_UPDATE", "THREAD_REPLY/ALERTS_CHANGED")
                .also((d, incident) -> {
                  assertThat(d.occurrencesStarted()).extracting(Alert::startsAt)
                      .containsExactly(at(30));
                  assertThat(incident.firingCount()).isEqualTo(2);
                  assertThat(incident.reopenCount()).isZero();
                })),

        scenario("a member firing with a newer startsAt starts a new occurrence",
            step("opens", at(0, 30), notify(firing("a", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("resolution was missed; a fires since 09:30", at(30, 30),
                notify(firing("a", at(30))))
                .expect(NotificationOutcome.UPDATED).incident(1, FIRING)
                .events(ALERTS_FIRING).intents("PARENT_UPDATE", "THREAD_REPLY/ALERTS_CHANGED")
                .also((d, incident) -> assertThat(incident.member(fp("a")).orElseThrow()
                    .startsAt()).isEqualTo(at(30)))),

        scenario("alerts joining and resolving together make one thread reply",
            step("opens with a and b", at(0, 30), notify(firing("a", at(0)), firing("b", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("c joins as b resolves", at(5, 30),
                notify(firing("a", at(0)), resolved("b", at(0), at(5)), firing("c", at(5))))
                .expect(NotificationOutcome.UPDATED).incident(1, FIRING)
                .events(ALERTS_FIRING, ALERTS_RESOLVED)
                .intents("PARENT_UPDATE", "THREAD_REPLY/ALERTS_CHANGED")
                .also((d, incident) -> {
                  SlackIntent reply = d.intents().get(1);
                  assertThat(reply.firing()).extracting(Alert::fingerprint)
                      .containsExactly(fp("c"));
                  assertThat(reply.resolved()).extracting(Alert::fingerprint)
                      .containsExactly(fp("b"));
                })),

        scenario("the same fingerprint twice in one notification counts once",
            step("a listed twice", at(0, 30), notify(firing("a", at(0)), firing("a", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST")
                .also((d, incident) -> {
                  assertThat(incident.members()).hasSize(1);
                  assertThat(d.events().get(0).details()).containsEntry("firing", 1);
                })),

        scenario("a first notification with resolved alerts opens with the firing ones only",
            step("a fires, b already resolved", at(0, 30),
                notify(firing("a", at(0)), resolved("b", at(-30), at(-5))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST")
                .also((d, incident) -> assertThat(incident.members())
                    .extracting(Alert::fingerprint).containsExactly(fp("a")))),

        scenario("a member left out of a complete resolved notification (silenced) resolves",
            step("a and b fire", at(0, 30), notify(firing("a", at(0)), firing("b", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("b is silenced; a resolves; Alertmanager leaves b out", at(10, 0),
                notify(resolved("a", at(0), at(9))))
                .expect(NotificationOutcome.RESOLVED).incident(1, RESOLVED)
                .events(ALERTS_RESOLVED, EventKind.RESOLVED)
                .intents("PARENT_UPDATE", "THREAD_REPLY/RESOLVED")
                .also((d, incident) -> {
                  assertThat(incident.member(fp("b")).orElseThrow().status())
                      .isEqualTo(AlertStatus.RESOLVED);
                  assertThat(incident.member(fp("b")).orElseThrow().endsAt()).isEqualTo(at(10));
                  assertThat(d.events().get(0).details())
                      .containsEntry("absent_from_resolved_notification", List.of(fp("b")));
                  assertThat(d.occurrencesEnded()).extracting(Alert::fingerprint)
                      .containsExactlyInAnyOrder(fp("a"), fp("b"));
                })),

        scenario("a member left out of a truncated resolved notification stays firing",
            step("a and b fire", at(0, 30), notify(firing("a", at(0)), firing("b", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("a resolves; b may be among the truncated", at(10, 0),
                notifyTruncated(1, resolved("a", at(0), at(9))))
                .expect(NotificationOutcome.UPDATED).incident(1, FIRING)
                .events(ALERTS_RESOLVED, TRUNCATED_ALERTS_CHANGED)
                .intents("PARENT_UPDATE", "THREAD_REPLY/ALERTS_CHANGED")),

        scenario("a refire with a later startsAt ends the previous occurrence",
            step("a fires", at(0, 30), notify(firing("a", at(0))))
                .expect(NotificationOutcome.OPENED).newIncident(1, FIRING)
                .events(EventKind.OPENED).intents("PARENT_POST"),
            step("a fires again from 20m; its resolution was never seen", at(20, 30),
                notify(firing("a", at(20))))
                .expect(NotificationOutcome.UPDATED).incident(1, FIRING)
                .events(ALERTS_FIRING).intents("PARENT_UPDATE", "THREAD_REPLY/ALERTS_CHANGED")
                .also((d, incident) -> {
                  assertThat(d.occurrencesStarted()).extracting(Alert::startsAt)
                      .containsExactly(at(20));
                  assertThat(d.occurrencesEnded()).singleElement().satisfies(ended -> {
                    assertThat(ended.startsAt()).isEqualTo(at(0));
                    assertThat(ended.endsAt()).isEqualTo(at(20));
                  });
                }))
    );
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void eachStepDecidesWhatTheTableExpects(String name, List<Step> steps) {
    MutableClock clock = new MutableClock(T0);
    IncidentEngine engine = new IncidentEngine(clock, WINDOW);
    Incident latest = null;
    long nextId = 1;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      String where = "step " + (i + 1) + " (" + step.what + ")";
      clock.set(step.receivedAt);

      Decision decision = engine.apply(latest, step.notification);

      assertThat(decision.outcome()).as(where + ": outcome").isEqualTo(step.outcome);
      assertThat(decision.isNew()).as(where + ": isNew").isEqualTo(step.isNew);
      assertThat(decision.events()).as(where + ": event kinds")
          .extracting(IncidentEvent::kind).containsExactlyElementsOf(step.events);
      assertThat(decision.events()).as(where + ": event times")
          .allSatisfy(e -> assertThat(e.at()).isEqualTo(step.receivedAt));
      assertThat(decision.intents()).as(where + ": Slack intents")
          .extracting(IncidentEngineTest::describe).containsExactlyElementsOf(step.intents);
      Incident incident = decision.incident();
      if (step.status == null) {
        assertThat(incident).as(where + ": incident").isNull();
        continue;
      }
      assertThat(incident).as(where + ": incident").isNotNull();
      if (decision.isNew()) {
        assertThat(incident.id()).as(where + ": id of a new incident").isNull();
        incident = incident.withId(nextId++);
      }
      assertThat(incident.id()).as(where + ": incident id").isEqualTo(step.incidentId);
      assertThat(incident.status()).as(where + ": status").isEqualTo(step.status);
      if (step.outcome == NotificationOutcome.DUPLICATE) {
        assertThat(incident).as(where + ": a duplicate changes nothing").isEqualTo(latest);
        assertThat(decision.changedMembers()).as(where + ": changed members").isEmpty();
        assertThat(decision.occurrencesStarted()).as(where + ": occurrences").isEmpty();
        assertThat(decision.occurrencesEnded()).as(where + ": occurrences").isEmpty();
      }
      step.also.accept(decision, incident);
      latest = stored(incident);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Rules outside the table

  @Test
  void negativeReopenWindowIsRejected() {
    MutableClock clock = new MutableClock(T0);
    assertThatThrownBy(() -> new IncidentEngine(clock, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reopen window");
  }

  @Test
  void defaultReopenWindowIsOneHour() {
    assertThat(IncidentEngine.DEFAULT_REOPEN_WINDOW).isEqualTo(Duration.ofHours(1));
    assertThat(new IncidentEngine(new MutableClock(T0), IncidentEngine.DEFAULT_REOPEN_WINDOW)
        .reopenWindow()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void zeroReopenWindowNeverReopensEvenInTheSameInstant() {
    MutableClock clock = new MutableClock(at(0, 30));
    IncidentEngine engine = new IncidentEngine(clock, Duration.ZERO);
    Incident opened = engine.apply(null, notify(firing("a", at(0)))).incident().withId(1);
    clock.set(at(10, 30));
    Incident resolved = engine.apply(opened, notify(resolved("a", at(0), at(10)))).incident();
    assertThat(resolved.status()).isEqualTo(RESOLVED);

    Decision refire = engine.apply(resolved, notify(firing("a", at(10, 30))));

    assertThat(refire.outcome()).isEqualTo(NotificationOutcome.OPENED);
    assertThat(refire.isNew()).isTrue();
  }

  @Test
  void longerReopenWindowReopensLaterRefires() {
    MutableClock clock = new MutableClock(at(0, 30));
    IncidentEngine engine = new IncidentEngine(clock, Duration.ofHours(6));
    Incident opened = engine.apply(null, notify(firing("a", at(0)))).incident().withId(7);
    clock.set(at(10, 30));
    Incident resolved = engine.apply(opened, notify(resolved("a", at(0), at(10)))).incident();
    clock.set(at(5 * 60));

    Decision refire = engine.apply(resolved, notify(firing("a", at(5 * 60))));

    assertThat(refire.outcome()).isEqualTo(NotificationOutcome.REOPENED);
    assertThat(refire.incident().id()).isEqualTo(7L);
  }

  @Test
  void realAlertmanagerPayloadsOpenAndResolveAnIncident() throws IOException {
    WebhookPayloadParser parser = new WebhookPayloadParser();
    Notification firing = parser.parse(fixture("alertmanager-0.25-firing.json"));
    Notification resolved = parser.parse(fixture("alertmanager-0.25-resolved.json"));
    MutableClock clock = new MutableClock(Instant.parse("2023-06-14T08:22:47Z"));
    IncidentEngine engine = new IncidentEngine(clock, WINDOW);

    Decision opened = engine.apply(null, firing);
    Incident incident = opened.incident().withId(42);
    clock.set(Instant.parse("2023-06-14T08:23:17Z"));
    Decision replica = engine.apply(incident, firing);
    clock.set(Instant.parse("2023-06-14T08:46:47Z"));
    Decision closed = engine.apply(incident, resolved);

    assertThat(opened.outcome()).isEqualTo(NotificationOutcome.OPENED);
    assertThat(incident.alertname()).isEqualTo("KubePodCrashLooping");
    assertThat(incident.severity()).isEqualTo("critical");
    assertThat(incident.firingCount()).isEqualTo(2);
    assertThat(incident.startedAt()).isEqualTo(Instant.parse("2023-06-14T08:21:47.627Z"));
    assertThat(replica.outcome()).isEqualTo(NotificationOutcome.DUPLICATE);
    assertThat(closed.outcome()).isEqualTo(NotificationOutcome.RESOLVED);
    assertThat(closed.incident().id()).isEqualTo(42L);
    assertThat(closed.incident().endedAt()).isEqualTo(Instant.parse("2023-06-14T08:46:17.627Z"));
    assertThat(closed.incident().duration(clock.instant())).isEqualTo(Duration.ofMinutes(24).plusSeconds(30));
  }

  // ---------------------------------------------------------------------------------------------
  // Builders

  /** The incident as the repository gives it back: alert times at milliseconds. */
  private static Incident stored(Incident i) {
    List<Alert> members = i.members().stream().map(a -> new Alert(a.fingerprint(), a.status(),
        a.labels(), a.annotations(), a.startsAt().truncatedTo(Alert.STORED_PRECISION),
        a.endsAt() == null ? null : a.endsAt().truncatedTo(Alert.STORED_PRECISION),
        a.generatorUrl())).toList();
    return new Incident(i.id(), i.receiver(), i.groupKey(), i.status(), i.groupLabels(),
        i.commonLabels(), i.commonAnnotations(), i.externalUrl(), i.truncatedAlerts(),
        i.startedAt().truncatedTo(Alert.STORED_PRECISION), i.openedAt(), i.resolvedAt(),
        i.endedAt(), i.lastChangedAt(), i.reopenCount(), members);
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = IncidentEngineTest.class.getResourceAsStream("/payloads/" + name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** T0 plus minutes and seconds; T0 is 09:00 UTC. */
  private static Instant at(int minutes, int seconds) {
    return T0.plusSeconds(minutes * 60L + seconds);
  }

  private static Instant at(int minutes) {
    return at(minutes, 0);
  }

  private static Labels labels(String instance) {
    return Labels.of("alertname", "HighLatency", "severity", "critical", "job", "api",
        "instance", instance + ":8080");
  }

  private static String fp(String instance) {
    return labels(instance).fingerprint();
  }

  private static Alert firing(String instance, Instant startsAt) {
    return new Alert(fp(instance), AlertStatus.FIRING, labels(instance),
        Labels.of("summary", "p99 latency above 500ms on " + instance), startsAt, null,
        "http://prometheus.example:9090/graph?g0.expr=latency");
  }

  private static Alert resolved(String instance, Instant startsAt, Instant endsAt) {
    return new Alert(fp(instance), AlertStatus.RESOLVED, labels(instance),
        Labels.of("summary", "p99 latency above 500ms on " + instance), startsAt, endsAt,
        "http://prometheus.example:9090/graph?g0.expr=latency");
  }

  private static Notification notify(Alert... alerts) {
    return notifyFrom(EXTERNAL_URL, 0, alerts);
  }

  private static Notification notifyTruncated(int truncated, Alert... alerts) {
    return notifyFrom(EXTERNAL_URL, truncated, alerts);
  }

  private static Notification notifyFrom(String externalUrl, int truncated, Alert... alerts) {
    boolean anyFiring = Arrays.stream(alerts).anyMatch(Alert::isFiring);
    return new Notification(RECEIVER, anyFiring ? AlertStatus.FIRING : AlertStatus.RESOLVED,
        GROUP_KEY, Labels.of("alertname", "HighLatency"),
        Labels.of("alertname", "HighLatency", "severity", "critical", "job", "api"),
        Labels.EMPTY, externalUrl, truncated, List.of(alerts));
  }

  private static String describe(SlackIntent intent) {
    return intent.kind() == SlackIntent.Kind.THREAD_REPLY
        ? "THREAD_REPLY/" + intent.reply()
        : intent.kind().name();
  }

  private static Arguments scenario(String name, Step... steps) {
    return Arguments.of(name, List.of(steps));
  }

  private static Step step(String what, Instant receivedAt, Notification notification) {
    return new Step(what, receivedAt, notification);
  }

  /** One row of a scenario: a notification, when it arrives, and what it must do. */
  static final class Step {
    final String what;
    final Instant receivedAt;
    final Notification notification;
    NotificationOutcome outcome;
    boolean isNew;
    @Nullable Long incidentId;
    @Nullable IncidentStatus status;
    List<EventKind> events = List.of();
    List<String> intents = List.of();
    BiConsumer<Decision, Incident> also = (d, i) -> { };

    Step(String what, Instant receivedAt, Notification notification) {
      this.what = what;
      this.receivedAt = receivedAt;
      this.notification = notification;
    }

    Step expect(NotificationOutcome expected) {
      this.outcome = expected;
      return this;
    }

    /** The decision carries a new incident, which the test stores under {@code id}. */
    Step newIncident(long id, IncidentStatus expected) {
      this.isNew = true;
      return incident(id, expected);
    }

    Step incident(long id, IncidentStatus expected) {
      this.incidentId = id;
      this.status = expected;
      return this;
    }

    Step noIncident() {
      this.incidentId = null;
      this.status = null;
      return this;
    }

    Step events(EventKind... kinds) {
      this.events = List.of(kinds);
      return this;
    }

    /** Intent kinds; thread replies as {@code THREAD_REPLY/<reply>}. */
    Step intents(String... kinds) {
      this.intents = new ArrayList<>(List.of(kinds));
      return this;
    }

    Step also(BiConsumer<Decision, Incident> check) {
      this.also = check;
      return this;
    }

    @Override
    public String toString() {
      return what;
    }
  }
}
