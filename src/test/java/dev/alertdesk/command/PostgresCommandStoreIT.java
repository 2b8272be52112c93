package dev.alertdesk.command;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.testing.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AbstractCommandStoreIT} on PostgreSQL: one database, emptied before each test. */
class PostgresCommandStoreIT extends AbstractCommandStoreIT {
  @RegisterExtension
  static final TestDatabases.PostgresExtension POSTGRES = TestDatabases.postgres();

  @Override
  protected DatabaseTarget newDatabase() {
    POSTGRES.database().reset();
    return POSTGRES.database().target();
  }
}
