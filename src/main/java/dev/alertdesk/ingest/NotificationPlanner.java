package dev.alertdesk.ingest;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Notification;
import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEngine;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.IngestPlanner;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds the pure {@link IngestPlanner} for a notification: the engine's decision, then one
 * typed outbox intent per Slack intent, addressed to the configured channel (composed into Block
 * Kit only when the outbox worker sends it). Shared by the service
 * and the {@code replay} dry run, so both say exactly the same. Thread-safe.
 */
public final class NotificationPlanner {
  /** The channel name recorded on previews when no Slack channel is configured. */
  public static final String NO_CHANNEL = "(none)";

  private final IncidentEngine engine;
  private final @Nullable String channel;
  private final boolean graphs;
  private final List<OccurrencePlanner> occurrences;

  /**
   * @param engine the incident state machine
   * @param channel the channel for new incidents, or null when none is configured
   */
  public NotificationPlanner(IncidentEngine engine, @Nullable String channel) {
    this(engine, channel, false);
  }

  /**
   * @param engine the incident state machine
   * @param channel the channel for new incidents, or null when none is configured
   * @param graphs true to add a {@link SlackIntent.Kind#GRAPH} job after an incident opens or
   *     reopens (a firing graph) and after it resolves (the recovery), rendered by the outbox
   *     worker
   */
  public NotificationPlanner(IncidentEngine engine, @Nullable String channel, boolean graphs) {
    this(engine, channel, graphs, List.of());
  }

  private NotificationPlanner(IncidentEngine engine, @Nullable String channel, boolean graphs,
      List<OccurrencePlanner> occurrences) {
    this.engine = engine;
    this.channel = channel;
    this.graphs = graphs;
    this.occurrences = List.copyOf(occurrences);
  }

  /**
   * Returns this planner with planners of delivery targets that follow the engine's occurrences
   * (Sentry): their intents come after the Slack intents of each decision.
   *
   * @param planners the planners, in order; replaces any given before
   */
  public NotificationPlanner withOccurrencePlanners(List<OccurrencePlanner> planners) {
    return new NotificationPlanner(engine, channel, graphs, planners);
  }

  /**
   * Leaves snoozed fingerprints out of a reply about alerts that changed or fired again, and drops
   * the reply when only snoozed alerts were in it (Sentry-style snooze; the history still records
   * them). Parent messages and the resolution reply are kept.
   *
   * @return the intent to render, or null when nothing is left to say
   */
  static @Nullable SlackIntent withoutSnoozed(SlackIntent intent, Set<String> snoozed) {
    if (snoozed.isEmpty() || intent.kind() != SlackIntent.Kind.THREAD_REPLY
        || intent.reply() == SlackIntent.Reply.RESOLVED) {
      return intent;
    }
    List<Alert> firing = intent.firing().stream()
        .filter(a -> !snoozed.contains(a.fingerprint())).toList();
    List<Alert> resolved = intent.resolved().stream()
        .filter(a -> !snoozed.contains(a.fingerprint())).toList();
    if (firing.isEmpty() && resolved.isEmpty()) {
      return null;
    }
    return new SlackIntent(intent.kind(), intent.reply(), firing, resolved);
  }

  /** Returns the planner for one notification. */
  public IngestPlanner planner(Notification notification) {
    return new IngestPlanner() {
      @Override
      public Decision decide(@Nullable Incident latest) {
        return engine.apply(latest, notification);
      }

      @Override
      public List<OutgoingMessage> render(Incident incident, Decision decision) {
        return render(incident, decision, IncidentResponse.none(
            incident.id() == null ? 0 : incident.id()));
      }

      @Override
      public List<OutgoingMessage> render(Incident incident, Decision decision,
          IncidentResponse response) {
        String target = channel == null ? NO_CHANNEL : channel;
        List<OutgoingMessage> out = new ArrayList<>();
        for (SlackIntent intent : decision.intents()) {
          SlackIntent said = withoutSnoozed(intent, response.snoozedFingerprints());
          if (said != null) {
            out.add(OutgoingMessage.of(said, target));
          }
        }
        if (graphs) {
          ChartKind chart = graphAfter(decision.intents());
          if (chart != null) {
            out.add(OutgoingMessage.graph(target, chart.wire()));
          }
        }
        for (OccurrencePlanner p : occurrences) {
          out.addAll(p.plan(incident, decision));
        }
        return out;
      }
    };
  }

  /** The graph due after these intents: firing after an open or reopen, resolved after a resolve. */
  private static @Nullable ChartKind graphAfter(List<SlackIntent> intents) {
    for (SlackIntent intent : intents) {
      if (intent.kind() == SlackIntent.Kind.THREAD_REPLY
          && intent.reply() == SlackIntent.Reply.RESOLVED) {
        return ChartKind.RESOLVED;
      }
    }
    for (SlackIntent intent : intents) {
      if (intent.kind() == SlackIntent.Kind.PARENT_POST
          || (intent.kind() == SlackIntent.Kind.THREAD_REPLY
              && intent.reply() == SlackIntent.Reply.REOPENED)) {
        return ChartKind.FIRING;
      }
    }
    return null;
  }
}
