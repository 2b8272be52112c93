package dev.alertdesk.noise;

import java.time.Instant;

/**
 * Storm roll-up ({@code noise.storm}): while a channel's storm is active, new incidents there are
 * listed in its "Alert storm" message instead of getting parents. A storm starts with the
 * incident that would be posted when {@code max_new_incidents} already arrived within the window
 * (a correlated incident joins its thread instead), and ends once the rate falls below the limit.
 * Rolling into an active storm is decided before correlation; starting one, after it.
 */
final class StormStage implements NoiseStage {
  private final NoiseRules rules;

  StormStage(NoiseRules rules) {
    this.rules = rules;
  }

  @Override
  public String name() {
    return "storm";
  }

  @Override
  public Placement place(Arrival a, NoiseEffects.Placer next) {
    if (!rules.stormEnabled()) {
      return next.place(a);
    }
    NoiseLedger ledger = a.fx().ledger();
    String channel = a.routing().channel();
    Instant now = a.fx().now();
    ledger.lockChannel(channel);
    Instant windowStart = now.minus(rules.stormWindow());
    StormState storm = ledger.activeStorm(channel);
    int recent = ledger.arrivalsSince(channel, windowStart);
    if (storm != null && recent < rules.stormMaxNewIncidents()) {
      a.fx().endStorm(storm);
      storm = null;
    }
    ledger.addArrival(channel, a.routing().incidentId(), now, windowStart);
    if (storm != null) {
      return new Placement.RollUp(storm);
    }
    Placement later = next.place(a);
    return later instanceof Placement.Post && recent >= rules.stormMaxNewIncidents()
        ? new Placement.StartStorm() : later;
  }

  @Override
  public void update(Notification n, ChannelState state) {
    if (state instanceof ChannelState.RolledUp rolledUp) {
      StormState storm = n.fx.ledger().storm(rolledUp.stormId());
      if (storm != null) {
        n.fx.stormUpdated(storm);
      }
    }
  }

  @Override
  public int tick(Deadlines d) {
    int work = 0;
    for (StormState storm : d.read(NoiseLedger::activeStorms)) {
      work += d.inTransaction(fx -> endIfCalm(fx, storm));
    }
    return work;
  }

  private int endIfCalm(NoiseEffects fx, StormState candidate) {
    NoiseLedger ledger = fx.ledger();
    ledger.lockChannel(candidate.channel());
    StormState storm = ledger.activeStorm(candidate.channel());
    if (storm == null) {
      return 0;
    }
    int recent = rules.stormEnabled()
        ? ledger.arrivalsSince(storm.channel(), fx.now().minus(rules.stormWindow())) : 0;
    if (rules.stormEnabled() && recent >= rules.stormMaxNewIncidents()) {
      return 0;
    }
    fx.endStorm(storm);
    return 1;
  }
}
