package dev.alertdesk.incident;

import java.util.Locale;

/**
 * What an outbox intent says in Slack. The outbox worker composes the message from the
 * incident's state when it sends it; the intent's parameters carry only what that state cannot
 * tell (which alerts a reply is about, who did what). Stored by {@link #wire()}, so names never
 * change.
 */
public enum MessageKind {
  /** The incident's parent message in its current state (post or update). */
  PARENT,
  /** Thread reply: alerts joined, fired again or resolved. Parameters: {@code firing}, {@code resolved} (fingerprints). */
  ALERTS_CHANGED,
  /** Thread reply: the incident reopened within the reopen window. Parameters: {@code firing}. */
  REOPENED,
  /** Thread reply: every member resolved. Parameters: {@code resolved}. */
  RESOLVED,
  /** A graph uploaded into the thread. Parameters: {@code chart} ({@code firing} or {@code resolved}). */
  GRAPH,
  /** The "Alert storm" message, the parent of the storm's anchor incident. Parameters: {@code storm_id}. */
  STORM,
  /** Reply in a related incident's thread: another incident joined it. Parameters: {@code incident_id}, {@code correlate_by}. */
  RELATED,
  /** Reply in a related incident's thread: the other incident resolved. Parameters: {@code incident_id}. */
  RELATED_RESOLVED,
  /** The one reply saying the incident flaps. Parameters: {@code transitions}. */
  FLAPPING,
  /** A reminder that the incident is still unacknowledged. Parameters: {@code unacknowledged_seconds}. */
  REMINDER,
  /** Reply announcing an action taken from Slack. Parameters: {@code action}, {@code text} (mrkdwn, the handler's words). */
  ACTION_REPLY,
  /**
   * A Sentry event of one alert occurrence (delivery target {@code sentry}). Parameters:
   * {@code event_id} (assigned when planned, reused by redeliveries), {@code fingerprint},
   * {@code starts_at}.
   */
  SENTRY_EVENT,
  /**
   * Resolve the Sentry issue of one ended occurrence's event (delivery target {@code sentry}).
   * Parameters: {@code event_id}, {@code fingerprint}, {@code starts_at}.
   */
  SENTRY_RESOLVE,
  /**
   * A message rendered before intents existed (a job still pending at the upgrade to
   * intents), sent as it was stored. Never written by current code.
   */
  PRERENDERED;

  /** Returns the lower-case form stored in the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@link #wire()}.
   *
   * @throws IllegalArgumentException for an unknown value
   */
  public static MessageKind fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
