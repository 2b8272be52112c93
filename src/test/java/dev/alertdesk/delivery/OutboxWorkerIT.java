package dev.alertdesk.delivery;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link AbstractOutboxWorkerIT} on a new SQLite file per test. */
class OutboxWorkerIT extends AbstractOutboxWorkerIT {
  @TempDir Path dir;

  @Override
  protected DatabaseTarget newDatabase() {
    return TestDatabases.sqlite(dir);
  }
}
