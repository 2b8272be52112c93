package dev.alertdesk.noise;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.alert.Severity;
import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Decides where and whether an incident's Slack messages go: routes, notify-after, flapping,
 * storm roll-up, correlation and reminders ({@link NoiseRules}). Pure apart from the
 * {@link NoiseLedger} it is handed, which holds all state, so decisions survive restarts and
 * replicas share them; time is always passed in. Thread-safe.
 *
 * <p>Order of rules for an incident arriving in a channel (after notify-after let it through):
 * an active storm in the channel rolls it up; otherwise an open posted incident with the same
 * {@code correlate_by} labels gets a "Related" reply instead of a new parent; otherwise, when
 * {@code max_new_incidents} incidents already arrived within the storm window, a storm starts
 * with it; otherwise its parent is posted. Every one of these outcomes other than a plain post
 * is recorded as an incident event whose {@code reason} detail says why.
 */
public final class NoiseGate {
  /** {@code reason} of a {@code notification_suppressed} event: a route said {@code slack: false}. */
  public static final String REASON_HISTORY_ONLY = "history_only";
  /** {@code reason}: resolved before {@code notify_after.min_firing} elapsed. */
  public static final String REASON_RESOLVED_BEFORE_NOTIFY_AFTER = "resolved_before_notify_after";
  /** {@code reason} of a delay: {@code notify_after.min_firing}. */
  public static final String REASON_NOTIFY_AFTER = "notify_after";
  /** {@code reason}: a thread reply not posted because the alerts it announces are flapping. */
  public static final String REASON_FLAPPING = "flapping";
  /** {@code reason} of a roll-up: the channel's storm limit. */
  public static final String REASON_STORM = "storm";
  /** {@code reason} of a correlation: equal {@code correlate_by} labels. */
  public static final String REASON_CORRELATED = "correlate_by";
  /** {@code reason} of a reminder: still unacknowledged. */
  public static final String REASON_UNACKNOWLEDGED = "unacknowledged";

  private static final int BATCH = 200;

  private final NoiseRules rules;
  private final String defaultChannel;
  private final IncidentResponseState responses;
  private final boolean graphs;

  /**
   * @param rules the configured rules
   * @param defaultChannel {@code SLACK_CHANNEL}, or a placeholder such as {@code (none)} when
   *     unset (messages are then only kept as previews)
   * @param responses tells whether an incident was acknowledged or silenced (stops reminders)
   */
  public NoiseGate(NoiseRules rules, String defaultChannel, IncidentResponseState responses) {
    this(rules, defaultChannel, responses, false);
  }

  /**
   * @param rules the configured rules
   * @param defaultChannel {@code SLACK_CHANNEL}, or a placeholder such as {@code (none)} when
   *     unset (messages are then only kept as previews)
   * @param responses tells whether an incident was acknowledged or silenced (stops reminders)
   * @param graphs true when the service adds graph jobs ({@link SlackIntent.Kind#GRAPH}) after a
   *     parent post, as its {@code NotificationPlanner} does: a parent posted later (notify-after)
   *     then gets the same opening graph job, or "No query to graph" note, as one posted at once
   */
  public NoiseGate(NoiseRules rules, String defaultChannel, IncidentResponseState responses,
      boolean graphs) {
    this.graphs = graphs;
    this.rules = rules;
    this.defaultChannel = defaultChannel;
    this.responses = responses;
  }

  /** Returns the rules. */
  public NoiseRules rules() {
    return rules;
  }

  /**
   * Applies the rules to one committed engine decision, inside the ingest transaction: writes
   * channel states, events and outbox rows through {@code ledger}.
   *
   * @param before the incident before the notification, or null when the decision opens one
   * @param incident the incident after the change, with its stored id
   * @param decision the engine's decision
   * @param rendered the engine's intents rendered for the default channel, one per intent
   * @param now the time of the notification
   */
  public void onDecision(NoiseLedger ledger, @Nullable Incident before, Incident incident,
      Decision decision, List<OutgoingMessage> rendered, Instant now) {
    long id = requireId(incident);
    if (decision.isNew()) {
      open(ledger, incident, rendered, now);
      return;
    }
    List<ChannelState> states = ledger.channels(id);
    if (states.isEmpty()) {
      // Opened before noise control existed: deliver exactly what the engine said.
      rendered.forEach(m -> ledger.enqueue(id, m));
      return;
    }
    Flapping flapping = trackTransitions(ledger, before, incident, decision, now);
    for (ChannelState s : states) {
      switch (s.mode()) {
        case HISTORY_ONLY -> { }
        case SUPPRESSED -> {
          if (!decision.occurrencesStarted().isEmpty() && incident.status() != IncidentStatus.RESOLVED) {
            Instant start = decision.occurrencesStarted().stream().map(Alert::startsAt)
                .min(Instant::compareTo).orElse(now);
            delayOrArrive(ledger, s, incident, start, null, now);
          }
        }
        case DELAYED -> {
          if (incident.status() == IncidentStatus.RESOLVED) {
            ledger.saveChannel(s.with(ChannelMode.SUPPRESSED));
            ledger.addEvent(id, event(EventKind.NOTIFICATION_SUPPRESSED, now,
                REASON_RESOLVED_BEFORE_NOTIFY_AFTER, s.channel(),
                "min_firing_seconds", rules.minFiring().toSeconds()));
          }
        }
        case ROLLED_UP -> {
          StormState storm = s.stormId() == null ? null : ledger.storm(s.stormId());
          if (storm != null) {
            updateStorm(ledger, storm);
          }
        }
        case CORRELATED -> {
          Long related = s.relatedIncidentId();
          if (related != null && decision.outcome() == NotificationOutcome.RESOLVED) {
            ledger.enqueue(related, OutgoingMessage.relatedResolved(s.channel(), id));
          } else if (related != null && decision.outcome() == NotificationOutcome.REOPENED) {
            ledger.enqueue(related, OutgoingMessage.related(s.channel(), id,
                rules.correlateBy()));
          }
        }
        case POSTED -> deliverPosted(ledger, s, incident, decision, rendered, flapping, now);
      }
    }
    if (!flapping.started().isEmpty()) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("reason", REASON_FLAPPING);
      details.put("transitions", flapping.transitions());
      details.put("window_seconds", rules.flappingWindow().toSeconds());
      details.put("max_transitions", rules.flappingMaxTransitions());
      details.put("fingerprints", List.copyOf(flapping.started()));
      ledger.addEvent(id, new IncidentEvent(EventKind.FLAPPING_STARTED, now, details));
    }
  }

  /**
   * Runs the deadlines due at {@code now}, each in its own transaction: posts delayed incidents
   * that kept firing for {@code min_firing}, sends reminders, clears flapping after a quiet
   * window, and ends storms whose rate fell back below the limit.
   *
   * @return how many deadlines did something
   */
  public int tick(NoiseStore store, Instant now) {
    int work = 0;
    for (ChannelState due : store.inTransaction(l -> l.delayedDue(now, BATCH))) {
      work += store.inTransaction(l -> releaseDelayed(l, due, now));
    }
    for (ChannelState due : store.inTransaction(l -> l.remindersDue(now, BATCH))) {
      work += store.inTransaction(l -> remind(l, due, now));
    }
    if (rules.flappingEnabled()) {
      Instant quietSince = now.minus(rules.flappingWindow());
      for (FlappingState f : store.inTransaction(l -> l.flappingQuietSince(quietSince, BATCH))) {
        work += store.inTransaction(l -> clearFlapping(l, f, quietSince, now));
      }
    }
    for (StormState storm : store.inTransaction(NoiseLedger::activeStorms)) {
      work += store.inTransaction(l -> endStormIfCalm(l, storm, now));
    }
    return work;
  }

  // ---- opening and arriving ----

  private void open(NoiseLedger ledger, Incident incident, List<OutgoingMessage> rendered,
      Instant now) {
    long id = requireId(incident);
    List<Target> targets = route(incident);
    String key = correlationKey(incident);
    if (!rules.routes().isEmpty()) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("channels", targets.stream().filter(Target::slack).map(Target::channel).toList());
      details.put("routes", targets.stream().map(Target::routeIndex).toList());
      ledger.addEvent(id, new IncidentEvent(EventKind.ROUTED, now, details));
    }
    List<Target> slackTargets = targets.stream().filter(Target::slack).toList();
    if (slackTargets.isEmpty()) {
      Target t = targets.get(0);
      ledger.saveChannel(new ChannelState(id, t.channel(), ChannelMode.HISTORY_ONLY,
          t.routeIndex(), t.mention(), null, null, null, key, null, 0));
      ledger.addEvent(id, event(EventKind.NOTIFICATION_SUPPRESSED, now, REASON_HISTORY_ONLY,
          t.channel(), "route", t.routeIndex()));
      return;
    }
    for (Target t : slackTargets) {
      ChannelState s = new ChannelState(id, t.channel(), ChannelMode.DELAYED, t.routeIndex(),
          t.mention(), null, null, null, key, null, 0);
      delayOrArrive(ledger, s, incident, incident.startedAt(), rendered, now);
    }
  }

  /**
   * @param rendered the engine's messages of the decision that opened or refired the incident,
   *     posted as they are when it arrives now; null when arriving later (a deadline)
   */
  private void delayOrArrive(NoiseLedger ledger, ChannelState s, Incident incident,
      Instant firingSince, @Nullable List<OutgoingMessage> rendered, Instant now) {
    Instant notifyAt = firingSince.plus(rules.minFiring());
    if (!rules.minFiring().isZero() && notifyAt.isAfter(now)) {
      ledger.saveChannel(new ChannelState(s.incidentId(), s.channel(), ChannelMode.DELAYED,
          s.routeIndex(), s.mention(), notifyAt, null, null, s.correlationKey(), null,
          s.remindersSent()));
      ledger.addEvent(s.incidentId(), event(EventKind.NOTIFICATION_DELAYED, now,
          REASON_NOTIFY_AFTER, s.channel(), "notify_at", notifyAt.toString()));
      return;
    }
    arrive(ledger, s, incident, rendered, now);
  }

  private void arrive(NoiseLedger ledger, ChannelState s, Incident incident,
      @Nullable List<OutgoingMessage> rendered, Instant now) {
    long id = s.incidentId();
    String channel = s.channel();
    StormState storm = null;
    int recent = 0;
    if (rules.stormEnabled()) {
      ledger.lockChannel(channel);
      Instant windowStart = now.minus(rules.stormWindow());
      storm = ledger.activeStorm(channel);
      recent = ledger.arrivalsSince(channel, windowStart);
      if (storm != null && recent < rules.stormMaxNewIncidents()) {
        endStorm(ledger, storm, now);
        storm = null;
      }
      ledger.addArrival(channel, id, now, windowStart);
    }
    if (storm != null) {
      rollUp(ledger, s, storm, false, now);
      return;
    }
    Long related = s.correlationKey() == null ? null
        : ledger.openPostedIncident(channel, s.correlationKey(), id);
    if (related != null) {
      ledger.saveChannel(new ChannelState(id, channel, ChannelMode.CORRELATED, s.routeIndex(),
          s.mention(), null, null, related, s.correlationKey(), null, s.remindersSent()));
      ledger.addEvent(id, event(EventKind.CORRELATED, now, REASON_CORRELATED, channel,
          "related_incident_id", related, "labels", s.correlationKey()));
      ledger.enqueue(related, OutgoingMessage.related(channel, id, rules.correlateBy()));
      return;
    }
    if (rules.stormEnabled() && recent >= rules.stormMaxNewIncidents()) {
      rollUp(ledger, s, ledger.startStorm(channel, id, now), true, now);
      return;
    }
    Instant reminder = needsReminders(incident) ? now.plus(rules.remindAfter()) : null;
    ledger.saveChannel(new ChannelState(id, channel, ChannelMode.POSTED, s.routeIndex(),
        s.mention(), null, null, null, s.correlationKey(), reminder, s.remindersSent()));
    OutgoingMessage parent = null;
    List<OutgoingMessage> after = new ArrayList<>();
    for (OutgoingMessage m : rendered == null ? List.<OutgoingMessage>of() : rendered) {
      if (m.kind() == SlackIntent.Kind.PARENT_POST) {
        parent = m;
      } else if (m.kind() == SlackIntent.Kind.GRAPH) {
        after.add(m);
      }
    }
    if (parent == null) {
      // Posted later than the notification that opened it (notify-after): it gets what a parent
      // posted at once gets, the opening graph job included.
      parent = OutgoingMessage.parent(SlackIntent.Kind.PARENT_POST, channel, REASON_NOTIFY_AFTER);
      if (graphs) {
        after.add(OutgoingMessage.graph(channel, ChartKind.FIRING.wire()));
      }
    }
    ledger.enqueue(id, parent.withChannel(channel));
    for (OutgoingMessage m : after) {
      ledger.enqueue(id, m.withChannel(channel));
    }
  }

  private void rollUp(NoiseLedger ledger, ChannelState s, StormState storm, boolean started,
      Instant now) {
    long id = s.incidentId();
    ledger.saveChannel(new ChannelState(id, s.channel(), ChannelMode.ROLLED_UP, s.routeIndex(),
        s.mention(), null, storm.id(), null, s.correlationKey(), null, s.remindersSent()));
    ledger.addEvent(id, event(EventKind.ROLLED_UP, now, REASON_STORM, s.channel(),
        "storm_id", storm.id(), "storm_incident_id", storm.anchorIncidentId(),
        "storm_started", started));
    if (started) {
      ledger.enqueue(id, OutgoingMessage.storm(SlackIntent.Kind.PARENT_POST, s.channel(),
          storm.id()));
    } else {
      ledger.enqueueLatestUpdate(storm.anchorIncidentId(),
          OutgoingMessage.storm(SlackIntent.Kind.PARENT_UPDATE, s.channel(), storm.id()));
    }
  }

  private void updateStorm(NoiseLedger ledger, StormState storm) {
    ledger.enqueueLatestUpdate(storm.anchorIncidentId(),
        OutgoingMessage.storm(SlackIntent.Kind.PARENT_UPDATE, storm.channel(), storm.id()));
  }

  private void endStorm(NoiseLedger ledger, StormState storm, Instant now) {
    ledger.endStorm(storm.id(), now);
    List<StormMember> members = ledger.stormMembers(storm.id());
    ledger.addEvent(storm.anchorIncidentId(), event(EventKind.STORM_ENDED, now, REASON_STORM,
        storm.channel(), "storm_id", storm.id(), "incidents", members.size()));
    ledger.enqueueLatestUpdate(storm.anchorIncidentId(),
        OutgoingMessage.storm(SlackIntent.Kind.PARENT_UPDATE, storm.channel(), storm.id()));
  }

  // ---- posted incidents ----

  private void deliverPosted(NoiseLedger ledger, ChannelState s, Incident incident,
      Decision decision, List<OutgoingMessage> rendered, Flapping flapping, Instant now) {
    long id = s.incidentId();
    boolean quiet = flapping.covers(decision.changedMembers());
    for (OutgoingMessage m : rendered) {
      switch (m.kind()) {
        case PARENT_POST, PARENT_UPDATE -> ledger.enqueue(id, m.withChannel(s.channel()));
        default -> {
          if (quiet) {
            if (m.kind() == SlackIntent.Kind.THREAD_REPLY) {
              ledger.addEvent(id, event(EventKind.NOTIFICATION_SUPPRESSED, now, REASON_FLAPPING,
                  s.channel(), "reply", "thread_reply"));
            }
          } else {
            ledger.enqueue(id, m.withChannel(s.channel()));
          }
        }
      }
    }
    if (!flapping.started().isEmpty()) {
      ledger.enqueue(id, OutgoingMessage.flapping(s.channel(), flapping.transitions()));
    }
    if (incident.status() == IncidentStatus.RESOLVED && s.nextReminderAt() != null) {
      ledger.saveChannel(s.withReminder(null, s.remindersSent()));
    } else if (decision.outcome() == NotificationOutcome.REOPENED && needsReminders(incident)) {
      ledger.saveChannel(s.withReminder(now.plus(rules.remindAfter()), s.remindersSent()));
    }
  }

  /** The fingerprints flapping among this decision's changes, and those that just started. */
  private record Flapping(Set<String> flapping, Set<String> started, int transitions) {
    static final Flapping NONE = new Flapping(Set.of(), Set.of(), 0);

    /** True when every alert that changed is flapping: replies about them are held back. */
    boolean covers(List<Alert> changed) {
      return !flapping.isEmpty() && !changed.isEmpty()
          && changed.stream().allMatch(a -> flapping.contains(a.fingerprint()));
    }
  }

  private Flapping trackTransitions(NoiseLedger ledger, @Nullable Incident before,
      Incident incident, Decision decision, Instant now) {
    if (!rules.flappingEnabled() || before == null) {
      return Flapping.NONE;
    }
    long id = requireId(incident);
    Instant windowStart = now.minus(rules.flappingWindow());
    Set<String> flapping = new LinkedHashSet<>();
    Set<String> started = new LinkedHashSet<>();
    int most = 0;
    for (Alert a : decision.changedMembers()) {
      Alert previous = before.member(a.fingerprint()).orElse(null);
      if (previous == null || (previous.status() == a.status()
          && Alert.compareStored(previous.startsAt(), a.startsAt()) == 0)) {
        continue;
      }
      ledger.addTransition(a.fingerprint(), id, now, windowStart);
      int count = ledger.transitionsSince(a.fingerprint(), windowStart);
      FlappingState state = ledger.flapping(a.fingerprint());
      if (state != null) {
        ledger.saveFlapping(new FlappingState(a.fingerprint(), id, state.since(), now));
        flapping.add(a.fingerprint());
      } else if (count > rules.flappingMaxTransitions()) {
        ledger.saveFlapping(new FlappingState(a.fingerprint(), id, now, now));
        flapping.add(a.fingerprint());
        started.add(a.fingerprint());
        most = Math.max(most, count);
      }
    }
    return flapping.isEmpty() ? Flapping.NONE : new Flapping(flapping, started, most);
  }

  // ---- deadlines ----

  private int releaseDelayed(NoiseLedger ledger, ChannelState due, Instant now) {
    Incident incident = ledger.lockIncident(due.incidentId());
    ChannelState s = current(ledger, due);
    if (incident == null || s == null || s.mode() != ChannelMode.DELAYED || s.notifyAt() == null
        || s.notifyAt().isAfter(now)) {
      return 0;
    }
    if (incident.status() == IncidentStatus.RESOLVED) {
      ledger.saveChannel(s.with(ChannelMode.SUPPRESSED));
      ledger.addEvent(s.incidentId(), event(EventKind.NOTIFICATION_SUPPRESSED, now,
          REASON_RESOLVED_BEFORE_NOTIFY_AFTER, s.channel(),
          "min_firing_seconds", rules.minFiring().toSeconds()));
      return 1;
    }
    arrive(ledger, s, incident, null, now);
    return 1;
  }

  private int remind(NoiseLedger ledger, ChannelState due, Instant now) {
    Incident incident = ledger.lockIncident(due.incidentId());
    ChannelState s = current(ledger, due);
    if (incident == null || s == null || s.nextReminderAt() == null
        || s.nextReminderAt().isAfter(now)) {
      return 0;
    }
    if (s.mode() != ChannelMode.POSTED || incident.status() == IncidentStatus.RESOLVED
        || !rules.remindersEnabled() || responses.isAcknowledgedOrSilenced(s.incidentId())) {
      ledger.saveChannel(s.withReminder(null, s.remindersSent()));
      return 1;
    }
    int sent = s.remindersSent() + 1;
    Duration open = Duration.between(incident.openedAt(), now);
    ledger.enqueue(s.incidentId(), OutgoingMessage.reminder(s.channel(), open.toSeconds()));
    ledger.addEvent(s.incidentId(), event(EventKind.REMINDER_SENT, now, REASON_UNACKNOWLEDGED,
        s.channel(), "reminder", sent, "unacknowledged_seconds", open.toSeconds()));
    Instant next = s.nextReminderAt().plus(rules.remindAfter());
    if (!next.isAfter(now)) {
      next = now.plus(rules.remindAfter());
    }
    ledger.saveChannel(s.withReminder(next, sent));
    return 1;
  }

  private int clearFlapping(NoiseLedger ledger, FlappingState due, Instant quietSince,
      Instant now) {
    Incident incident = ledger.lockIncident(due.incidentId());
    FlappingState f = ledger.flapping(due.fingerprint());
    if (f == null || !f.lastTransitionAt().isBefore(quietSince)) {
      return 0;
    }
    ledger.clearFlapping(f.fingerprint());
    if (incident == null) {
      return 1;
    }
    long id = f.incidentId();
    ledger.addEvent(id, new IncidentEvent(EventKind.FLAPPING_CLEARED, now, Map.of(
        "reason", REASON_FLAPPING, "fingerprint", f.fingerprint(),
        "quiet_seconds", Duration.between(f.lastTransitionAt(), now).toSeconds())));
    for (ChannelState s : ledger.channels(id)) {
      if (s.mode() == ChannelMode.POSTED) {
        ledger.enqueueLatestUpdate(id, OutgoingMessage.parent(SlackIntent.Kind.PARENT_UPDATE,
            s.channel(), REASON_FLAPPING));
      }
    }
    return 1;
  }

  private int endStormIfCalm(NoiseLedger ledger, StormState candidate, Instant now) {
    ledger.lockChannel(candidate.channel());
    StormState storm = ledger.activeStorm(candidate.channel());
    if (storm == null) {
      return 0;
    }
    int recent = rules.stormEnabled()
        ? ledger.arrivalsSince(storm.channel(), now.minus(rules.stormWindow())) : 0;
    if (rules.stormEnabled() && recent >= rules.stormMaxNewIncidents()) {
      return 0;
    }
    endStorm(ledger, storm, now);
    return 1;
  }

  // ---- helpers ----

  private static @Nullable ChannelState current(NoiseLedger ledger, ChannelState due) {
    for (ChannelState s : ledger.channels(due.incidentId())) {
      if (s.channel().equals(due.channel())) {
        return s;
      }
    }
    return null;
  }

  private boolean needsReminders(Incident incident) {
    return rules.remindersEnabled() && incident.severityClass() == Severity.CRITICAL;
  }

  /** A channel an incident is routed to. */
  private record Target(String channel, @Nullable String mention, int routeIndex, boolean slack) {}

  /**
   * Routes an incident by its common labels: the first matching route, and the next ones while
   * a matching route says {@code continue: true}; {@code SLACK_CHANNEL} when none matches. A
   * channel is listed once.
   */
  private List<Target> route(Incident incident) {
    Labels labels = incident.commonLabels().isEmpty() ? incident.groupLabels()
        : incident.commonLabels();
    Map<String, Target> targets = new LinkedHashMap<>();
    List<Route> routes = rules.routes();
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      if (!r.matches(labels)) {
        continue;
      }
      String channel = r.channel() == null ? defaultChannel : r.channel();
      targets.putIfAbsent(channel + (r.slack() ? "" : "\u0000history"),
          new Target(channel, r.mention(), i, r.slack()));
      if (!r.continueMatching()) {
        break;
      }
    }
    if (targets.isEmpty()) {
      return List.of(new Target(defaultChannel, null, -1, true));
    }
    return List.copyOf(targets.values());
  }

  /**
   * The {@code correlate_by} labels of the incident as {@code a="x", b="y"}; null when
   * correlation is off or any of the labels is missing or empty.
   */
  private @Nullable String correlationKey(Incident incident) {
    if (rules.correlateBy().isEmpty()) {
      return null;
    }
    Map<String, String> values = new TreeMap<>();
    for (String name : rules.correlateBy()) {
      String v = incident.commonLabels().get(name);
      if (v == null || v.isEmpty()) {
        return null;
      }
      values.put(name, v);
    }
    return new Labels(values).toString();
  }

  private static long requireId(Incident incident) {
    Long id = incident.id();
    if (id == null) {
      throw new IllegalArgumentException("the incident must be stored first");
    }
    return id;
  }

  private static IncidentEvent event(EventKind kind, Instant at, String reason, String channel,
      Object... more) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("reason", reason);
    details.put("channel", channel);
    for (int i = 0; i + 1 < more.length; i += 2) {
      details.put((String) more[i], more[i + 1]);
    }
    return new IncidentEvent(kind, at, details);
  }
}
