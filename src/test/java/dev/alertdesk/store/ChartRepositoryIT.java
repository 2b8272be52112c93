package dev.alertdesk.store;

import static dev.alertdesk.testing.StoreFixture.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.graph.ChartRepository;
import dev.alertdesk.graph.StoredChart;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.StoreFixture;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link JdbiChartRepository} on a real SQLite file and a real PostgreSQL database. */
class ChartRepositoryIT {
  @RegisterExtension
  static final TestDatabases.PostgresExtension POSTGRES = TestDatabases.postgres();

  @TempDir Path dir;

  @Test
  void chartsOnSqlite() throws Exception {
    exercise(TestDatabases.sqlite(dir.resolve("db")));
  }

  @Test
  void chartsOnPostgres() throws Exception {
    POSTGRES.database().reset();
    exercise(POSTGRES.database().target());
  }

  private void exercise(dev.alertdesk.config.DatabaseTarget target) throws Exception {
    try (StoreFixture store = new StoreFixture(target, true)) {
      long incidentId = store.ingest(AlertmanagerPayload.group("r", "DiskFull")
          .firing("node-1", START)).incidentId();
      Path charts = dir.resolve("charts");
      JdbiChartRepository repository = new JdbiChartRepository(store.database(), charts,
          store.clock());
      byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

      StoredChart firing = repository.save(incidentId, ChartKind.FIRING, 7L, "up == 0", png);
      store.clock().advance(Duration.ofMinutes(5));
      StoredChart resolved = repository.save(incidentId, ChartKind.RESOLVED, null, "up == 0", png);

      assertThat(firing.id()).matches(ChartRepository.ID).isNotEqualTo(resolved.id());
      assertThat(repository.chartsForIncident(incidentId)).containsExactly(firing, resolved);
      assertThat(repository.chartsForIncident(incidentId + 1)).isEmpty();
      assertThat(repository.forOutboxJob(7)).contains(firing);
      assertThat(repository.forOutboxJob(8)).isEmpty();
      Path file = repository.file(firing.id()).orElseThrow();
      assertThat(file.getParent()).isEqualTo(charts);
      assertThat(Files.readAllBytes(file)).isEqualTo(png);
      try (var listing = Files.list(charts)) {
        assertThat(listing.map(p -> p.getFileName().toString()).toList())
            .containsExactlyInAnyOrder(firing.fileName(), resolved.fileName());
      }

      // Ids are random, not derived from anything guessable.
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < 50; i++) {
        ids.add(repository.save(incidentId, ChartKind.FIRING, null, "x", png).id());
      }
      assertThat(ids).hasSize(50);

      for (String bad : List.of("", "../alertdesk", firing.id().toUpperCase(),
          firing.id() + "0", "0".repeat(32))) {
        assertThat(repository.file(bad)).as(bad).isEmpty();
      }
      Files.delete(file);
      assertThat(repository.file(firing.id())).isEmpty();
    }
  }
}
