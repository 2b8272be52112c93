package dev.alertdesk.audit;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One action to append to the audit log.
 *
 * @param at when the action was taken (UTC)
 * @param userId the Slack user ID of who acted ({@code alertdesk} for the service itself)
 * @param userName the Slack user name of who acted
 * @param action what was done, e.g. {@code acknowledge}, {@code silence}
 * @param incidentId the incident acted on, or null
 * @param target what was acted on: {@code matchers}, {@code silence_id}, {@code fingerprints};
 *     JSON-serialisable values
 * @param parameters how: {@code duration}, {@code firings}; JSON-serialisable values
 * @param result the outcome
 * @param error why it failed (e.g. Alertmanager's message), or null on success
 */
public record AuditEntry(
    Instant at,
    String userId,
    String userName,
    String action,
    @Nullable Long incidentId,
    Map<String, Object> target,
    Map<String, Object> parameters,
    AuditResult result,
    @Nullable String error) {

  /** Copies the maps. */
  public AuditEntry {
    target = Map.copyOf(target);
    parameters = Map.copyOf(parameters);
  }
}
