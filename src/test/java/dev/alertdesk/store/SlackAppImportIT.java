package dev.alertdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.testing.SlackAppDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alertdesk's migrations on a SQLite file that already holds other applications' tables: the
 * autometrics slack-app's real schema and rows, and a foreign table that only shares the name
 * {@code alerts}.
 */
class SlackAppImportIT {
  @TempDir Path dir;

  @Test
  void migratesBesideTheSlackAppTablesAndImportsItsRowsOnce() throws Exception {
    SlackAppDatabase slackApp = SlackAppDatabase.create(dir.resolve("slack-app.db"));
    long firing = slackApp.insert("aaaaaaaaaaaaaaaa", false, "C01", "1700000000.000100",
        "2026-12-04T09:00:00Z-success-rate-99.png", "success-rate-99", "api", "page");
    long resolved = slackApp.insert("bbbbbbbbbbbbbbbb", true, "C01", "1700000001.000100", null,
        "latency-99", "api latency", "ticket");
    List<String> before = slackApp.dump("alerts");

    try (Database db = Database.open(DatabaseTarget.parse(
        "sqlite://" + dir.resolve("slack-app.db") + "?mode=rwc"))) {
      db.migrate();
      db.migrate();
      List<Map<String, Object>> rows = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT id, fingerprint, resolved, slack_channel, slack_ts, chart_filename, sloth_slo, "
              + "objective_name, severity FROM slack_app_alert ORDER BY id").mapToMap().list());
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0)).containsEntry("id", (int) firing).containsEntry("resolved", 0)
          .containsEntry("fingerprint", "aaaaaaaaaaaaaaaa").containsEntry("slack_channel", "C01")
          .containsEntry("slack_ts", "1700000000.000100")
          .containsEntry("chart_filename", "2026-12-04T09:00:00Z-success-rate-99.png")
          .containsEntry("sloth_slo", "success-rate-99").containsEntry("objective_name", "api")
          .containsEntry("severity", "page");
      assertThat(rows.get(1)).containsEntry("id", (int) resolved).containsEntry("resolved", 1);
      List<String> versions = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT version FROM flyway_schema_history ORDER BY installed_rank")
          .mapTo(String.class).list());
      assertThat(versions).startsWith("0", "1");
    }
    assertThat(slackApp.dump("alerts")).isEqualTo(before);
    assertThat(slackApp.tables()).contains("alerts", "_sqlx_migrations", "incident");
  }

  @Test
  void aForeignTableNamedAlertsIsLeftAloneAndNothingIsImported() throws Exception {
    Path file = dir.resolve("other.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE alerts (id INTEGER PRIMARY KEY, name TEXT)");
      s.execute("INSERT INTO alerts (name) VALUES ('not the slack-app')");
    }
    try (Database db = Database.open(DatabaseTarget.parse("sqlite://" + file))) {
      db.migrate();
      assertThat(db.isMigrated()).isTrue();
      int imported = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM slack_app_alert").mapTo(Integer.class).one());
      assertThat(imported).isZero();
      List<String> names = db.jdbi().withHandle(h -> h.createQuery("SELECT name FROM alerts")
          .mapTo(String.class).list());
      assertThat(names).containsExactly("not the slack-app");
    }
  }
}
