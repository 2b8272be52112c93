package dev.alertdesk.noise;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentStatus;
import java.time.Instant;

/**
 * Notify-after ({@code noise.notify_after.min_firing}): an incident's parent waits until it has
 * fired that long since its {@code startsAt}; one resolved before then is never posted, until it
 * fires again. The deadline posts it without a new webhook.
 */
final class NotifyAfterStage implements NoiseStage {
  private final NoiseRules rules;

  NotifyAfterStage(NoiseRules rules) {
    this.rules = rules;
  }

  @Override
  public String name() {
    return "notify-after";
  }

  @Override
  public Placement place(Arrival a, NoiseEffects.Placer next) {
    Instant since = a.firingSince();
    if (since != null && !rules.minFiring().isZero()) {
      Instant notifyAt = since.plus(rules.minFiring());
      if (notifyAt.isAfter(a.fx().now())) {
        return new Placement.Delay(notifyAt);
      }
    }
    return next.place(a);
  }

  @Override
  public void update(Notification n, ChannelState state) {
    boolean resolved = n.incident.status() == IncidentStatus.RESOLVED;
    if (state instanceof ChannelState.Suppressed && !resolved
        && !n.decision.occurrencesStarted().isEmpty()) {
      Instant start = n.decision.occurrencesStarted().stream().map(Alert::startsAt)
          .min(Instant::compareTo).orElse(n.fx.now());
      n.fx.arrive(state.routing(), n.incident, start, null);
    } else if (state instanceof ChannelState.Delayed && resolved) {
      n.fx.resolvedBeforeNotifyAfter(state);
    }
  }

  @Override
  public int tick(Deadlines d) {
    int work = 0;
    for (ChannelState.Delayed due : d.read(l -> l.delayedDue(d.now(), Deadlines.BATCH))) {
      work += d.inTransaction(fx -> release(fx, due));
    }
    return work;
  }

  private int release(NoiseEffects fx, ChannelState.Delayed due) {
    Incident incident = fx.ledger().lockIncident(due.incidentId());
    ChannelState s = Deadlines.current(fx.ledger(), due);
    if (incident == null || !(s instanceof ChannelState.Delayed delayed)
        || delayed.notifyAt().isAfter(fx.now())) {
      return 0;
    }
    if (incident.status() == IncidentStatus.RESOLVED) {
      fx.resolvedBeforeNotifyAfter(delayed);
      return 1;
    }
    fx.arrive(delayed.routing(), incident, null, null);
    return 1;
  }
}
