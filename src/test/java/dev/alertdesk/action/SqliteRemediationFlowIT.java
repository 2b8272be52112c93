package dev.alertdesk.action;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link AbstractRemediationFlowIT} on SQLite: a new file per test. */
class SqliteRemediationFlowIT extends AbstractRemediationFlowIT {
  @TempDir
  Path dir;
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
