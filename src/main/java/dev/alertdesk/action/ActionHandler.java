package dev.alertdesk.action;

/**
 * Carries out one kind of action on an incident, such as Acknowledge or Silence. Every kind is
 * one implementation, registered by its {@link #actionId()} with the {@link ActionDispatcher}
 * that the composition root builds; the transport (HTTP {@code /slack/events} today) never calls
 * a handler directly. Implementations are thread-safe.
 */
public interface ActionHandler {
  /**
   * The Block Kit {@code action_id} this handler serves, such as {@code incident_acknowledge};
   * unique among the registered handlers.
   */
  String actionId();

  /**
   * Carries out one request. The dispatcher has already checked that the incident id was
   * readable and that the request comes from a channel where the incident has its own parent
   * message. Refusals (already acknowledged, unknown choice, Alertmanager's error) are told to the
   * user ephemerally through {@link ActionWriter#tell}, never thrown.
   *
   * @param request who asked what, about which incident
   * @throws dev.alertdesk.incident.StorageException when the database fails; nothing of this
   *     request was written, and the dispatcher asks the user to try again
   */
  void handle(ActionRequest request);
}
