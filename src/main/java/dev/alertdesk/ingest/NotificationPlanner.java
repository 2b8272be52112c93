package dev.alertdesk.ingest;

import dev.alertdesk.alert.Notification;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEngine;
import dev.alertdesk.incident.IngestPlanner;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.slack.IncidentMessageRenderer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds the pure {@link IngestPlanner} for a notification: the engine's decision, then one
 * rendered Slack message per intent, addressed to the configured channel. Shared by the service
 * and the {@code replay} dry run, so both say exactly the same. Thread-safe.
 */
public final class NotificationPlanner {
  /** The channel name recorded on previews when no Slack channel is configured. */
  public static final String NO_CHANNEL = "(none)";

  private final IncidentEngine engine;
  private final IncidentMessageRenderer renderer;
  private final @Nullable String channel;

  /**
   * @param engine the incident state machine
   * @param renderer renders Slack messages
   * @param channel the channel for new incidents, or null when none is configured
   */
  public NotificationPlanner(IncidentEngine engine, IncidentMessageRenderer renderer,
      @Nullable String channel) {
    this.engine = engine;
    this.renderer = renderer;
    this.channel = channel;
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
        String target = channel == null ? NO_CHANNEL : channel;
        return decision.intents().stream()
            .map(intent -> new OutgoingMessage(intent.kind(), target, renderer.render(incident, intent)))
            .toList();
      }
    };
  }
}
