package dev.alertdesk.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One stored audit row exactly as the database holds it, JSON columns as text, so that its hash
 * can be recomputed byte for byte.
 *
 * @param id the row id, ascending in append order
 * @param at when the action was taken
 * @param userId Slack user ID
 * @param userName Slack user name
 * @param action what was done
 * @param incidentId the incident, or null
 * @param targetJson the target as a JSON object
 * @param parametersJson the parameters as a JSON object
 * @param result {@code success} or {@code failure}
 * @param error the failure message, or null
 * @param prevHash the previous row's hash (hex), or {@link AuditChain#GENESIS} for the first row
 * @param hash {@code SHA-256(prevHash || canonical row)} in lower-case hex
 */
public record AuditRecord(
    long id,
    Instant at,
    String userId,
    String userName,
    String action,
    @Nullable Long incidentId,
    String targetJson,
    String parametersJson,
    String result,
    @Nullable String error,
    String prevHash,
    String hash) {}
