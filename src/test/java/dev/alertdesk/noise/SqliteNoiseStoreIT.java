package dev.alertdesk.noise;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link AbstractNoiseStoreIT} on a new SQLite file per test. */
class SqliteNoiseStoreIT extends AbstractNoiseStoreIT {
  @TempDir Path dir;

  @Override
  protected DatabaseTarget newDatabase() {
    return TestDatabases.sqlite(dir);
  }
}
