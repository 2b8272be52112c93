package dev.alertdesk.command;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link AbstractCommandStoreIT} on a new SQLite file per test. */
class SqliteCommandStoreIT extends AbstractCommandStoreIT {
  @TempDir Path dir;

  @Override
  protected DatabaseTarget newDatabase() {
    return TestDatabases.sqlite(dir);
  }
}
