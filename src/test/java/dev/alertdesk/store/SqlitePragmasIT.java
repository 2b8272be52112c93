package dev.alertdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.config.DatabaseTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every pooled SQLite connection is durable (WAL, fsync on commit) and waits for the lock. */
class SqlitePragmasIT {
  @TempDir Path dir;

  @Test
  void pooledConnectionsUseWalFullSyncAndABusyTimeout() {
    try (Database db = Database.open(DatabaseTarget.parse("sqlite://" + dir.resolve("a.db")))) {
      db.migrate();
      db.jdbi().useHandle(h -> {
        assertThat(h.createQuery("PRAGMA journal_mode").mapTo(String.class).one()).isEqualTo("wal");
        // 2 = FULL: a commit reaches the disk before the webhook answers 200.
        assertThat(h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one()).isEqualTo(2);
        assertThat(h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one())
            .isEqualTo(Database.SQLITE_BUSY_TIMEOUT_MILLIS);
        assertThat(h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one()).isEqualTo(1);
      });
    }
  }
}
