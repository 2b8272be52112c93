package dev.alertdesk.store;

import dev.alertdesk.incident.StorageException;
import dev.alertdesk.ingest.IncidentWriter;
import dev.alertdesk.ingest.IngestStore;
import dev.alertdesk.ingest.IngestTransaction;
import dev.alertdesk.ingest.OutboxWriter;
import dev.alertdesk.noise.NoiseLedger;
import java.time.Instant;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link IngestStore} on SQLite or PostgreSQL: one Jdbi transaction per notification
 * ({@code BEGIN IMMEDIATE} on SQLite, see {@link Database}), with roles bound to its handle:
 * {@link JdbiIncidentWriter}, and {@link JdbiNoiseLedger} as both the noise ledger and the
 * outbox writer. Thread-safe.
 */
public final class JdbiIngestStore implements IngestStore {
  private final Database database;
  private final Jdbi jdbi;
  private final boolean slackEnabled;

  /**
   * @param database the incident database; every transaction fails with
   *     {@link StorageException} until it is migrated
   * @param slackEnabled false when no bot token is set: outbox rows are then stored as
   *     {@code skipped}, so they never pile up but still show what would have been sent
   */
  public JdbiIngestStore(Database database, boolean slackEnabled) {
    this.database = database;
    this.jdbi = database.jdbi();
    this.slackEnabled = slackEnabled;
  }

  @Override
  public <T> T inTransaction(Instant at, Function<IngestTransaction, T> work) {
    if (!database.isMigrated()) {
      throw new StorageException("the database is not migrated yet",
          new IllegalStateException("not ready"));
    }
    try {
      return jdbi.inTransaction(h -> work.apply(new Transaction(h, slackEnabled, at)));
    } catch (JdbiException e) {
      throw new StorageException("could not commit the notification", e);
    }
  }

  /** The roles of one transaction, created once per transaction. */
  private static final class Transaction implements IngestTransaction {
    private final JdbiIncidentWriter incidents;
    private final JdbiNoiseLedger ledger;

    Transaction(Handle h, boolean slackEnabled, Instant at) {
      this.incidents = new JdbiIncidentWriter(h);
      this.ledger = new JdbiNoiseLedger(h, slackEnabled, at);
    }

    @Override
    public IncidentWriter incidents() {
      return incidents;
    }

    @Override
    public NoiseLedger noise() {
      return ledger;
    }

    @Override
    public OutboxWriter outbox() {
      return ledger;
    }
  }
}
