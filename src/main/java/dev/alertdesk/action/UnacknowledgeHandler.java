package dev.alertdesk.action;

import dev.alertdesk.audit.AuditResult;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.slack.IncidentActionBlocks;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** Unacknowledge: withdraws an incident's acknowledgement, whoever made it. */
public final class UnacknowledgeHandler implements ActionHandler {
  private final ActionWriter writer;
  private final Clock clock;

  /**
   * @param writer writes the change and answers the user
   * @param clock the source of "now"
   */
  public UnacknowledgeHandler(ActionWriter writer, Clock clock) {
    this.writer = writer;
    this.clock = clock;
  }

  @Override
  public String actionId() {
    return IncidentActionBlocks.UNACKNOWLEDGE;
  }

  /** Returns {@code unacknowledge}. */
  @Override
  public String grant(ActionRequest request) {
    return "unacknowledge";
  }

  @Override
  public void handle(ActionRequest who) {
    long incidentId = who.incidentId();
    Instant now = clock.instant();
    writer.commit(who, ctx -> {
      IncidentResponse.Acknowledgement ack = ctx.response().acknowledgement();
      if (ack == null) {
        return ActionChange.tellOnly("Incident #" + incidentId + " is not acknowledged.");
      }
      return writer.change(ctx, ctx.response().withAcknowledgement(null),
          EventKind.UNACKNOWLEDGED, now, who, Map.of("previously_acknowledged_by", ack.userId()),
          ActionWriter.entry(who, now, "unacknowledge",
              Map.of("previously_acknowledged_by", ack.userId()), Map.of(), AuditResult.SUCCESS,
              null),
          ":leftwards_arrow_with_hook: <@" + who.userId() + "> withdrew the acknowledgement by <@"
              + ack.userId() + ">");
    });
  }
}
