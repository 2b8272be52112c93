package dev.alertdesk.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AbstractSlackActionsStoreIT} on a new SQLite file per test. */
class SqliteSlackActionsStoreIT extends AbstractSlackActionsStoreIT {
  @TempDir Path dir;
  private DatabaseTarget target;

  @Override
  protected DatabaseTarget newDatabase() {
    target = TestDatabases.sqlite(dir);
    return target;
  }

  @Override
  protected String connectionString() {
    return target.jdbcUrl();
  }

  @Test
  void twoHandlersForOneActionIdAreRefusedAtStartUpNamingBoth() {
    ActionWriter writer = new ActionWriter(actionStore,
        dev.alertdesk.slack.ResponseUrlResponder.forSlackApi(slack.apiUrl()), () -> { });

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ActionDispatcher(actionStore,
            writer, store.clock(), java.util.List.of(new SnoozeHandler(writer, store.clock()),
                new SnoozeHandler(writer, store.clock()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(IncidentActionBlocks.SNOOZE).hasMessageContaining("SnoozeHandler");
  }

  /**
   * An auditor verifies a copy of the database they may not change: a read-only file opened with
   * {@code mode=ro}. It is read, never written (its bytes stay the same), and the answer comes at
   * once.
   */
  @Test
  void auditVerifyReadsAReadOnlyFileOpenedWithModeRo() throws Exception {
    long id = openIncident();
    click("U1", IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false);
    click("U2", IncidentActionBlocks.UNACKNOWLEDGE, String.valueOf(id), false);
    closeStore();
    Path db = target.sqlitePath();
    Path copy = dir.resolve("audit-copy").resolve("alertdesk.db");
    Files.createDirectories(copy.getParent());
    Files.copy(db, copy);
    copy.toFile().setReadOnly();
    copy.getParent().toFile().setReadOnly();
    byte[] before = Files.readAllBytes(copy);

    long started = System.nanoTime();
    int exit = verifyCli("sqlite://" + copy + "?mode=ro");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(exit).as(cliErr()).isZero();
    assertThat(cliOut()).contains("audit chain OK: 2 rows verified");
    assertThat(took).isLessThan(Duration.ofSeconds(4));
    assertThat(Files.readAllBytes(copy))
        .isEqualTo(before);
    copy.getParent().toFile().setWritable(true);
  }
}
