package dev.alertdesk.command;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.incident.IncidentStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the slash command reads and records. Safe for concurrent use and for several replicas;
 * every method throws {@link dev.alertdesk.incident.StorageException} when the database fails.
 */
public interface CommandStore {
  /**
   * Records an invocation before it is worked on, so a redelivery (the same Socket Mode envelope
   * after a dropped connection, possibly to another replica) is recognised.
   *
   * @param commandKey unique per invocation ({@code user:trigger_id})
   * @param now the current time
   * @return true when it is new, false when it was recorded before
   */
  boolean accept(String commandKey, Instant now);

  /**
   * Returns the open (not resolved) incidents with a parent message in a channel, newest first.
   *
   * @param channelId a Slack channel ID
   * @param limit the most returned, positive
   */
  List<Listed> openIn(String channelId, int limit);

  /** Counts the open incidents with a parent message in a channel. */
  int countOpenIn(String channelId);

  /**
   * Returns one incident as seen from a channel: empty when no incident has that id or it has
   * no parent message in that channel (the command answers the same for both, so a channel does
   * not learn about another channel's incidents).
   *
   * @param incidentId the incident
   * @param channelId a Slack channel ID
   */
  Optional<Shown> showIn(long incidentId, String channelId);

  /**
   * One incident in a list.
   *
   * @param id the incident id
   * @param status firing or resolved
   * @param alertname its alertname
   * @param groupLabels its group labels (untrusted text)
   * @param startedAt when its first alert fired
   * @param firingCount how many of its alerts fire
   * @param acknowledgedById who acknowledged it (Slack user ID), or null
   * @param silencedUntil until when it is silenced, or null
   * @param channelId the channel of its parent message
   * @param ts the parent message's ts
   */
  record Listed(long id, IncidentStatus status, String alertname, Labels groupLabels,
      Instant startedAt, int firingCount, @Nullable String acknowledgedById,
      @Nullable Instant silencedUntil, String channelId, String ts) {}

  /**
   * One incident in detail.
   *
   * @param incident as in a list
   * @param resolvedCount how many of its alerts resolved
   * @param commonAnnotations its common annotations (summary, description, runbook_url), untrusted
   * @param externalUrl the Alertmanager that sent it ({@code externalURL}), untrusted, or null
   * @param valueLine the latest stored value line ("Current value: …", Slack mrkdwn, escaped), or
   *     null when none was computed
   * @param valueAt when that value was computed, or null
   */
  record Shown(Listed incident, int resolvedCount, Labels commonAnnotations,
      @Nullable String externalUrl, @Nullable String valueLine, @Nullable Instant valueAt) {}
}
