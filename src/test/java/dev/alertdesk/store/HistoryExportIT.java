package dev.alertdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.alert.Matchers;
import dev.alertdesk.history.IncidentQuery;
import dev.alertdesk.history.IncidentRow;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.StoreFixture;
import dev.alertdesk.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports stream every matching incident across several read chunks, newest first. */
class HistoryExportIT {
  @TempDir Path dir;

  @Test
  void exportsEveryMatchingIncidentAcrossChunks() {
    try (StoreFixture store = new StoreFixture(TestDatabases.sqlite(dir), false)) {
      int count = 1_203;
      for (int n = 0; n < count; n++) {
        store.ingest(AlertmanagerPayload.group("team-" + (n % 3), "Alert" + n)
            .firing("host-" + n, StoreFixture.START));
      }
      JdbiHistoryRepository history = new JdbiHistoryRepository(store.database(), dir.resolve("charts"));

      List<Long> all = new ArrayList<>();
      history.forEach(IncidentQuery.all(1), row -> all.add(row.incident().id()));
      assertThat(all).hasSize(count);
      assertThat(all).isSortedAccordingTo((a, b) -> Long.compare(b, a));

      // host-7, host-17, ... host-1197: one in ten, spread over every chunk.
      Matchers endsIn7 = Matchers.parse("instance=~\"host-[0-9]*7\"");
      List<IncidentRow> matched = new ArrayList<>();
      history.forEach(new IncidentQuery(null, null, null, null, endsIn7::matches, 1, 0),
          matched::add);
      assertThat(matched).hasSize(120);
      assertThat(matched).allSatisfy(r -> assertThat(r.incident().alertname()).endsWith("7"));
      assertThat(history.search(new IncidentQuery(null, null, null, null, endsIn7::matches, 500, 0))
          .total()).isEqualTo(120);
    }
  }
}
