package dev.alertdesk.action;

import dev.alertdesk.remediation.RemediationAction;
import dev.alertdesk.slack.RemediationMessageRenderer;

/**
 * The request button of one catalogue action on an incident's parent ({@code action_id}
 * {@code remediation_request_<action id>}, value {@code {incident id}:{action id}}); the work is
 * {@link RemediationFlow#request}. One instance per catalogue action.
 */
public final class RemediationRequestHandler implements ActionHandler {
  private final RemediationFlow flow;
  private final RemediationAction action;

  /**
   * @param flow the remediation flow
   * @param action the catalogue action this button requests
   */
  public RemediationRequestHandler(RemediationFlow flow, RemediationAction action) {
    this.flow = flow;
    this.action = action;
  }

  /** The handlers of every action in the flow's catalogue. */
  public static java.util.List<ActionHandler> all(RemediationFlow flow) {
    return flow.catalogue().actions().stream()
        .<ActionHandler>map(a -> new RemediationRequestHandler(flow, a)).toList();
  }

  @Override
  public String actionId() {
    return RemediationMessageRenderer.REQUEST + "_" + action.id();
  }

  @Override
  public String grant(ActionRequest request) {
    return action.requestGrant();
  }

  @Override
  public void handle(ActionRequest request) {
    if (request.choice() != null && !request.choice().equals(action.id())) {
      return; // a forged value naming another action: ignored
    }
    flow.request(request, action);
  }
}
