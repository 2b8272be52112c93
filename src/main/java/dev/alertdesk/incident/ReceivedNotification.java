package dev.alertdesk.incident;

import dev.alertdesk.alert.Notification;
import java.time.Instant;

/**
 * A notification as received, kept verbatim for history and debugging.
 *
 * @param receivedAt when the webhook request arrived (UTC)
 * @param notification the parsed payload
 * @param headersJson the request headers as a JSON object, with credentials already removed
 * @param rawJson the request body exactly as received (UTF-8)
 */
public record ReceivedNotification(
    Instant receivedAt, Notification notification, String headersJson, String rawJson) {}
