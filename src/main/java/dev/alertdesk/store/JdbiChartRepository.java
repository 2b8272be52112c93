package dev.alertdesk.store;

import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.graph.ChartRepository;
import dev.alertdesk.graph.StoredChart;
import dev.alertdesk.incident.StorageException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * {@link ChartRepository} on the {@code chart} table and PNG files in {@code STORAGE_DIR/charts/}.
 * Ids are 128 random bits from {@link SecureRandom}, written as 32 hex characters; the file is
 * {@code <id>.png}. A file is written to a temporary name, forced to disk and moved into place
 * before its row is inserted, so a row never names a half-written file.
 */
public final class JdbiChartRepository implements ChartRepository {
  private static final HexFormat HEX = HexFormat.of();

  private final Jdbi jdbi;
  private final Path directory;
  private final @Nullable Path slackAppDirectory;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param database a migrated database
   * @param directory where PNGs are kept, normally {@code STORAGE_DIR/charts}; created on first
   *     save
   * @param clock the source of {@code created_at}
   */
  public JdbiChartRepository(Database database, Path directory, Clock clock) {
    this(database, directory, null, clock);
  }

  /**
   * @param database a migrated database
   * @param directory where PNGs are kept, normally {@code STORAGE_DIR/charts}; created on first
   *     save
   * @param slackAppDirectory where the autometrics slack-app stored its charts
   *     ({@code STORAGE_DIR}), or null to serve none of them
   * @param clock the source of {@code created_at}
   */
  public JdbiChartRepository(Database database, Path directory, @Nullable Path slackAppDirectory,
      Clock clock) {
    this.jdbi = database.jdbi();
    this.directory = directory;
    this.slackAppDirectory = slackAppDirectory == null ? null
        : slackAppDirectory.toAbsolutePath().normalize();
    this.clock = clock;
  }

  @Override
  public Optional<Path> slackAppChart(long alertId) {
    Path dir = slackAppDirectory;
    if (dir == null) {
      return Optional.empty();
    }
    Optional<String> name;
    try {
      name = jdbi.withHandle(h -> h.createQuery(
              "SELECT chart_filename FROM slack_app_alert WHERE id = :id")
          .bind("id", alertId).mapTo(String.class).findOne());
    } catch (JdbiException e) {
      throw new StorageException("could not look up a slack-app chart", e);
    }
    return name.filter(n -> !n.isEmpty() && n.length() <= 255 && n.indexOf('/') < 0
            && n.indexOf('\\') < 0 && n.indexOf('\u0000') < 0 && !n.startsWith("."))
        .map(dir::resolve)
        .filter(p -> dir.equals(p.normalize().getParent()) && Files.isRegularFile(p));
  }

  @Override
  public StoredChart save(long incidentId, ChartKind kind, @Nullable Long outboxId, String query,
      byte[] png) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    String id = HEX.formatHex(bytes);
    String fileName = id + ".png";
    Instant now = clock.instant();
    try {
      Files.createDirectories(directory);
      Path tmp = directory.resolve("." + fileName + ".tmp");
      try (var channel = java.nio.channels.FileChannel.open(tmp,
          java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(png);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(tmp, directory.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, directory.resolve(fileName));
      }
    } catch (IOException e) {
      throw new StorageException("could not write chart file in " + directory, e);
    }
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO chart (id, incident_id, kind, created_at, "
              + "file_name, query, outbox_id) VALUES (:id, :incidentId, :kind, :createdAt, "
              + ":fileName, :query, :outboxId)")
          .bind("id", id).bind("incidentId", incidentId).bind("kind", kind.wire())
          .bind("createdAt", now.toEpochMilli()).bind("fileName", fileName).bind("query", query)
          .bind("outboxId", outboxId).execute());
    } catch (JdbiException e) {
      try {
        Files.deleteIfExists(directory.resolve(fileName));
      } catch (IOException ignored) {
        // the row is missing, so the file is an orphan either way
      }
      throw new StorageException("could not record chart for incident " + incidentId, e);
    }
    return new StoredChart(id, incidentId, kind, now, fileName, query);
  }

  @Override
  public Optional<StoredChart> forOutboxJob(long outboxId) {
    return query("SELECT * FROM chart WHERE outbox_id = :v ORDER BY created_at DESC LIMIT 1",
        outboxId).stream().findFirst();
  }

  @Override
  public List<StoredChart> chartsForIncident(long incidentId) {
    return query("SELECT * FROM chart WHERE incident_id = :v ORDER BY created_at, id", incidentId);
  }

  @Override
  public Optional<Path> file(String id) {
    if (!ID.matcher(id).matches()) {
      return Optional.empty();
    }
    Optional<String> name;
    try {
      name = jdbi.withHandle(h -> h.createQuery("SELECT file_name FROM chart WHERE id = :id")
          .bind("id", id).mapTo(String.class).findOne());
    } catch (JdbiException e) {
      throw new StorageException("could not look up chart", e);
    }
    return name.map(directory::resolve).filter(Files::isRegularFile);
  }

  private List<StoredChart> query(String sql, long value) {
    try {
      // A chart of a kind a newer version wrote is left out, never a failed page.
      return jdbi.withHandle(h -> h.createQuery(sql).bind("v", value)
          .map((rs, ctx) -> {
            Optional<ChartKind> kind = ChartKind.known(rs.getString("kind"));
            return kind.isEmpty() ? Optional.<StoredChart>empty() : Optional.of(new StoredChart(
                rs.getString("id"), rs.getLong("incident_id"), kind.get(),
                Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("file_name"),
                rs.getString("query")));
          })
          .list()).stream().flatMap(Optional::stream).toList();
    } catch (JdbiException e) {
      throw new StorageException("could not load charts", e);
    }
  }
}
