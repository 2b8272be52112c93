package dev.alertdesk.noise;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.incident.Incident;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Flapping ({@code noise.flapping}): a fingerprint that changes between firing and resolved more
 * than {@code max_transitions} times within the window is flapping. Thread replies about flapping
 * alerts are held back, one reply says it started, and the parent shows a "Flapping" line until
 * the fingerprint was quiet for a whole window.
 */
final class FlappingStage implements NoiseStage {
  private final NoiseRules rules;

  FlappingStage(NoiseRules rules) {
    this.rules = rules;
  }

  @Override
  public String name() {
    return "flapping";
  }

  /** Records this decision's transitions and tells the later hooks which are flapping. */
  @Override
  public void before(Notification n) {
    if (!rules.flappingEnabled() || n.before == null) {
      return;
    }
    NoiseLedger ledger = n.fx.ledger();
    Instant now = n.fx.now();
    long id = NoiseGate.requireId(n.incident);
    Instant windowStart = now.minus(rules.flappingWindow());
    Set<String> flapping = new LinkedHashSet<>();
    Set<String> started = new LinkedHashSet<>();
    int most = 0;
    for (Alert a : n.decision.changedMembers()) {
      Alert previous = n.before.member(a.fingerprint()).orElse(null);
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
    n.flapping = flapping.isEmpty() ? Notification.Flapping.NONE
        : new Notification.Flapping(flapping, started, most);
  }

  @Override
  public void update(Notification n, ChannelState state) {
    if (state instanceof ChannelState.Posted posted && !n.flapping.started().isEmpty()) {
      n.fx.flappingReply(posted, n.flapping.transitions());
    }
  }

  @Override
  public void after(Notification n) {
    if (!n.flapping.started().isEmpty()) {
      n.fx.flappingStarted(NoiseGate.requireId(n.incident), n.flapping.transitions(),
          List.copyOf(n.flapping.started()));
    }
  }

  @Override
  public int tick(Deadlines d) {
    if (!rules.flappingEnabled()) {
      return 0;
    }
    int work = 0;
    Instant quietSince = d.now().minus(rules.flappingWindow());
    for (FlappingState f : d.read(l -> l.flappingQuietSince(quietSince, Deadlines.BATCH))) {
      work += d.inTransaction(fx -> clear(fx, f, quietSince));
    }
    return work;
  }

  private int clear(NoiseEffects fx, FlappingState due, Instant quietSince) {
    NoiseLedger ledger = fx.ledger();
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
    fx.flappingCleared(f);
    for (ChannelState s : ledger.channels(id)) {
      if (s instanceof ChannelState.Posted posted) {
        fx.flappingClearedParent(posted);
      }
    }
    return 1;
  }
}
