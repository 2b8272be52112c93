package dev.alertdesk.ingest;

import java.time.Instant;
import java.util.function.Function;

/**
 * Where the {@link IngestPipeline} commits: opens one transaction per notification and hands out
 * the roles bound to it. {@code store.JdbiIngestStore} is the service's (SQLite or PostgreSQL);
 * {@link InMemoryIngestStore} is the dry run's.
 */
public interface IngestStore {
  /**
   * Runs {@code work} in one transaction: it commits when {@code work} returns and rolls back
   * when it throws, so either every row of a notification is written or none is.
   *
   * @param at when the notification arrived: the creation time of outbox rows written
   * @param work the pipeline's steps, given the roles bound to the transaction
   * @return what {@code work} returned
   * @throws dev.alertdesk.incident.StorageException when the database is not migrated, cannot be
   *     reached, or the transaction fails; nothing is then written
   */
  <T> T inTransaction(Instant at, Function<IngestTransaction, T> work);
}
