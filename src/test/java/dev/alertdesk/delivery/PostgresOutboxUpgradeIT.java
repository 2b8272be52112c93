package dev.alertdesk.delivery;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.testing.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AbstractOutboxUpgradeIT} on PostgreSQL: one database for the class, emptied per test. */
class PostgresOutboxUpgradeIT extends AbstractOutboxUpgradeIT {
  @RegisterExtension
  static final TestDatabases.PostgresExtension POSTGRES = TestDatabases.postgres();

  @Override
  protected DatabaseTarget newDatabase() {
    POSTGRES.database().reset();
    return POSTGRES.database().target();
  }
}
