package dev.alertdesk.action;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A Sentry-style snooze of one alert fingerprint: Alertdesk posts no thread replies about it
 * until {@code until}, or until its occurrence count reaches {@code untilOccurrenceCount}.
 * Alertmanager is untouched, and the incident history still records every occurrence.
 *
 * @param fingerprint the alert fingerprint
 * @param incidentId the incident it was snoozed from
 * @param until the end of the snooze, or null when it ends by count
 * @param untilOccurrenceCount the occurrence count at which the snooze ends, or null when it
 *     ends by time
 * @param userId who snoozed it (Slack user ID)
 * @param userName who snoozed it (Slack user name)
 * @param createdAt when
 */
public record FingerprintSnooze(String fingerprint, long incidentId, @Nullable Instant until,
    @Nullable Integer untilOccurrenceCount, String userId, String userName, Instant createdAt) {}
