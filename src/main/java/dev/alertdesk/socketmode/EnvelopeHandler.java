package dev.alertdesk.socketmode;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Does the work of one Socket Mode envelope, after it was acknowledged. Implementations must be
 * fast (record and queue; never call Alertmanager or Slack on this thread) and thread-safe.
 */
public interface EnvelopeHandler {
  /**
   * Handles one envelope's payload; never throws (failures are logged and, where a user can be
   * answered, told to them).
   *
   * @param type the envelope type: {@code interactive}, {@code slash_commands} or
   *     {@code events_api}
   * @param envelopeId the envelope's id (for logs)
   * @param payload the envelope's {@code payload} object
   */
  void handle(String type, String envelopeId, JsonNode payload);
}
