package dev.alertdesk.noise;

import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.OutgoingMessage;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the arrival stages put an incident that reaches a channel; {@link #apply} hands it to
 * {@link NoiseEffects}, which writes the channel state, the event and the Slack messages.
 */
sealed interface Placement {
  /** Applies the placement of {@code incident} in the channel of {@code routing}. */
  void apply(NoiseEffects fx, ChannelState.Routing routing, Incident incident,
      @Nullable List<OutgoingMessage> rendered);

  /** Wait for {@code notify_after.min_firing}: the parent is due at {@code notifyAt}. */
  record Delay(Instant notifyAt) implements Placement {
    @Override
    public void apply(NoiseEffects fx, ChannelState.Routing routing, Incident incident,
        @Nullable List<OutgoingMessage> rendered) {
      fx.delayed(routing, notifyAt);
    }
  }

  /** List it in the channel's active storm message. */
  record RollUp(StormState storm) implements Placement {
    @Override
    public void apply(NoiseEffects fx, ChannelState.Routing routing, Incident incident,
        @Nullable List<OutgoingMessage> rendered) {
      fx.rolledUp(routing, storm, false);
    }
  }

  /** Start a storm in the channel with it: its parent becomes the storm message. */
  record StartStorm() implements Placement {
    @Override
    public void apply(NoiseEffects fx, ChannelState.Routing routing, Incident incident,
        @Nullable List<OutgoingMessage> rendered) {
      StormState storm = fx.ledger().startStorm(routing.channel(), routing.incidentId(),
          fx.now());
      fx.rolledUp(routing, storm, true);
    }
  }

  /** Reply in the thread of the related open incident {@code relatedIncidentId}. */
  record Correlate(long relatedIncidentId) implements Placement {
    @Override
    public void apply(NoiseEffects fx, ChannelState.Routing routing, Incident incident,
        @Nullable List<OutgoingMessage> rendered) {
      fx.correlated(routing, incident, relatedIncidentId);
    }
  }

  /**
   * Post its own parent.
   *
   * @param reminderAt when the first reminder is due, or null for none
   */
  record Post(@Nullable Instant reminderAt) implements Placement {
    @Override
    public void apply(NoiseEffects fx, ChannelState.Routing routing, Incident incident,
        @Nullable List<OutgoingMessage> rendered) {
      fx.posted(routing, incident, reminderAt, rendered);
    }
  }
}
