package dev.alertdesk.store;

import dev.alertdesk.command.CommandStore;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.StorageException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * {@link CommandStore} on SQLite or PostgreSQL: invocations in {@code slack_command} (rows older
 * than {@link #KEEP} are deleted as new ones arrive), incidents read with their parent message
 * in the asking channel ({@code slack_message.channel_id}), their response and the latest value
 * line their enrichment stored.
 */
public final class JdbiCommandStore implements CommandStore {
  /** How long an invocation key is kept: Slack redelivers an envelope within minutes. */
  static final Duration KEEP = Duration.ofDays(1);

  private static final String LISTED = "SELECT i.id, i.status, i.alertname, i.group_labels_json, "
      + "i.started_at, i.firing_count, i.resolved_count, i.common_annotations_json, "
      + "i.external_url, m.channel_id, m.ts, r.acknowledged_by_id, "
      + "CASE WHEN r.silence_id IS NULL THEN NULL ELSE r.silenced_until END AS silenced_until "
      + "FROM incident i JOIN slack_message m ON m.incident_id = i.id "
      + "LEFT JOIN incident_response r ON r.incident_id = i.id ";

  private final Database database;

  /** @param database a migrated database */
  public JdbiCommandStore(Database database) {
    this.database = database;
  }

  @Override
  public boolean accept(String commandKey, Instant now) {
    return storage("record a slash command", () -> jdbi().inTransaction(h -> {
      h.createUpdate("DELETE FROM slack_command WHERE received_at < :before")
          .bind("before", now.minus(KEEP).toEpochMilli()).execute();
      return h.createUpdate("INSERT INTO slack_command (command_key, received_at) "
              + "VALUES (:key, :now) ON CONFLICT (command_key) DO NOTHING")
          .bind("key", commandKey).bind("now", now.toEpochMilli()).execute() == 1;
    }));
  }

  @Override
  public List<Listed> openIn(String channelId, int limit) {
    return storage("list open incidents", () -> jdbi().withHandle(h -> h.createQuery(LISTED
            + "WHERE m.channel_id = :channelId AND i.status <> :resolved "
            + "ORDER BY i.id DESC LIMIT :limit")
        .bind("channelId", channelId).bind("resolved", IncidentStatus.RESOLVED.wire())
        .bind("limit", Math.max(1, limit))
        .map((rs, ctx) -> listed(rs)).list()));
  }

  @Override
  public int countOpenIn(String channelId) {
    return storage("count open incidents", () -> jdbi().withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM incident i JOIN slack_message m ON m.incident_id = i.id "
                + "WHERE m.channel_id = :channelId AND i.status <> :resolved")
        .bind("channelId", channelId).bind("resolved", IncidentStatus.RESOLVED.wire())
        .mapTo(Integer.class).one()));
  }

  @Override
  public Optional<Shown> showIn(long incidentId, String channelId) {
    return storage("read incident " + incidentId, () -> jdbi().withHandle(h -> {
      Optional<Shown> found = h.createQuery(LISTED
              + "WHERE i.id = :id AND m.channel_id = :channelId")
          .bind("id", incidentId).bind("channelId", channelId)
          .map((rs, ctx) -> new Shown(listed(rs), rs.getInt("resolved_count"),
              StoreJson.labels(rs.getString("common_annotations_json")),
              rs.getString("external_url"), null, null))
          .findFirst();
      return found.map(shown -> withValue(h, shown));
    }));
  }

  private static Shown withValue(Handle h, Shown shown) {
    return h.createQuery("SELECT value_line, finished_at FROM enrichment_job "
            + "WHERE incident_id = :id AND value_line IS NOT NULL ORDER BY id DESC LIMIT 1")
        .bind("id", shown.incident().id())
        .map((rs, ctx) -> new Shown(shown.incident(), shown.resolvedCount(),
            shown.commonAnnotations(), shown.externalUrl(), rs.getString("value_line"),
            instant(rs, "finished_at")))
        .findFirst().orElse(shown);
  }

  private static Listed listed(ResultSet rs) throws SQLException {
    return new Listed(rs.getLong("id"), IncidentStatus.fromWire(rs.getString("status")),
        rs.getString("alertname"), StoreJson.labels(rs.getString("group_labels_json")),
        Instant.ofEpochMilli(rs.getLong("started_at")), rs.getInt("firing_count"),
        rs.getString("acknowledged_by_id"), instant(rs, "silenced_until"),
        rs.getString("channel_id"), rs.getString("ts"));
  }

  private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private Jdbi jdbi() {
    if (!database.isMigrated()) {
      throw new StorageException("the database is not migrated yet",
          new IllegalStateException("not ready"));
    }
    return database.jdbi();
  }

  private static <T> T storage(String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (JdbiException e) {
      throw new StorageException("could not " + what, e);
    }
  }
}
