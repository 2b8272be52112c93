package dev.alertdesk.action;

import dev.alertdesk.audit.AuditEntry;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.OutgoingMessage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one action writes, all in one transaction.
 *
 * @param response the new response to store, or null to leave it unchanged
 * @param events timeline events to add
 * @param audit the audit row, or null when nothing changed (a no-op click is not audited)
 * @param messages Slack calls to queue in the outbox (parent update, thread reply)
 * @param snoozes fingerprint snoozes to store (replacing earlier ones of the same fingerprint)
 * @param ephemeral what to tell the user who clicked, privately, or null
 */
public record ActionChange(
    @Nullable IncidentResponse response,
    List<IncidentEvent> events,
    @Nullable AuditEntry audit,
    List<OutgoingMessage> messages,
    List<FingerprintSnooze> snoozes,
    @Nullable String ephemeral) {

  /** Copies the lists. */
  public ActionChange {
    events = List.copyOf(events);
    messages = List.copyOf(messages);
    snoozes = List.copyOf(snoozes);
  }

  /** A change that writes nothing and only tells the user {@code ephemeral}. */
  public static ActionChange tellOnly(String ephemeral) {
    return new ActionChange(null, List.of(), null, List.of(), List.of(), ephemeral);
  }

  /** Returns true when it writes anything. */
  public boolean writes() {
    return response != null || !events.isEmpty() || audit != null || !messages.isEmpty()
        || !snoozes.isEmpty();
  }
}
