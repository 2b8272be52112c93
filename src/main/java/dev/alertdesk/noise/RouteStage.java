package dev.alertdesk.noise;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.incident.Incident;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Routes: places a new incident in the channels of the first matching route and the next ones
 * while a matching route says {@code continue: true}, or in {@code SLACK_CHANNEL} when none
 * matches; a route with {@code slack: false} keeps it in history only. Later, delivers the
 * engine's messages to every channel where the incident has its parent, with the route's mention.
 */
final class RouteStage implements NoiseStage {
  private final NoiseRules rules;
  private final String defaultChannel;

  RouteStage(NoiseRules rules, String defaultChannel) {
    this.rules = rules;
    this.defaultChannel = defaultChannel;
  }

  @Override
  public String name() {
    return "route";
  }

  @Override
  public void open(Notification n) {
    long id = NoiseGate.requireId(n.incident);
    List<Target> targets = route(n.incident);
    String key = CorrelateStage.correlationKey(rules, n.incident);
    if (!rules.routes().isEmpty()) {
      n.fx.routed(id, targets.stream().filter(Target::slack).map(Target::channel).toList(),
          targets.stream().map(Target::routeIndex).toList());
    }
    List<Target> slackTargets = targets.stream().filter(Target::slack).toList();
    if (slackTargets.isEmpty()) {
      n.fx.historyOnly(targets.get(0).routing(id, key));
      return;
    }
    for (Target t : slackTargets) {
      n.fx.arrive(t.routing(id, key), n.incident, n.incident.startedAt(), n.rendered);
    }
  }

  @Override
  public void update(Notification n, ChannelState state) {
    if (state instanceof ChannelState.Posted posted) {
      n.fx.deliver(posted, n.rendered, n.flapping.covers(n.decision.changedMembers()));
    }
  }

  /** A channel an incident is routed to. */
  private record Target(String channel, @Nullable String mention, int routeIndex, boolean slack) {
    ChannelState.Routing routing(long incidentId, @Nullable String correlationKey) {
      return new ChannelState.Routing(incidentId, channel, routeIndex, mention, correlationKey);
    }
  }

  /**
   * Routes an incident by its common labels (its group labels when none are common). A channel
   * is listed once.
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
}
