package dev.alertdesk.delivery;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.testing.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AbstractTargetWorkerIT} on PostgreSQL: one database for the class, emptied per test. */
class PostgresTargetWorkerIT extends AbstractTargetWorkerIT {
  @RegisterExtension
  static final TestDatabases.PostgresExtension POSTGRES = TestDatabases.postgres();

  @Override
  protected DatabaseTarget newDatabase() {
    POSTGRES.database().reset();
    return POSTGRES.database().target();
  }
}
