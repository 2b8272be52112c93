package dev.alertdesk.noise;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The delivery state of one incident in one channel: one record per {@link ChannelMode}, each
 * holding only what that mode needs, plus the {@link Routing} every mode shares. A ledger maps
 * its rows to these records and back ({@code incident_channel} in the database).
 */
public sealed interface ChannelState permits ChannelState.Posted, ChannelState.HistoryOnly,
    ChannelState.Delayed, ChannelState.Suppressed, ChannelState.RolledUp,
    ChannelState.Correlated {

  /**
   * Where a route placed an incident, whatever its mode there.
   *
   * @param incidentId the incident
   * @param channel the channel as configured (name or ID)
   * @param routeIndex the index of the route that chose the channel in {@code routes}, or -1 for
   *     {@code SLACK_CHANNEL} when no route matched
   * @param mention the route's mention, or null
   * @param correlationKey the {@code correlate_by} labels rendered as {@code a="x", b="y"}, or
   *     null when correlation is off or a label is missing
   */
  record Routing(long incidentId, String channel, int routeIndex, @Nullable String mention,
      @Nullable String correlationKey) {
    /** Checks that the channel is set. */
    public Routing {
      Objects.requireNonNull(channel, "channel");
    }
  }

  /** Returns where the route placed the incident. */
  Routing routing();

  /** Returns the stored name of this state's kind. */
  ChannelMode mode();

  /** Returns the incident. */
  default long incidentId() {
    return routing().incidentId();
  }

  /** Returns the channel as configured (name or ID). */
  default String channel() {
    return routing().channel();
  }

  /** Returns the route's mention, or null. */
  default @Nullable String mention() {
    return routing().mention();
  }

  /**
   * It has its own parent message and thread in the channel.
   *
   * @param routing where the route placed it
   * @param nextReminderAt when the next "still unacknowledged" reminder is due, or null when none
   *     is scheduled
   * @param remindersSent reminders sent so far, 0 or more
   */
  record Posted(Routing routing, @Nullable Instant nextReminderAt, int remindersSent)
      implements ChannelState {
    @Override
    public ChannelMode mode() {
      return ChannelMode.POSTED;
    }

    /** Returns a copy with another reminder schedule. */
    public Posted withReminder(@Nullable Instant next, int sent) {
      return new Posted(routing, next, sent);
    }
  }

  /**
   * A route with {@code slack: false} matched: history only, never posted.
   *
   * @param routing where the route placed it
   */
  record HistoryOnly(Routing routing) implements ChannelState {
    @Override
    public ChannelMode mode() {
      return ChannelMode.HISTORY_ONLY;
    }
  }

  /**
   * Waiting for {@code notify_after.min_firing} to elapse before the parent is posted.
   *
   * @param routing where the route placed it
   * @param notifyAt when the parent is due
   */
  record Delayed(Routing routing, Instant notifyAt) implements ChannelState {
    @Override
    public ChannelMode mode() {
      return ChannelMode.DELAYED;
    }
  }

  /**
   * It resolved before {@code notify_after.min_firing}: never posted (until it fires again).
   *
   * @param routing where the route placed it
   */
  record Suppressed(Routing routing) implements ChannelState {
    @Override
    public ChannelMode mode() {
      return ChannelMode.SUPPRESSED;
    }
  }

  /**
   * Listed in the channel's storm message instead of a parent of its own.
   *
   * @param routing where the route placed it
   * @param stormId the storm ({@link StormState#id()})
   */
  record RolledUp(Routing routing, long stormId) implements ChannelState {
    @Override
    public ChannelMode mode() {
      return ChannelMode.ROLLED_UP;
    }
  }

  /**
   * Reported in the thread of a related open incident instead of a parent of its own.
   *
   * @param routing where the route placed it
   * @param relatedIncidentId whose thread it joined
   */
  record Correlated(Routing routing, long relatedIncidentId) implements ChannelState {
    @Override
    public ChannelMode mode() {
      return ChannelMode.CORRELATED;
    }
  }
}
