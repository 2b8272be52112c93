package dev.alertdesk.noise;

import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The thin part that applies what the {@link NoiseStage}s decide, bound to one transaction's
 * {@link NoiseLedger} and one "now": it writes channel states, incident events and outbox rows.
 * Every {@link OutgoingMessage} noise control queues is built by one small method here. The
 * stages read the ledger to decide; bookkeeping writes of their own (arrivals, transitions,
 * flapping marks) stay with them.
 */
final class NoiseEffects {
  /** Runs the arrival stages for one incident reaching one channel. */
  @FunctionalInterface
  interface Placer {
    Placement place(Arrival arrival);
  }

  private final NoiseLedger ledger;
  private final Instant now;
  private final NoiseRules rules;
  private final boolean graphs;
  private final Placer placer;
  private final List<TargetPlanner> targets;

  NoiseEffects(NoiseLedger ledger, Instant now, NoiseRules rules, boolean graphs,
      Placer placer) {
    this(ledger, now, rules, graphs, placer, List.of());
  }

  NoiseEffects(NoiseLedger ledger, Instant now, NoiseRules rules, boolean graphs,
      Placer placer, List<TargetPlanner> targets) {
    this.targets = targets;
    this.ledger = ledger;
    this.now = now;
    this.rules = rules;
    this.graphs = graphs;
    this.placer = placer;
  }

  NoiseLedger ledger() {
    return ledger;
  }

  Instant now() {
    return now;
  }

  NoiseRules rules() {
    return rules;
  }

  /**
   * The incident reaches a channel: the arrival stages decide where it goes, then it is applied.
   *
   * @param firingSince when it started firing, for notify-after; null when it already waited
   * @param rendered the engine's messages of the decision that opened or refired it, posted as
   *     they are when it is posted now; null when arriving later (a deadline)
   */
  void arrive(ChannelState.Routing routing, Incident incident, @Nullable Instant firingSince,
      @Nullable List<OutgoingMessage> rendered) {
    placer.place(new Arrival(this, routing, incident, firingSince))
        .apply(this, routing, incident, rendered);
  }

  // ---- channel states and their events ----

  void routed(long incidentId, List<String> channels, List<Integer> routes) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("channels", channels);
    details.put("routes", routes);
    ledger.addEvent(incidentId, new IncidentEvent(EventKind.ROUTED, now, details));
  }

  void historyOnly(ChannelState.Routing r) {
    ledger.saveChannel(new ChannelState.HistoryOnly(r));
    event(r.incidentId(), EventKind.NOTIFICATION_SUPPRESSED, SuppressionReason.HISTORY_ONLY,
        r.channel(), "route", r.routeIndex());
  }

  void delayed(ChannelState.Routing r, Instant notifyAt) {
    ledger.saveChannel(new ChannelState.Delayed(r, notifyAt));
    event(r.incidentId(), EventKind.NOTIFICATION_DELAYED, SuppressionReason.NOTIFY_AFTER,
        r.channel(), "notify_at", notifyAt.toString());
  }

  void resolvedBeforeNotifyAfter(ChannelState s) {
    ledger.saveChannel(new ChannelState.Suppressed(s.routing()));
    event(s.incidentId(), EventKind.NOTIFICATION_SUPPRESSED,
        SuppressionReason.RESOLVED_BEFORE_NOTIFY_AFTER, s.channel(),
        "min_firing_seconds", rules.minFiring().toSeconds());
  }

  void correlated(ChannelState.Routing r, Incident incident, long related) {
    ledger.saveChannel(new ChannelState.Correlated(r, related));
    event(r.incidentId(), EventKind.CORRELATED, SuppressionReason.CORRELATED, r.channel(),
        "related_incident_id", related, "labels", r.correlationKey());
    ledger.enqueue(related, relatedReply(r.channel(), r.incidentId()));
  }

  void rolledUp(ChannelState.Routing r, StormState storm, boolean started) {
    long id = r.incidentId();
    ledger.saveChannel(new ChannelState.RolledUp(r, storm.id()));
    event(id, EventKind.ROLLED_UP, SuppressionReason.STORM, r.channel(),
        "storm_id", storm.id(), "storm_incident_id", storm.anchorIncidentId(),
        "storm_started", started);
    if (started) {
      ledger.enqueue(id, stormPost(storm, r.channel()));
      targets(TargetPlanner.Moment.STORM, r, id, Map.of("storm_id", storm.id()));
    } else {
      ledger.enqueueLatestUpdate(storm.anchorIncidentId(), stormUpdate(storm, r.channel()));
    }
  }

  void stormUpdated(StormState storm) {
    ledger.enqueueLatestUpdate(storm.anchorIncidentId(), stormUpdate(storm, storm.channel()));
  }

  void endStorm(StormState storm) {
    ledger.endStorm(storm.id(), now);
    event(storm.anchorIncidentId(), EventKind.STORM_ENDED, SuppressionReason.STORM,
        storm.channel(), "storm_id", storm.id(), "incidents",
        ledger.stormTally(storm.id()).incidents());
    ledger.enqueueLatestUpdate(storm.anchorIncidentId(), stormUpdate(storm, storm.channel()));
  }

  /**
   * Posts the incident's parent in the channel, and the graph jobs after it.
   *
   * @param reminderAt when its first reminder is due, or null for none
   */
  void posted(ChannelState.Routing r, Incident incident, @Nullable Instant reminderAt,
      @Nullable List<OutgoingMessage> rendered) {
    long id = r.incidentId();
    String channel = r.channel();
    ledger.saveChannel(new ChannelState.Posted(r, reminderAt, 0));
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
      parent = delayedParent(channel);
      if (graphs) {
        after.add(openingGraph(channel));
      }
    }
    ledger.enqueue(id, inChannel(parent, channel));
    for (OutgoingMessage m : after) {
      ledger.enqueue(id, inChannel(m, channel));
    }
    targets(TargetPlanner.Moment.OPENED, r, id, Map.of());
  }

  /**
   * Delivers the engine's messages to a channel where the incident has its parent: parents
   * always (composed with the route's mention and flapping line when sent), other messages
   * unless {@code quiet} (the alerts they are about are flapping), which records a suppression.
   */
  void deliver(ChannelState.Posted s, List<OutgoingMessage> rendered, boolean quiet) {
    long id = s.incidentId();
    for (OutgoingMessage m : rendered) {
      switch (m.kind()) {
        case PARENT_POST, PARENT_UPDATE -> ledger.enqueue(id, inChannel(m, s.channel()));
        default -> {
          if (quiet) {
            if (m.kind() == SlackIntent.Kind.THREAD_REPLY) {
              event(id, EventKind.NOTIFICATION_SUPPRESSED, SuppressionReason.FLAPPING,
                  s.channel(), "reply", "thread_reply");
            }
          } else {
            ledger.enqueue(id, inChannel(m, s.channel()));
            switch (m.message()) {
              case RESOLVED -> targets(TargetPlanner.Moment.RESOLVED, s.routing(), id, Map.of());
              case REOPENED -> targets(TargetPlanner.Moment.REOPENED, s.routing(), id, Map.of());
              default -> { }
            }
          }
        }
      }
    }
  }

  /** Delivers the engine's messages unchanged: the incident predates noise control. */
  void deliverAsIs(long incidentId, List<OutgoingMessage> rendered) {
    rendered.forEach(m -> ledger.enqueue(incidentId, m));
  }

  void relatedChanged(ChannelState.Correlated s, boolean resolved) {
    ledger.enqueue(s.relatedIncidentId(), resolved
        ? relatedResolvedReply(s.channel(), s.incidentId())
        : relatedReply(s.channel(), s.incidentId()));
  }

  void flappingStarted(long incidentId, int transitions, List<String> fingerprints) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("reason", SuppressionReason.FLAPPING.wire());
    details.put("transitions", transitions);
    details.put("window_seconds", rules.flappingWindow().toSeconds());
    details.put("max_transitions", rules.flappingMaxTransitions());
    details.put("fingerprints", fingerprints);
    ledger.addEvent(incidentId, new IncidentEvent(EventKind.FLAPPING_STARTED, now, details));
  }

  void flappingReply(ChannelState.Posted s, int transitions) {
    ledger.enqueue(s.incidentId(), flappingReplyMessage(s.channel(), transitions));
    targets(TargetPlanner.Moment.FLAPPING, s.routing(), s.incidentId(),
        Map.of("transitions", transitions));
  }

  void flappingCleared(FlappingState f) {
    ledger.addEvent(f.incidentId(), new IncidentEvent(EventKind.FLAPPING_CLEARED, now, Map.of(
        "reason", SuppressionReason.FLAPPING.wire(), "fingerprint", f.fingerprint(),
        "quiet_seconds", Duration.between(f.lastTransitionAt(), now).toSeconds())));
  }

  /** Updates the parent in the channel once its alerts stopped flapping. */
  void flappingClearedParent(ChannelState.Posted s) {
    ledger.enqueueLatestUpdate(s.incidentId(), flappingClearedUpdate(s.channel()));
  }

  void reminderSchedule(ChannelState.Posted s, @Nullable Instant next, int sent) {
    ledger.saveChannel(s.withReminder(next, sent));
  }

  /** Stops the reminders of an incident that resolved or that somebody responded to. */
  void noReminder(ChannelState.Posted s) {
    ledger.saveChannel(s.withReminder(null, s.remindersSent()));
  }

  void reminded(ChannelState.Posted s, Duration open, int sent) {
    ledger.enqueue(s.incidentId(), reminderReply(s.channel(), open));
    targets(TargetPlanner.Moment.UNACKNOWLEDGED, s.routing(), s.incidentId(),
        Map.of("reminder", sent, "unacknowledged_seconds", open.toSeconds()));
    event(s.incidentId(), EventKind.REMINDER_SENT, SuppressionReason.UNACKNOWLEDGED,
        s.channel(), "reminder", sent, "unacknowledged_seconds", open.toSeconds());
  }

  /**
   * Queues what the delivery targets other than Slack plan for a moment that was let through in
   * a channel ({@link TargetPlanner}), for the route that placed the incident there.
   */
  private void targets(TargetPlanner.Moment moment, ChannelState.Routing r, long incidentId,
      Map<String, Object> details) {
    if (targets.isEmpty()) {
      return;
    }
    List<Route> routes = rules.routes();
    Route route = r.routeIndex() >= 0 && r.routeIndex() < routes.size()
        ? routes.get(r.routeIndex()) : null;
    for (TargetPlanner planner : targets) {
      for (OutgoingMessage m : planner.plan(moment, route, incidentId, details)) {
        if (m.isSlack()) {
          throw new IllegalStateException("a target planner planned a Slack message");
        }
        ledger.enqueue(incidentId, m);
      }
    }
  }

  // ---- the Slack messages noise control queues, one small method each ----

  private static OutgoingMessage delayedParent(String channel) {
    return OutgoingMessage.parent(SlackIntent.Kind.PARENT_POST, channel,
        SuppressionReason.NOTIFY_AFTER.wire());
  }

  private static OutgoingMessage openingGraph(String channel) {
    return OutgoingMessage.graph(channel, ChartKind.FIRING.wire());
  }

  private static OutgoingMessage inChannel(OutgoingMessage m, String channel) {
    return m.withChannel(channel);
  }

  private static OutgoingMessage flappingClearedUpdate(String channel) {
    return OutgoingMessage.parent(SlackIntent.Kind.PARENT_UPDATE, channel,
        SuppressionReason.FLAPPING.wire());
  }

  private static OutgoingMessage stormPost(StormState storm, String channel) {
    return OutgoingMessage.storm(SlackIntent.Kind.PARENT_POST, channel, storm.id());
  }

  private static OutgoingMessage stormUpdate(StormState storm, String channel) {
    return OutgoingMessage.storm(SlackIntent.Kind.PARENT_UPDATE, channel, storm.id());
  }

  private OutgoingMessage relatedReply(String channel, long incidentId) {
    return OutgoingMessage.related(channel, incidentId, rules.correlateBy());
  }

  private static OutgoingMessage relatedResolvedReply(String channel, long incidentId) {
    return OutgoingMessage.relatedResolved(channel, incidentId);
  }

  private static OutgoingMessage flappingReplyMessage(String channel, int transitions) {
    return OutgoingMessage.flapping(channel, transitions);
  }

  private static OutgoingMessage reminderReply(String channel, Duration open) {
    return OutgoingMessage.reminder(channel, open.toSeconds());
  }

  private void event(long incidentId, EventKind kind, SuppressionReason reason, String channel,
      @Nullable Object... more) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("reason", reason.wire());
    details.put("channel", channel);
    for (int i = 0; i + 1 < more.length; i += 2) {
      details.put((String) more[i], more[i + 1]);
    }
    ledger.addEvent(incidentId, new IncidentEvent(kind, now, details));
  }
}
