package dev.alertdesk.history;

import java.nio.file.Path;

/** {@link AbstractHistoryApiIT} on a new SQLite file. */
class SqliteHistoryApiIT extends AbstractHistoryApiIT {
  @Override
  protected String newDatabase(Path scratch) {
    return "sqlite://" + scratch.toAbsolutePath().resolve("history.db");
  }
}
