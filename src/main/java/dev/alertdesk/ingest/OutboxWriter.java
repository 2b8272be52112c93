package dev.alertdesk.ingest;

import dev.alertdesk.incident.OutgoingMessage;

/**
 * Writes outbox rows inside an ingest transaction; the outbox worker sends them after the
 * commit. Rows of one incident are sent in the order they were written.
 *
 * <p>All methods throw {@link dev.alertdesk.incident.StorageException} when the database fails.
 */
public interface OutboxWriter {
  /** Queues a Slack call; its thread and parent are those of {@code incidentId} in the channel. */
  void enqueue(long incidentId, OutgoingMessage message);

  /**
   * Queues a parent update, or replaces the payload of the same incident's and channel's parent
   * update still waiting unclaimed at the end of its queue.
   */
  void enqueueLatestUpdate(long incidentId, OutgoingMessage message);
}
