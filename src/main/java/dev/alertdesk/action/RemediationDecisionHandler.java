package dev.alertdesk.action;

import dev.alertdesk.slack.RemediationMessageRenderer;
import java.util.List;

/**
 * The Approve, Reject or Cancel button of a remediation request message (value
 * {@code {incident id}:{request id}}); the work is {@link RemediationFlow#decide}.
 */
public final class RemediationDecisionHandler implements ActionHandler {
  private final RemediationFlow flow;
  private final RemediationFlow.Decision decision;

  /**
   * @param flow the remediation flow
   * @param decision which button this is
   */
  public RemediationDecisionHandler(RemediationFlow flow, RemediationFlow.Decision decision) {
    this.flow = flow;
    this.decision = decision;
  }

  /** The three decision handlers. */
  public static List<ActionHandler> all(RemediationFlow flow) {
    return List.of(new RemediationDecisionHandler(flow, RemediationFlow.Decision.APPROVE),
        new RemediationDecisionHandler(flow, RemediationFlow.Decision.REJECT),
        new RemediationDecisionHandler(flow, RemediationFlow.Decision.CANCEL));
  }

  @Override
  public String actionId() {
    return switch (decision) {
      case APPROVE -> RemediationMessageRenderer.APPROVE;
      case REJECT -> RemediationMessageRenderer.REJECT;
      case CANCEL -> RemediationMessageRenderer.CANCEL;
    };
  }

  /**
   * {@code approve:<id>} for Approve and Reject, {@code remediate:<id>} for Cancel, of the
   * stored request's action (one read by primary key: the button carries only the request id);
   * {@code approve:?} for an unknown request, which is denied.
   */
  @Override
  public String grant(ActionRequest request) {
    return flow.grant(request, decision);
  }

  @Override
  public void handle(ActionRequest request) {
    flow.decide(request, decision);
  }
}
