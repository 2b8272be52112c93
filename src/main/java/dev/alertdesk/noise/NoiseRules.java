package dev.alertdesk.noise;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code routes}, {@code noise} and {@code reminders} sections of {@code CONFIG_FILE}. A zero
 * duration or count turns its rule off; {@link #NONE} has every rule off and no routes, which is
 * the behaviour without a config file.
 *
 * @param routes evaluated in order; the first match wins unless it has {@code continue: true}
 * @param minFiring {@code noise.notify_after.min_firing}: post only once an incident has fired
 *     this long since its {@code startsAt}; zero posts at once
 * @param flappingWindow {@code noise.flapping.window}: the window transitions are counted in, and
 *     the quiet time after which flapping clears
 * @param flappingMaxTransitions {@code noise.flapping.max_transitions}: more transitions than this
 *     within the window mark a fingerprint flapping; zero disables
 * @param stormWindow {@code noise.storm.window}: the sliding window new incidents are counted in
 * @param stormMaxNewIncidents {@code noise.storm.max_new_incidents}: more new incidents than this
 *     in one channel within the window are rolled up; zero disables
 * @param correlateBy {@code noise.correlate_by}: label names; empty disables correlation
 * @param remindAfter {@code reminders.unacknowledged_after}: remind about an unacknowledged
 *     critical incident after this long and again at each further interval; zero disables
 */
public record NoiseRules(
    List<Route> routes,
    Duration minFiring,
    Duration flappingWindow,
    int flappingMaxTransitions,
    Duration stormWindow,
    int stormMaxNewIncidents,
    List<String> correlateBy,
    Duration remindAfter) {

  /** No routes and every rule off. */
  public static final NoiseRules NONE = new NoiseRules(List.of(), Duration.ZERO, Duration.ZERO, 0,
      Duration.ZERO, 0, List.of(), Duration.ZERO);

  /** Copies the lists and checks that no duration or count is negative. */
  public NoiseRules {
    routes = List.copyOf(routes);
    correlateBy = List.copyOf(correlateBy);
    for (Duration d : List.of(minFiring, flappingWindow, stormWindow, remindAfter)) {
      if (Objects.requireNonNull(d).isNegative()) {
        throw new IllegalArgumentException("durations must not be negative");
      }
    }
    if (flappingMaxTransitions < 0 || stormMaxNewIncidents < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }

  /** Returns true when flapping detection is on. */
  public boolean flappingEnabled() {
    return flappingMaxTransitions > 0 && !flappingWindow.isZero();
  }

  /** Returns true when storm roll-up is on. */
  public boolean stormEnabled() {
    return stormMaxNewIncidents > 0 && !stormWindow.isZero();
  }

  /** Returns true when reminders are on. */
  public boolean remindersEnabled() {
    return !remindAfter.isZero();
  }
}
