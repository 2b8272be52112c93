package dev.alertdesk.incident;

import java.util.Locale;

/** What an {@link IncidentEvent} records. Stored by name, so names never change. */
public enum EventKind {
  /** A new incident opened with its first firing alerts. Details: {@code firing}, {@code
   * fingerprints} (the first 50), {@code truncated_alerts} when Alertmanager left some out. */
  OPENED,
  /**
   * Alerts joined the group or fired again. Details: {@code count}, {@code fingerprints} (the
   * first 50).
   */
  ALERTS_FIRING,
  /**
   * Member alerts resolved; when they were the last ones, {@link #RESOLVED} follows. Details:
   * {@code count}, {@code fingerprints} (the first 50), and {@code
   * absent_from_resolved_notification} for members a complete resolved notification left out.
   */
  ALERTS_RESOLVED,
  /** Every member resolved. Details: {@code duration_seconds}. */
  RESOLVED,
  /** The group fired again within the reopen window. Details: {@code reopen_count}. */
  REOPENED,
  /** Alertmanager's {@code truncatedAlerts} count changed. Details: {@code from}, {@code to}. */
  TRUNCATED_ALERTS_CHANGED,
  /** The parent message was posted to Slack. Details: {@code channel}, {@code ts}. */
  SLACK_POSTED,
  /**
   * A Slack call failed for good. Details: {@code call} ({@code parent_post}, {@code
   * parent_update} or {@code thread_reply}), {@code error}.
   */
  SLACK_FAILED,
  /**
   * Someone acknowledged the incident from Slack. Details: {@code user_id}, {@code user_name},
   * {@code mtta_seconds}.
   */
  ACKNOWLEDGED,
  /** Someone withdrew the acknowledgement. Details: {@code user_id}, {@code user_name}. */
  UNACKNOWLEDGED,
  /**
   * An Alertmanager silence was created from Slack. Details: {@code user_id}, {@code user_name},
   * {@code silence_id}, {@code matchers}, {@code ends_at}, {@code until_resolved}.
   */
  SILENCED,
  /**
   * The silence was expired, by a user or because the incident resolved. Details: {@code
   * user_id}, {@code user_name}, {@code silence_id}, {@code reason}.
   */
  UNSILENCED,
  /**
   * Thread replies about some fingerprints were snoozed. Details: {@code user_id}, {@code
   * user_name}, {@code fingerprints}, {@code until} or {@code firings}.
   */
  SNOOZED,
  /**
   * Noise control: routes chose the incident's channels (only when {@code routes} are
   * configured). Details: {@code channels} (posted to), {@code routes} (indexes in
   * {@code routes}, -1 for {@code SLACK_CHANNEL}).
   */
  ROUTED,
  /**
   * Noise control: a Slack message was not sent. Details: {@code reason} ({@code history_only}
   * for a route with {@code slack: false}; {@code resolved_before_notify_after}, with
   * {@code min_firing_seconds}; {@code flapping} for a thread reply about flapping alerts, with
   * {@code reply}), {@code channel}.
   */
  NOTIFICATION_SUPPRESSED,
  /**
   * Noise control: the parent waits for {@code notify_after.min_firing}. Details: {@code reason}
   * ({@code notify_after}), {@code channel}, {@code notify_at} (ISO-8601).
   */
  NOTIFICATION_DELAYED,
  /**
   * Noise control: listed in the channel's "Alert storm" message instead of a parent of its
   * own. Details: {@code reason} ({@code storm}), {@code channel}, {@code storm_id},
   * {@code storm_incident_id} (the incident whose parent is the storm message),
   * {@code storm_started}.
   */
  ROLLED_UP,
  /**
   * Noise control: a storm ended because new incidents fell back below the limit; on the storm's
   * first incident. Details: {@code reason} ({@code storm}), {@code channel}, {@code storm_id},
   * {@code incidents}.
   */
  STORM_ENDED,
  /**
   * Noise control: reported in a related open incident's thread instead of a parent of its own.
   * Details: {@code reason} ({@code correlate_by}), {@code channel}, {@code related_incident_id},
   * {@code labels}.
   */
  CORRELATED,
  /**
   * Noise control: alerts changed between firing and resolved too often; further changes update
   * the parent instead of replying. Details: {@code reason} ({@code flapping}),
   * {@code transitions}, {@code window_seconds}, {@code max_transitions}, {@code fingerprints}.
   */
  FLAPPING_STARTED,
  /**
   * Noise control: a flapping alert was quiet for the flapping window. Details: {@code reason}
   * ({@code flapping}), {@code fingerprint}, {@code quiet_seconds}.
   */
  FLAPPING_CLEARED,
  /**
   * Noise control: a reminder about an unacknowledged critical incident was sent. Details:
   * {@code reason} ({@code unacknowledged}), {@code channel}, {@code reminder} (1, 2, …),
   * {@code unacknowledged_seconds}.
   */
  REMINDER_SENT,
  /**
   * A remediation request changed state (issue 15). Details: {@code request_id},
   * {@code action_id}, {@code state}, {@code target} ({@code namespace/name}), {@code user_id},
   * {@code user_name}, and {@code detail} for an outcome.
   */
  REMEDIATION,
  /**
   * A message was delivered to a target other than Slack (an e-mail sent). Details:
   * {@code target} ({@code email}, …), {@code message} (what it said, e.g. {@code parent}),
   * {@code to} (the target's address, e.g. the recipients).
   */
  DELIVERED,
  /**
   * A message to a target other than Slack failed for good. Details: {@code target},
   * {@code message}, {@code to}, {@code error} (without secrets).
   */
  DELIVERY_FAILED;

  /**
   * Reads the stored form; a kind a newer version wrote, that this one does not know, is empty.
   *
   * @param wire the {@link #wire()} form, e.g. {@code opened}
   * @return the kind, or empty when this version does not know it
   */
  public static java.util.Optional<EventKind> fromWire(String wire) {
    for (EventKind k : values()) {
      if (k.wire().equals(wire)) {
        return java.util.Optional.of(k);
      }
    }
    return java.util.Optional.empty();
  }

  /** Returns the lower-case form used in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
