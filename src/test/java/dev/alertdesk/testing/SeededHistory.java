package dev.alertdesk.testing;

import dev.alertdesk.app.Application;
import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.config.Settings;
import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.graph.HistoryCharts;
import dev.alertdesk.graph.StoredChart;
import dev.alertdesk.store.JdbiChartRepository;
import java.nio.file.Path;
import java.util.Map;

/**
 * The running service (no Slack) on its own clock, with {@link HistorySeed}'s incidents posted
 * as webhooks, plus a {@link StoreFixture} on the same database for SQL checks and for writing
 * what other features would (audit rows, charts).
 */
public final class SeededHistory implements AutoCloseable {
  private final Path storage;
  private final MutableClock clock = new MutableClock(HistorySeed.at("2026-03-01T09:00:00Z"));
  private final Application app;
  private final AlertdeskClient client;
  private final StoreFixture store;

  /**
   * Starts the service and posts the seed.
   *
   * @param storage its {@code STORAGE_DIR}
   * @param connectionString its {@code DB_CONNECTION_STRING}, an empty database
   */
  public SeededHistory(Path storage, String connectionString) {
    this.storage = storage;
    this.app = Application.start(Settings.load(Map.of("PORT", "0", "STORAGE_DIR",
        storage.toString(), "DB_CONNECTION_STRING", connectionString)), clock);
    this.client = new AlertdeskClient(app.port());
    this.store = new StoreFixture(DatabaseTarget.parse(connectionString), false);
    HistorySeed.post(client, clock);
  }

  public MutableClock clock() {
    return clock;
  }

  public AlertdeskClient client() {
    return client;
  }

  public StoreFixture store() {
    return store;
  }

  /** Returns the directory chart PNGs live in. */
  public Path chartDirectory() {
    return storage.resolve("charts");
  }

  /** Stores a real PNG for an incident as the graph enrichment does. */
  public StoredChart chart(long incidentId, ChartKind kind, String query) {
    return new JdbiChartRepository(store.database(), chartDirectory(), clock)
        .save(incidentId, kind, null, query, HistoryCharts.perDay(query, Map.of(), 400, 200));
  }

  /** Appends an audit row for an incident, as the actions feature records one. */
  public void audit(long incidentId, String userName, String action, String parametersJson,
      String at) {
    store.execute("INSERT INTO audit_log (at, user_id, user_name, action, incident_id, "
        + "target_json, parameters_json, result, prev_hash, hash) VALUES (?, 'U-" + userName
        + "', ?, ?, ?, '{}', ?, 'success', 'p', 'h')", HistorySeed.at(at).toEpochMilli(),
        userName, action, incidentId, parametersJson);
  }

  /** Stops the service and closes the database. */
  @Override
  public void close() {
    try {
      app.close();
    } finally {
      store.close();
    }
  }
}
