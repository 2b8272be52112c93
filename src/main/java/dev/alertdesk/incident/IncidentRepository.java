package dev.alertdesk.incident;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Durable incident history, read side; notifications are committed by
 * {@code ingest.IngestPipeline}. Implementations must be safe for concurrent use, including by
 * several service replicas sharing one database.
 */
public interface IncidentRepository {
  /**
   * Loads one incident with its members, timeline and Slack messages.
   *
   * @return the incident, or empty when no incident has that id
   * @throws StorageException when the database cannot be reached
   */
  Optional<IncidentDetail> find(long id);

  /** The most timeline events {@link #findPage} returns: the newest ones. */
  int MAX_PAGE_EVENTS = 1000;

  /**
   * Loads one incident for people to read, bounded whatever its size: at most
   * {@code alertLimit} member alerts from {@code alertOffset}, firing ones first (then by their
   * position in the notification), the newest {@value #MAX_PAGE_EVENTS} timeline events (oldest
   * first), and the occurrence counts of the listed alerts only.
   *
   * @param id the incident id
   * @param alertLimit at most this many alerts, 1 to 1000
   * @param alertOffset how many alerts to skip, 0 or more
   * @return the page, or empty when no incident has that id; its {@code detail.incident()}
   *     holds only the listed members, so take counts from {@code summary}
   * @throws IllegalArgumentException for a limit or offset out of range
   * @throws StorageException when the database cannot be reached
   */
  Optional<IncidentPageView> findPage(long id, int alertLimit, int alertOffset);

  /**
   * One incident as {@link #findPage} loads it.
   *
   * @param detail the incident with the listed members, the newest events and Slack messages
   * @param summary the incident's own row: its counts cover every member
   * @param alertOffset the offset the listed members start at
   * @param alertLimit the limit asked for
   * @param eventTotal how many timeline events the incident has (more than listed when over
   *     {@value #MAX_PAGE_EVENTS})
   */
  record IncidentPageView(IncidentDetail detail, IncidentSummary summary, int alertOffset,
      int alertLimit, long eventTotal) {
    /** Returns how many member alerts the incident has. */
    public int alertTotal() {
      return summary.firingCount() + summary.resolvedCount();
    }
  }

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
   * A stored timeline entry, as written. Its kind is kept as a string because a newer version
   * may have written a kind this one does not know; such an entry is shown as written.
   *
   * @param id its id, ascending in time
   * @param kind the {@link EventKind#wire()} form as stored, e.g. {@code opened}; may name a
   *     kind this version does not know
   * @param at when it happened (UTC)
   * @param details the stored facts about it
   */
  record StoredEvent(long id, String kind, java.time.Instant at,
      java.util.Map<String, Object> details) {
    /** Copies the details. */
    public StoredEvent {
      details = java.util.Map.copyOf(details);
    }

    /** Returns the kind if this version knows it, else empty. */
    public java.util.Optional<EventKind> knownKind() {
      return EventKind.fromWire(kind);
    }
  }

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
