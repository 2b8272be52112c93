package dev.alertdesk.incident;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Durable incident history. Implementations must be safe for concurrent use, including by
 * several service replicas sharing one database.
 */
public interface IncidentRepository {
  /**
   * Commits one notification in a single transaction: the raw notification, the incident
   * insert or update, member alerts, occurrences, per-fingerprint counts, events and outbox rows.
   * Notifications of the same {@code (receiver, groupKey)} are serialised, so the planner always
   * sees the latest committed incident. On any exception nothing is written.
   *
   * @param received the notification as received
   * @param planner decides the change from the group's latest incident and renders its Slack
   *     messages; pure, as it may be called again when a transaction is retried
   * @return what was committed
   * @throws StorageException when the database cannot be reached or the transaction fails
   */
  IngestResult ingest(ReceivedNotification received, IngestPlanner planner);

  /**
   * Loads one incident with its members, timeline and Slack messages.
   *
   * @return the incident, or empty when no incident has that id
   * @throws StorageException when the database cannot be reached
   */
  Optional<IncidentDetail> find(long id);

  /**
   * Lists incidents newest first.
   *
   * @param status only this status, or null for all
   * @param limit at most this many, 1 to 500
   * @param offset how many to skip, 0 or more
   * @return the page, with the total count matching the filter
   * @throws StorageException when the database cannot be reached
   */
  IncidentPage list(@Nullable IncidentStatus status, int limit, int offset);

  /**
   * An incident with everything recorded about it.
   *
   * @param incident the incident and its members
   * @param events the timeline, oldest first
   * @param slackMessages where its parent message lives, one per channel
   * @param occurrenceCounts per member fingerprint, how many firing periods were ever seen
   */
  record IncidentDetail(
      Incident incident,
      List<StoredEvent> events,
      List<SlackMessageRef> slackMessages,
      java.util.Map<String, Integer> occurrenceCounts) {}

  /**
   * A stored timeline entry.
   *
   * @param id its id, ascending in time
   * @param event the event
   */
  record StoredEvent(long id, IncidentEvent event) {}

  /**
   * The parent message of an incident in one channel.
   *
   * @param channel the channel as configured (name or ID)
   * @param channelId the channel ID Slack answered with
   * @param ts the parent message's ts
   */
  record SlackMessageRef(String channel, String channelId, String ts) {}

  /**
   * One page of incidents.
   *
   * @param incidents the page, newest first
   * @param total how many incidents match the filter
   */
  record IncidentPage(List<IncidentSummary> incidents, long total) {}
}
