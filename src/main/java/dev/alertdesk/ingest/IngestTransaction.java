package dev.alertdesk.ingest;

import dev.alertdesk.noise.NoiseLedger;

/**
 * The roles bound to one ingest transaction, as Jdbi attaches DAOs to a handle: each only reads
 * and persists; what to write is decided by the {@link IngestPipeline}'s steps. Every write
 * commits or rolls back with the transaction. Valid only inside
 * {@link IngestStore#inTransaction}.
 */
public interface IngestTransaction {
  /** Returns the writer of incidents, their members, occurrences, events and raw notifications. */
  IncidentWriter incidents();

  /** Returns the noise-control state (channel states, storms, flapping) of this transaction. */
  NoiseLedger noise();

  /** Returns the writer of outbox rows (the Slack calls to make) of this transaction. */
  OutboxWriter outbox();
}
