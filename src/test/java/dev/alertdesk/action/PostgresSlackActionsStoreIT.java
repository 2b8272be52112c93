package dev.alertdesk.action;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.testing.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AbstractSlackActionsStoreIT} on PostgreSQL: one database, emptied before each test. */
class PostgresSlackActionsStoreIT extends AbstractSlackActionsStoreIT {
  @RegisterExtension
  static final TestDatabases.PostgresExtension POSTGRES = TestDatabases.postgres();

  @Override
  protected DatabaseTarget newDatabase() {
    POSTGRES.database().reset();
    return POSTGRES.database().target();
  }

  @Override
  protected String connectionString() {
    return POSTGRES.database().connectionString();
  }
}
