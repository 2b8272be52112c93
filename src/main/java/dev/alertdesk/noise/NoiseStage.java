package dev.alertdesk.noise;

import java.time.Instant;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One rule of noise control. {@link NoiseGate} runs its stages in the order of its list (route,
 * notify-after, storm, correlate, flapping, reminders), as Alertmanager chains its
 * {@code notify.Stage}s. A stage takes part through any of the hooks below; each default does
 * nothing. Stages decide and read the ledger; {@link NoiseEffects} writes what they decide.
 */
interface NoiseStage {
  /** Returns the stage's name in the list, e.g. {@code storm}. */
  String name();

  /** A decision opened the incident: place it in its channels (the route stage does). */
  default void open(Notification n) {}

  /**
   * The incident reaches a channel. A stage returns its own placement, or what
   * {@code next.place(arrival)} (the later stages, ending in a post) returns, possibly changed.
   */
  default Placement place(Arrival arrival, NoiseEffects.Placer next) {
    return next.place(arrival);
  }

  /** A later decision of a placed incident, before its channels are handled. */
  default void before(Notification n) {}

  /** The later decision's part in one channel, in the state it had before the decision. */
  default void update(Notification n, ChannelState state) {}

  /** A later decision of a placed incident, after its channels were handled. */
  default void after(Notification n) {}

  /**
   * Runs this stage's deadlines due at {@link Deadlines#now()}, each in its own transaction.
   *
   * @return how many deadlines did something
   */
  default int tick(Deadlines deadlines) {
    return 0;
  }

  /** The periodic pass of {@link NoiseGate#tick}, as the stages see it. */
  interface Deadlines {
    /** At most this many due rows are read per kind and pass. */
    int BATCH = 200;

    /** Returns the time of the pass. */
    Instant now();

    /** Reads in a transaction of its own. */
    <T> T read(Function<NoiseLedger, T> work);

    /** Decides and applies in a transaction of its own. */
    <T> T inTransaction(Function<NoiseEffects, T> work);

    /** Returns the state of {@code due}'s incident in its channel now, or null. */
    static @Nullable ChannelState current(NoiseLedger ledger, ChannelState due) {
      for (ChannelState s : ledger.channels(due.incidentId())) {
        if (s.channel().equals(due.channel())) {
          return s;
        }
      }
      return null;
    }
  }
}
