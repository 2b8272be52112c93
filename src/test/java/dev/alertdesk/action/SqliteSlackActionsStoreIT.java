package dev.alertdesk.action;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link AbstractSlackActionsStoreIT} on a new SQLite file per test. */
class SqliteSlackActionsStoreIT extends AbstractSlackActionsStoreIT {
  @TempDir Path dir;
  private DatabaseTarget target;

  @Override
  protected DatabaseTarget newDatabase() {
    target = TestDatabases.sqlite(dir);
    return target;
  }

  @Override
  protected String connectionString() {
    return target.jdbcUrl();
  }
}
