package dev.alertdesk.store;

import dev.alertdesk.config.DatabaseTarget;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the autometrics slack-app's {@code alerts} rows into {@code slack_app_alert} when its
 * table sits in the same database (a drop-in on its {@code DB_CONNECTION_STRING}). The slack-app's
 * schema is its sqlx migration {@code 20230911142200_initial.sql}: one row per alert fingerprint
 * with {@code resolved}, {@code slack_channel}, {@code slack_ts}, {@code chart_filename} and the
 * SLO labels {@code sloth_service}, {@code sloth_slo}, {@code objective_name}, {@code severity}.
 *
 * <p>Its table is only read. Rows already imported are skipped, so every start may run it; at
 * most {@value #MAX_ROWS} rows (the newest) are imported. A table named {@code alerts} without
 * those columns belongs to someone else and is left alone, with a warning.
 */
final class SlackAppImport {
  private static final Logger log = LoggerFactory.getLogger(SlackAppImport.class);

  /** Rows imported at most, the newest by id. */
  static final int MAX_ROWS = 100_000;

  private static final Set<String> COLUMNS = Set.of("id", "fingerprint", "resolved",
      "slack_channel", "slack_ts", "chart_filename", "sloth_service", "sloth_slo",
      "objective_name", "severity", "created_at");

  private SlackAppImport() {}

  /**
   * Imports new rows, if the slack-app's table is there.
   *
   * @return the number of rows imported now (0 when there is no such table); never throws: a
   *     failure is logged and 0 returned, since the import must not keep Alertdesk from starting
   */
  static int run(Jdbi jdbi, DataSource dataSource, DatabaseTarget target) {
    try {
      if (!hasSlackAppTable(dataSource)) {
        return 0;
      }
      int imported = jdbi.inTransaction(h -> h.createUpdate(
              "INSERT INTO slack_app_alert (id, fingerprint, resolved, slack_channel, slack_ts, "
                  + "chart_filename, sloth_service, sloth_slo, objective_name, severity, "
                  + "created_at) "
                  + "SELECT a.id, a.fingerprint, CASE WHEN a.resolved THEN 1 ELSE 0 END, "
                  + "a.slack_channel, a.slack_ts, a.chart_filename, a.sloth_service, a.sloth_slo, "
                  + "a.objective_name, a.severity, CAST(a.created_at AS TEXT) FROM alerts a "
                  + "WHERE NOT EXISTS (SELECT 1 FROM slack_app_alert s WHERE s.id = a.id) "
                  + "ORDER BY a.id DESC LIMIT " + MAX_ROWS)
          .execute());
      int open = jdbi.withHandle(h -> h.createQuery(
              "SELECT COUNT(*) FROM slack_app_alert WHERE resolved = 0 AND slack_ts IS NOT NULL "
                  + "AND adopted_incident_id IS NULL")
          .mapTo(Integer.class).one());
      log.info("autometrics slack-app tables found in {}: they stay untouched; Alertdesk keeps its "
          + "own tables beside them. Imported {} alerts rows now; {} still-firing alerts will "
          + "update their existing Slack message", target, imported, open);
      return imported;
    } catch (JdbiException | SQLException e) {
      log.warn("a table named alerts exists but could not be imported as the autometrics "
          + "slack-app's: {}", e.getMessage());
      return 0;
    }
  }

  /** Returns true when a table {@code alerts} has every column of the slack-app's schema. */
  private static boolean hasSlackAppTable(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      Set<String> columns = new HashSet<>();
      for (String name : new String[] {"alerts", "ALERTS"}) {
        try (ResultSet rs = c.getMetaData().getColumns(null, null, name, null)) {
          while (rs.next()) {
            columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
          }
        }
      }
      if (columns.isEmpty()) {
        return false;
      }
      if (!columns.containsAll(COLUMNS)) {
        log.warn("a table named alerts exists but is not the autometrics slack-app's (columns {}); "
            + "not imported", columns);
        return false;
      }
      return true;
    }
  }
}
