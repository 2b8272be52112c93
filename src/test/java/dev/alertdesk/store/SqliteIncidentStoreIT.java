package dev.alertdesk.store;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link AbstractIncidentStoreIT} on a new SQLite file per test (WAL, BEGIN IMMEDIATE). */
class SqliteIncidentStoreIT extends AbstractIncidentStoreIT {
  @TempDir Path dir;

  @Override
  protected DatabaseTarget newDatabase() {
    return TestDatabases.sqlite(dir);
  }
}
