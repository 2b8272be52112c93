package dev.alertdesk.enrich;

import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.graph.ChartRepository;
import dev.alertdesk.graph.StoredChart;
import dev.alertdesk.incident.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * {@link ChartRepository} for a dry run: PNGs in a directory the caller deletes, rows in memory.
 */
final class TemporaryChartRepository implements ChartRepository {
  private final Path directory;
  private final Clock clock;
  private final Map<String, StoredChart> charts = new LinkedHashMap<>();

  TemporaryChartRepository(Path directory, Clock clock) {
    this.directory = directory;
    this.clock = clock;
  }

  @Override
  public synchronized StoredChart save(long incidentId, ChartKind kind, @Nullable Long outboxId,
      String query, byte[] png) {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    String id = HexFormat.of().formatHex(bytes);
    try {
      Files.write(directory.resolve(id + ".png"), png);
    } catch (IOException e) {
      throw new StorageException("could not write chart file in " + directory, e);
    }
    StoredChart chart = new StoredChart(id, incidentId, kind, Instant.now(clock), id + ".png",
        query);
    charts.put(id, chart);
    return chart;
  }

  @Override
  public Optional<StoredChart> forOutboxJob(long outboxId) {
    return Optional.empty();
  }

  @Override
  public synchronized List<StoredChart> chartsForIncident(long incidentId) {
    List<StoredChart> out = new ArrayList<>();
    for (StoredChart c : charts.values()) {
      if (c.incidentId() == incidentId) {
        out.add(c);
      }
    }
    return out;
  }

  @Override
  public synchronized Optional<Path> file(String id) {
    StoredChart chart = charts.get(id);
    return chart == null ? Optional.empty()
        : Optional.of(directory.resolve(chart.fileName())).filter(Files::isRegularFile);
  }
}
