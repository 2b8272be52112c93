package dev.alertdesk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A SQLite file as the autometrics slack-app leaves it: its real schema
 * ({@code src/test/resources/slack-app/schema.sql}: sqlx's {@code _sqlx_migrations} and the
 * {@code alerts} table of its migration {@code 20230911142200_initial.sql}), its migration row,
 * and the {@code alerts} rows a test adds, written as sqlx writes them (booleans as 0/1,
 * timestamps as text).
 */
public final class SlackAppDatabase {
  private final Path file;

  private SlackAppDatabase(Path file) {
    this.file = file;
  }

  /**
   * Creates the file with the slack-app's schema and its one applied migration.
   *
   * @param file the database file to create
   * @return the database
   */
  public static SlackAppDatabase create(Path file) throws SQLException {
    SlackAppDatabase db = new SlackAppDatabase(file);
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      for (String sql : schema().split(";")) {
        String stripped = sql.lines().filter(l -> !l.strip().startsWith("--"))
            .reduce("", (a, b) -> a + "\n" + b).strip();
        if (!stripped.isEmpty()) {
          s.execute(stripped);
        }
      }
      s.execute("INSERT INTO _sqlx_migrations (version, description, success, checksum, "
          + "execution_time) VALUES (20230911142200, 'initial', 1, x'00ff', 1234)");
    }
    return db;
  }

  /**
   * Adds an {@code alerts} row as the slack-app's {@code alert_create} writes it.
   *
   * @return its id
   */
  public long insert(String fingerprint, boolean resolved, @Nullable String channel,
      @Nullable String ts, @Nullable String chartFilename, String slothSlo, String objectiveName,
      String severity) throws SQLException {
    try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
        "INSERT INTO alerts (text, resolved, fingerprint, notebook_id, chart_filename, "
            + "slack_channel, slack_ts, sloth_slo, sloth_service, objective_name, severity, "
            + "created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, 'autometrics', ?, ?, "
            + "'2026-12-04 09:00:00.123456789+00:00', '2026-12-04 09:05:00.5+00:00') "
            + "RETURNING id")) {
      p.setString(1, "High error rate on SLO: " + objectiveName);
      p.setBoolean(2, resolved);
      p.setString(3, fingerprint);
      p.setString(4, chartFilename);
      p.setString(5, channel);
      p.setString(6, ts);
      p.setString(7, slothSlo);
      p.setString(8, objectiveName);
      p.setString(9, severity);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Returns every row of a slack-app table as text, in rowid order, for before/after checks. */
  public List<String> dump(String table) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY rowid")) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i == 1 ? "" : "|").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  /** Returns the names of every table in the file. */
  public List<String> tables() throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  /** Returns the database file. */
  public Path file() {
    return file;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file);
  }

  private static String schema() {
    try (InputStream in = SlackAppDatabase.class.getResourceAsStream("/slack-app/schema.sql")) {
      if (in == null) {
        throw new IllegalStateException("missing /slack-app/schema.sql");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
