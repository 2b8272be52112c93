package dev.alertdesk.store;

import dev.alertdesk.incident.StorageException;
import dev.alertdesk.noise.NoiseLedger;
import dev.alertdesk.noise.NoiseStore;
import java.time.Clock;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** {@link NoiseStore} on the incident database: one Jdbi transaction per call. Thread-safe. */
public final class JdbiNoiseStore implements NoiseStore {
  private final Database database;
  private final Jdbi jdbi;
  private final boolean slackEnabled;
  private final Clock clock;

  /**
   * @param database the incident database
   * @param slackEnabled false stores outbox rows as skipped previews
   * @param clock the creation time of outbox rows
   */
  public JdbiNoiseStore(Database database, boolean slackEnabled, Clock clock) {
    this.database = database;
    this.jdbi = database.jdbi();
    this.slackEnabled = slackEnabled;
    this.clock = clock;
  }

  @Override
  public <T> T inTransaction(Function<NoiseLedger, T> work) {
    if (!database.isMigrated()) {
      throw new StorageException("the database is not migrated yet",
          new IllegalStateException("not ready"));
    }
    try {
      return jdbi.inTransaction(h -> work.apply(new JdbiNoiseLedger(h, slackEnabled,
          clock.instant())));
    } catch (JdbiException e) {
      throw new StorageException("could not run a noise-control deadline", e);
    }
  }
}
