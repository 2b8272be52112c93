package dev.alertdesk.incident;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Notification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The incident state machine: applies one Alertmanager notification to the latest incident of
 * its group and says what changed. Pure: no I/O, time from the injected {@link Clock}.
 * Thread-safe.
 *
 * <p>Rules (DESIGN.md, "Incident model"):
 *
 * <ul>
 *   <li>one incident per episode of {@code (receiver, groupKey)}, opened by the first firing
 *       notification;
 *   <li>a resolved incident whose group fires again within the reopen window reopens, keeping its
 *       Slack thread; after the window a new incident starts;
 *   <li>a notification that changes no member state is a duplicate: no events, no Slack intents
 *       (repeat_interval, HA replicas, retries). Times are compared at the precision they are
 *       stored with ({@link Alert#STORED_PRECISION}, milliseconds), so an alert sent with a
 *       nanosecond {@code startsAt} (amtool, client libraries) is the same alert when its stored
 *       copy comes back;
 *   <li>a late HA copy is a duplicate: a firing alert whose member is resolved, whose
 *       {@code startsAt} is not later than the resolved member's, and that arrives within the
 *       HA copy window after Alertdesk last saw the incident change (its resolution or later).
 *       The second Alertmanager of an HA pair sends the group as it was before the resolution
 *       after waiting its peer timeout (15 s by default). After the window, the same firing alert
 *       fires anew (Prometheus restores {@code startsAt} after a restart);
 *   <li>the incident resolves when every member has resolved;
 *   <li>{@code truncatedAlerts} is kept on the incident.
 * </ul>
 */
public final class IncidentEngine {
  /** The reopen window used when none is configured: 1 hour (DESIGN.md). */
  public static final Duration DEFAULT_REOPEN_WINDOW = Duration.ofHours(1);

  /**
   * The HA copy window used when none is configured: 1 minute, four times Alertmanager's default
   * peer timeout of 15 s.
   */
  public static final Duration DEFAULT_HA_COPY_WINDOW = Duration.ofMinutes(1);

  /** Fingerprints listed in one event's details; a storm of 1,000 alerts lists the first 50. */
  public static final int MAX_EVENT_FINGERPRINTS = 50;

  private final Clock clock;
  private final Duration reopenWindow;
  private final Duration haCopyWindow;

  /**
   * An engine with the default HA copy window ({@link #DEFAULT_HA_COPY_WINDOW}).
   *
   * @param clock the source of "now" for event times and the reopen window
   * @param reopenWindow how long after resolution a firing group reopens the same incident; zero
   *     means never reopen
   * @throws IllegalArgumentException when {@code reopenWindow} is negative
   */
  public IncidentEngine(Clock clock, Duration reopenWindow) {
    this(clock, reopenWindow, DEFAULT_HA_COPY_WINDOW);
  }

  /**
   * @param clock the source of "now" for event times and the reopen window
   * @param reopenWindow how long after resolution a firing group reopens the same incident; zero
   *     means never reopen
   * @param haCopyWindow how long after Alertdesk saw an alert resolve a firing copy with the same
   *     (or an older) {@code startsAt} counts as a late copy from another Alertmanager of an HA
   *     pair rather than a new firing; zero turns the rule off
   * @throws IllegalArgumentException when a window is negative
   */
  public IncidentEngine(Clock clock, Duration reopenWindow, Duration haCopyWindow) {
    if (reopenWindow.isNegative()) {
      throw new IllegalArgumentException("reopen window must not be negative");
    }
    if (haCopyWindow.isNegative()) {
      throw new IllegalArgumentException("HA copy window must not be negative");
    }
    this.clock = clock;
    this.reopenWindow = reopenWindow;
    this.haCopyWindow = haCopyWindow;
  }

  /** Returns the configured reopen window. */
  public Duration reopenWindow() {
    return reopenWindow;
  }

  /**
   * Applies one notification.
   *
   * @param latest the newest stored incident of the notification's {@code (receiver, groupKey)},
   *     or null when the group has none
   * @param notification the parsed webhook payload
   * @return what to store and send; never null
   */
  public Decision apply(@Nullable Incident latest, Notification notification) {
    Instant now = clock.instant();
    boolean startsNewEpisode = latest == null
        || (latest.status() == IncidentStatus.RESOLVED
            && latest.resolvedAt() != null
            && (reopenWindow.isZero() || latest.resolvedAt().plus(reopenWindow).isBefore(now)));
    if (startsNewEpisode) {
      return open(notification, now);
    }
    return change(latest, notification, now);
  }

  private Decision open(Notification n, Instant now) {
    List<Alert> firing = distinctByFingerprint(
        n.alerts().stream().filter(Alert::isFiring).toList());
    if (firing.isEmpty()) {
      return Decision.unchanged(NotificationOutcome.NO_INCIDENT, null);
    }
    Instant startedAt = firing.stream().map(Alert::startsAt).min(Comparator.naturalOrder())
        .orElse(now);
    Incident incident = new Incident(null, n.receiver(), n.groupKey(), IncidentStatus.FIRING,
        n.groupLabels(), n.commonLabels(), n.commonAnnotations(), n.externalUrl(),
        n.truncatedAlerts(), startedAt, now, null, null, now, 0, firing);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("firing", firing.size());
    details.put("fingerprints", fingerprints(firing));
    if (n.truncatedAlerts() > 0) {
      details.put("truncated_alerts", n.truncatedAlerts());
    }
    return new Decision(NotificationOutcome.OPENED, incident, true,
        List.of(new IncidentEvent(EventKind.OPENED, now, details)),
        List.of(SlackIntent.parentPost()), firing, firing, List.of());
  }

  private Decision change(Incident incident, Notification n, Instant now) {
    boolean wasResolved = incident.status() == IncidentStatus.RESOLVED;
    Map<String, Alert> members = new LinkedHashMap<>();
    incident.members().forEach(a -> members.put(a.fingerprint(), a));

    List<Alert> nowFiring = new ArrayList<>();
    List<Alert> nowResolved = new ArrayList<>();
    List<Alert> occurrencesEnded = new ArrayList<>();
    List<Alert> received = distinctByFingerprint(n.alerts());
    for (Alert alert : received) {
      Alert known = members.get(alert.fingerprint());
      if (alert.isFiring()) {
        boolean firesAnew = known == null
            || (known.status() == AlertStatus.RESOLVED && !isLateHaCopy(alert, known, incident, now))
            || Alert.compareStored(alert.startsAt(), known.startsAt()) > 0;
        if (firesAnew) {
          if (known != null && known.isFiring()) {
            // It fired again before we saw it resolve: its previous firing period ended then.
            occurrencesEnded.add(ended(known, alert.startsAt()));
          }
          members.put(alert.fingerprint(), alert);
          nowFiring.add(alert);
        }
      } else if (known != null && known.status() == AlertStatus.FIRING
          && Alert.compareStored(alert.startsAt(), known.startsAt()) >= 0) {
        // A resolution of an older firing period than the one we track is stale: ignore it.
        members.put(alert.fingerprint(), alert);
        nowResolved.add(alert);
      }
    }
    // A complete resolved notification is the group's whole state: members it leaves out were
    // muted (silenced or inhibited, which Alertmanager drops from notifications) or already
    // expired. Without this, one alert silenced until after it resolved keeps the incident open
    // forever.
    List<Alert> absent = new ArrayList<>();
    if (n.status() == AlertStatus.RESOLVED && n.truncatedAlerts() == 0) {
      java.util.Set<String> present = new java.util.HashSet<>();
      received.forEach(a -> present.add(a.fingerprint()));
      for (Alert member : List.copyOf(members.values())) {
        if (member.isFiring() && !present.contains(member.fingerprint())) {
          Alert resolved = ended(member, now);
          members.put(member.fingerprint(), resolved);
          nowResolved.add(resolved);
          absent.add(resolved);
        }
      }
    }
    occurrencesEnded.addAll(nowResolved);
    boolean truncationChanged = n.truncatedAlerts() != incident.truncatedAlerts();
    if (nowFiring.isEmpty() && nowResolved.isEmpty() && !truncationChanged) {
      return Decision.unchanged(NotificationOutcome.DUPLICATE, incident);
    }

    List<Alert> memberList = List.copyOf(members.values());
    boolean allResolved = memberList.stream().noneMatch(Alert::isFiring);
    boolean reopened = wasResolved && !nowFiring.isEmpty();
    List<IncidentEvent> events = new ArrayList<>();
    List<SlackIntent> intents = new ArrayList<>();
    int reopenCount = incident.reopenCount() + (reopened ? 1 : 0);

    if (reopened) {
      events.add(new IncidentEvent(EventKind.REOPENED, now, Map.of("reopen_count", reopenCount)));
    }
    if (!nowFiring.isEmpty()) {
      events.add(new IncidentEvent(EventKind.ALERTS_FIRING, now, Map.of(
          "count", nowFiring.size(), "fingerprints", fingerprints(nowFiring))));
    }
    if (!nowResolved.isEmpty()) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("count", nowResolved.size());
      details.put("fingerprints", fingerprints(nowResolved));
      if (!absent.isEmpty()) {
        details.put("absent_from_resolved_notification", fingerprints(absent));
      }
      events.add(new IncidentEvent(EventKind.ALERTS_RESOLVED, now, details));
    }
    if (truncationChanged) {
      events.add(new IncidentEvent(EventKind.TRUNCATED_ALERTS_CHANGED, now, Map.of(
          "from", incident.truncatedAlerts(), "to", n.truncatedAlerts())));
    }

    IncidentStatus status = allResolved ? IncidentStatus.RESOLVED : IncidentStatus.FIRING;
    Instant resolvedAt = incident.resolvedAt();
    Instant endedAt = incident.endedAt();
    boolean resolvesNow = allResolved && !wasResolved;
    if (resolvesNow) {
      resolvedAt = now;
      endedAt = memberList.stream().map(a -> a.endsAt() == null ? now : a.endsAt())
          .max(Comparator.naturalOrder()).orElse(now);
    } else if (!allResolved) {
      resolvedAt = null;
      endedAt = null;
    }
    Incident updated = new Incident(incident.id(), incident.receiver(), incident.groupKey(),
        status, n.groupLabels(), n.commonLabels(), n.commonAnnotations(),
        n.externalUrl() != null ? n.externalUrl() : incident.externalUrl(), n.truncatedAlerts(),
        incident.startedAt(), incident.openedAt(), resolvedAt, endedAt,
        nowFiring.isEmpty() && nowResolved.isEmpty() ? incident.lastChangedAt() : now,
        reopenCount, memberList);

    NotificationOutcome outcome;
    intents.add(SlackIntent.parentUpdate());
    if (resolvesNow) {
      outcome = NotificationOutcome.RESOLVED;
      events.add(new IncidentEvent(EventKind.RESOLVED, now, Map.of(
          "duration_seconds", updated.duration(now).toSeconds())));
      intents.add(SlackIntent.threadReply(SlackIntent.Reply.RESOLVED, nowFiring, nowResolved));
    } else if (reopened) {
      outcome = NotificationOutcome.REOPENED;
      intents.add(SlackIntent.threadReply(SlackIntent.Reply.REOPENED, nowFiring, nowResolved));
    } else {
      outcome = NotificationOutcome.UPDATED;
      if (!nowFiring.isEmpty() || !nowResolved.isEmpty()) {
        intents.add(SlackIntent.threadReply(
            SlackIntent.Reply.ALERTS_CHANGED, nowFiring, nowResolved));
      }
    }
    List<Alert> changed = new ArrayList<>(nowFiring);
    changed.addAll(nowResolved);
    return new Decision(outcome, updated, false, events, intents, changed, nowFiring,
        occurrencesEnded);
  }

  /**
   * True when a firing {@code alert} whose member {@code known} is resolved is a late copy from
   * another Alertmanager of an HA pair: its {@code startsAt} is not later than the resolved
   * member's, and it arrives within the HA copy window after the incident last changed (the
   * member's resolution, or a later change).
   */
  private boolean isLateHaCopy(Alert alert, Alert known, Incident incident, Instant now) {
    return !haCopyWindow.isZero()
        && Alert.compareStored(alert.startsAt(), known.startsAt()) <= 0
        && !now.isAfter(incident.lastChangedAt().plus(haCopyWindow));
  }

  /** Returns {@code alert} as resolved at {@code endsAt}. */
  private static Alert ended(Alert alert, Instant endsAt) {
    return new Alert(alert.fingerprint(), AlertStatus.RESOLVED, alert.labels(), alert.annotations(),
        alert.startsAt(), endsAt, alert.generatorUrl());
  }

  /** Keeps the last alert per fingerprint, in first-appearance order. */
  private static List<Alert> distinctByFingerprint(List<Alert> alerts) {
    Map<String, Alert> byFingerprint = new LinkedHashMap<>();
    for (Alert a : alerts) {
      Alert previous = byFingerprint.get(a.fingerprint());
      if (previous == null || !Objects.equals(previous, a)) {
        byFingerprint.put(a.fingerprint(), a);
      }
    }
    return List.copyOf(byFingerprint.values());
  }

  /**
   * The fingerprints named in an event's details: the first {@value #MAX_EVENT_FINGERPRINTS}; the
   * event's count gives the total and the incident's members hold them all.
   */
  private static List<String> fingerprints(List<Alert> alerts) {
    return alerts.stream().limit(MAX_EVENT_FINGERPRINTS).map(Alert::fingerprint).toList();
  }
}
