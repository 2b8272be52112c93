package dev.alertdesk.noise;

import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentResponse;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Renders the Slack messages noise control sends, as payload JSON ({@code text} plus
 * {@code blocks} and/or {@code attachments}). Implementations are pure.
 */
public interface NoiseMessages {
  /** The parent message of an incident in its current state, with the given response. */
  String parent(Incident incident, IncidentResponse response);

  /**
   * Decorates a rendered parent message for one channel.
   *
   * @param parentPayload the parent as the incident renderer made it
   * @param mention added to the message text so the mentioned people are notified, or null
   * @param flappingTransitions when flapping, the transitions within {@code window}; else 0
   * @param window the flapping window
   */
  String decorate(String parentPayload, @Nullable String mention, int flappingTransitions,
      Duration window);

  /**
   * The "Alert storm" message listing rolled-up incidents.
   *
   * @param members every incident rolled up so far, oldest first
   */
  String storm(StormState storm, List<StormMember> members, Duration window, int maxNewIncidents);

  /** The reply in a related incident's thread when {@code incident} joins it. */
  String related(Incident incident, List<String> correlateBy);

  /** The reply in a related incident's thread when {@code incident} resolves. */
  String relatedResolved(Incident incident);

  /** The one reply that says an incident is flapping, with its count of transitions. */
  String flapping(Incident incident, int transitions, Duration window);

  /**
   * A reminder that an incident is still unacknowledged.
   *
   * @param mention the route's mention, or null
   * @param unacknowledgedFor how long it has been open without a response
   */
  String reminder(Incident incident, @Nullable String mention, Duration unacknowledgedFor);
}
