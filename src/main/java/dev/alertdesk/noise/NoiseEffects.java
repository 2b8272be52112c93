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
  private final NoiseMessages messages;
  private final boolean graphs;
  private final Placer placer;

  NoiseEffects(NoiseLedger ledger, Instant now, NoiseRules rules, NoiseMessages messages,
      boolean graphs, Placer placer) {
    this.ledger = ledger;
    this.now = now;
    this.rules = rules;
    this.messages = messages;
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
    ledger.enqueue(related, relatedReply(r.channel(), incident));
  }

  void rolledUp(ChannelState.Routing r, StormState storm, boolean started) {
    long id = r.incidentId();
    ledger.saveChannel(new ChannelState.RolledUp(r, storm.id()));
    event(id, EventKind.ROLLED_UP, SuppressionReason.STORM, r.channel(),
        "storm_id", storm.id(), "storm_incident_id", storm.anchorIncidentId(),
        "storm_started", started);
    if (started) {
      ledger.enqueue(id, stormPost(storm, r.channel()));
    } else {
      ledger.enqueueLatestUpdate(storm.anchorIncidentId(), stormUpdate(storm));
    }
  }

  void stormUpdated(StormState storm) {
    ledger.enqueueLatestUpdate(storm.anchorIncidentId(), stormUpdate(storm));
  }

  void endStorm(StormState storm) {
    ledger.endStorm(storm.id(), now);
    StormState ended = new StormState(storm.id(), storm.channel(), storm.anchorIncidentId(),
        storm.startedAt(), now);
    List<StormMember> members = ledger.stormMembers(storm.id());
    event(storm.anchorIncidentId(), EventKind.STORM_ENDED, SuppressionReason.STORM,
        storm.channel(), "storm_id", storm.id(), "incidents", members.size());
    ledger.enqueueLatestUpdate(storm.anchorIncidentId(), stormEndedUpdate(ended, members));
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
    String parent = null;
    List<OutgoingMessage> after = new ArrayList<>();
    for (OutgoingMessage m : rendered == null ? List.<OutgoingMessage>of() : rendered) {
      if (m.kind() == SlackIntent.Kind.PARENT_POST) {
        parent = m.payloadJson();
      } else if (m.kind() == SlackIntent.Kind.GRAPH) {
        after.add(m);
      }
    }
    if (parent == null) {
      // Posted later than the notification that opened it (notify-after): it gets what a parent
      // posted at once gets, the opening graph job included.
      parent = messages.parent(incident, ledger.response(id, now));
      if (graphs) {
        after.add(openingGraph(channel));
      }
    }
    ledger.enqueue(id, parentPost(channel, parent, r.mention()));
    for (OutgoingMessage m : after) {
      ledger.enqueue(id, inChannel(m, channel));
    }
  }

  /**
   * Delivers the engine's messages to a channel where the incident has its parent: parents
   * decorated with the mention and flapping line, other messages as they are unless
   * {@code quiet} (the alerts they are about are flapping), which records a suppression.
   */
  void deliver(ChannelState.Posted s, List<OutgoingMessage> rendered, int flappingTransitions,
      boolean quiet) {
    long id = s.incidentId();
    for (OutgoingMessage m : rendered) {
      switch (m.kind()) {
        case PARENT_POST, PARENT_UPDATE -> ledger.enqueue(id,
            decoratedParent(m, s.channel(), s.mention(), flappingTransitions));
        default -> {
          if (quiet) {
            if (m.kind() == SlackIntent.Kind.THREAD_REPLY) {
              event(id, EventKind.NOTIFICATION_SUPPRESSED, SuppressionReason.FLAPPING,
                  s.channel(), "reply", "thread_reply");
            }
          } else {
            ledger.enqueue(id, inChannel(m, s.channel()));
          }
        }
      }
    }
  }

  /** Delivers the engine's messages unchanged: the incident predates noise control. */
  void deliverAsIs(long incidentId, List<OutgoingMessage> rendered) {
    rendered.forEach(m -> ledger.enqueue(incidentId, m));
  }

  void relatedChanged(ChannelState.Correlated s, Incident incident, boolean resolved) {
    ledger.enqueue(s.relatedIncidentId(), resolved
        ? relatedResolvedReply(s.channel(), incident) : relatedReply(s.channel(), incident));
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

  void flappingReply(ChannelState.Posted s, Incident incident, int transitions) {
    ledger.enqueue(s.incidentId(), flappingReplyMessage(s.channel(), incident, transitions));
  }

  void flappingCleared(FlappingState f) {
    ledger.addEvent(f.incidentId(), new IncidentEvent(EventKind.FLAPPING_CLEARED, now, Map.of(
        "reason", SuppressionReason.FLAPPING.wire(), "fingerprint", f.fingerprint(),
        "quiet_seconds", Duration.between(f.lastTransitionAt(), now).toSeconds())));
  }

  void parentRefreshed(ChannelState.Posted s, Incident incident, int flappingTransitions) {
    long id = s.incidentId();
    ledger.enqueueLatestUpdate(id, refreshedParent(s.channel(), incident,
        messages.parent(incident, ledger.response(id, now)), s.mention(), flappingTransitions));
  }

  void reminderSchedule(ChannelState.Posted s, @Nullable Instant next, int sent) {
    ledger.saveChannel(s.withReminder(next, sent));
  }

  /** Stops the reminders of an incident that resolved or that somebody responded to. */
  void noReminder(ChannelState.Posted s) {
    ledger.saveChannel(s.withReminder(null, s.remindersSent()));
  }

  void reminded(ChannelState.Posted s, Incident incident, Duration open, int sent) {
    ledger.enqueue(s.incidentId(), reminderReply(s.channel(), incident, s.mention(), open));
    event(s.incidentId(), EventKind.REMINDER_SENT, SuppressionReason.UNACKNOWLEDGED,
        s.channel(), "reminder", sent, "unacknowledged_seconds", open.toSeconds());
  }

  // ---- the Slack messages noise control queues, one small method each ----

  private OutgoingMessage parentPost(String channel, String parent, @Nullable String mention) {
    return new OutgoingMessage(SlackIntent.Kind.PARENT_POST, channel,
        messages.decorate(parent, mention, 0, rules.flappingWindow()));
  }

  private OutgoingMessage openingGraph(String channel) {
    return new OutgoingMessage(SlackIntent.Kind.GRAPH, channel, ChartKind.FIRING.jobPayload());
  }

  private static OutgoingMessage inChannel(OutgoingMessage m, String channel) {
    return new OutgoingMessage(m.kind(), channel, m.payloadJson());
  }

  private OutgoingMessage decoratedParent(OutgoingMessage m, String channel,
      @Nullable String mention, int flappingTransitions) {
    return new OutgoingMessage(m.kind(), channel, messages.decorate(m.payloadJson(), mention,
        flappingTransitions, rules.flappingWindow()));
  }

  private OutgoingMessage refreshedParent(String channel, Incident incident, String parent,
      @Nullable String mention, int flappingTransitions) {
    return new OutgoingMessage(SlackIntent.Kind.PARENT_UPDATE, channel,
        messages.decorate(parent, mention, flappingTransitions, rules.flappingWindow()));
  }

  private OutgoingMessage stormPost(StormState storm, String channel) {
    return new OutgoingMessage(SlackIntent.Kind.PARENT_POST, channel, messages.storm(storm,
        ledger.stormMembers(storm.id()), rules.stormWindow(), rules.stormMaxNewIncidents()));
  }

  private OutgoingMessage stormUpdate(StormState storm) {
    return new OutgoingMessage(SlackIntent.Kind.PARENT_UPDATE, storm.channel(), messages.storm(
        storm, ledger.stormMembers(storm.id()), rules.stormWindow(),
        rules.stormMaxNewIncidents()));
  }

  private OutgoingMessage stormEndedUpdate(StormState ended, List<StormMember> members) {
    return new OutgoingMessage(SlackIntent.Kind.PARENT_UPDATE, ended.channel(),
        messages.storm(ended, members, rules.stormWindow(), rules.stormMaxNewIncidents()));
  }

  private OutgoingMessage relatedReply(String channel, Incident incident) {
    return new OutgoingMessage(SlackIntent.Kind.THREAD_REPLY, channel,
        messages.related(incident, rules.correlateBy()));
  }

  private OutgoingMessage relatedResolvedReply(String channel, Incident incident) {
    return new OutgoingMessage(SlackIntent.Kind.THREAD_REPLY, channel,
        messages.relatedResolved(incident));
  }

  private OutgoingMessage flappingReplyMessage(String channel, Incident incident,
      int transitions) {
    return new OutgoingMessage(SlackIntent.Kind.THREAD_REPLY, channel,
        messages.flapping(incident, transitions, rules.flappingWindow()));
  }

  private OutgoingMessage reminderReply(String channel, Incident incident,
      @Nullable String mention, Duration open) {
    return new OutgoingMessage(SlackIntent.Kind.THREAD_REPLY, channel,
        messages.reminder(incident, mention, open));
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
