package dev.alertdesk.incident;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of an incident's timeline.
 *
 * @param kind what happened
 * @param at when it happened (UTC, from the engine's clock)
 * @param details JSON-serialisable facts about it (strings, numbers, lists); never secrets
 */
public record IncidentEvent(EventKind kind, Instant at, Map<String, Object> details) {
  /** Copies the details. */
  public IncidentEvent {
    details = Map.copyOf(details);
  }
}
