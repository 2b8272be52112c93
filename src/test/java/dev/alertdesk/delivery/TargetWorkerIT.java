package dev.alertdesk.delivery;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link AbstractTargetWorkerIT} on a new SQLite file per test. */
class TargetWorkerIT extends AbstractTargetWorkerIT {
  @TempDir Path dir;

  @Override
  protected DatabaseTarget newDatabase() {
    return TestDatabases.sqlite(dir);
  }
}
