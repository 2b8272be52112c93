package dev.alertdesk.history;

import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AbstractHistoryApiIT} on a new PostgreSQL database. */
class PostgresHistoryApiIT extends AbstractHistoryApiIT {
  @RegisterExtension
  static final TestDatabases.PostgresExtension POSTGRES = TestDatabases.postgres();

  @Override
  protected String newDatabase(Path scratch) {
    return POSTGRES.database().connectionString();
  }
}
