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
   * The grant name RBAC checks before {@link #handle} runs ({@link dev.alertdesk.rbac.Authorizer}):
   * {@code acknowledge}, {@code unacknowledge}, {@code silence}, {@code unsilence},
   * {@code snooze}, or {@code remediate:<id>} / {@code approve:<id>} for the remediation
   * catalogue's action {@code id}. Pure and cheap; it may read the request's untrusted
   * {@code choice}, and for one it cannot make sense of it returns a name no grant can match
   * (such as {@code remediate:?}), which is denied.
   *
   * @param request the request about to be dispatched
   * @return the grant name, never null
   */
  String grant(ActionRequest request);

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
