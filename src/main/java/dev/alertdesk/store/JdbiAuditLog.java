package dev.alertdesk.store;

import dev.alertdesk.audit.AuditChain;
import dev.alertdesk.audit.AuditEntry;
import dev.alertdesk.audit.AuditLog;
import dev.alertdesk.audit.AuditRecord;
import dev.alertdesk.incident.StorageException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * {@link AuditLog} on the {@code audit_log} table, with the chain head in {@code audit_head}.
 * An append first updates the head row, which takes a row lock on PostgreSQL (and the write lock
 * on SQLite), so appends are serial across replicas; the row id is the head's id plus one, so
 * ids have no gaps.
 */
public final class JdbiAuditLog implements AuditLog {
  private static final int MAX_LIMIT = 10_000;

  private final Database database;

  /** @param database a migrated database */
  public JdbiAuditLog(Database database) {
    this.database = database;
  }

  /**
   * Appends one row on the caller's transaction, chained to the previous row.
   *
   * @param h a handle inside a transaction
   * @param entry the action to record
   * @return the stored row
   */
  static AuditRecord append(Handle h, AuditEntry entry) {
    h.createUpdate("UPDATE audit_head SET last_id = last_id WHERE id = 1").execute();
    Map.Entry<Long, String> head = h.createQuery("SELECT last_id, last_hash FROM audit_head WHERE id = 1")
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
        .one();
    // Hash exactly what the text columns store (NUL replaced, see Database.storable).
    AuditRecord unsigned = new AuditRecord(head.getKey() + 1, entry.at(),
        Database.storable(entry.userId()), Database.storable(entry.userName()),
        Database.storable(entry.action()), entry.incidentId(),
        StoreJson.write(new TreeMap<>(entry.target())),
        StoreJson.write(new TreeMap<>(entry.parameters())),
        entry.result().wire(), Database.storable(entry.error()), head.getValue(), "");
    String hash = AuditChain.hash(head.getValue(), unsigned);
    h.createUpdate("INSERT INTO audit_log (id, at, user_id, user_name, action, incident_id, "
            + "target_json, parameters_json, result, error, prev_hash, hash) VALUES (:id, :at, "
            + ":userId, :userName, :action, :incidentId, :target, :parameters, :result, :error, "
            + ":prevHash, :hash)")
        .bind("id", unsigned.id())
        .bind("at", unsigned.at().toEpochMilli())
        .bind("userId", unsigned.userId())
        .bind("userName", unsigned.userName())
        .bind("action", unsigned.action())
        .bind("incidentId", unsigned.incidentId())
        .bind("target", unsigned.targetJson())
        .bind("parameters", unsigned.parametersJson())
        .bind("result", unsigned.result())
        .bind("error", unsigned.error())
        .bind("prevHash", unsigned.prevHash())
        .bind("hash", hash)
        .execute();
    h.createUpdate("UPDATE audit_head SET last_id = :id, last_hash = :hash WHERE id = 1")
        .bind("id", unsigned.id()).bind("hash", hash).execute();
    return new AuditRecord(unsigned.id(), unsigned.at(), unsigned.userId(), unsigned.userName(),
        unsigned.action(), unsigned.incidentId(), unsigned.targetJson(), unsigned.parametersJson(),
        unsigned.result(), unsigned.error(), unsigned.prevHash(), hash);
  }

  @Override
  public List<AuditRecord> list(@Nullable Instant since, @Nullable Long incidentId, int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT);
    }
    StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
    if (since != null) {
      sql.append(" AND at >= :since");
    }
    if (incidentId != null) {
      sql.append(" AND incident_id = :incidentId");
    }
    sql.append(" ORDER BY id LIMIT :limit");
    return storage("read the audit log", () -> jdbi().withHandle(h -> {
      var q = h.createQuery(sql.toString()).bind("limit", limit);
      if (since != null) {
        q.bind("since", since.toEpochMilli());
      }
      if (incidentId != null) {
        q.bind("incidentId", incidentId);
      }
      return q.map((rs, ctx) -> row(rs)).list();
    }));
  }

  @Override
  public List<AuditRecord> forIncident(long incidentId) {
    return storage("read the audit log", () -> jdbi().withHandle(h -> h.createQuery(
            "SELECT * FROM (SELECT * FROM audit_log WHERE incident_id = :id ORDER BY id DESC "
            + "LIMIT 1000) newest ORDER BY id")
        .bind("id", incidentId).map((rs, ctx) -> row(rs)).list()));
  }

  @Override
  public Optional<AuditChain.Break> verify() {
    return storage("verify the audit log", () -> jdbi().inTransaction(h -> {
      Map.Entry<Long, String> head = h.createQuery(
              "SELECT last_id, last_hash FROM audit_head WHERE id = 1")
          .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).one();
      List<AuditRecord> rows = new ArrayList<>();
      h.createQuery("SELECT * FROM audit_log ORDER BY id").map((rs, ctx) -> row(rs))
          .forEach(rows::add);
      return AuditChain.verify(rows, head.getValue(), head.getKey());
    }));
  }

  @Override
  public long count() {
    return storage("count the audit log", () -> jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM audit_log").mapTo(Long.class).one()));
  }

  private static AuditRecord row(ResultSet rs) throws SQLException {
    long incident = rs.getLong("incident_id");
    Long incidentId = rs.wasNull() ? null : incident;
    return new AuditRecord(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("at")),
        rs.getString("user_id"), rs.getString("user_name"), rs.getString("action"), incidentId,
        rs.getString("target_json"), rs.getString("parameters_json"), rs.getString("result"),
        rs.getString("error"), rs.getString("prev_hash"), rs.getString("hash"));
  }

  private Jdbi jdbi() {
    if (!database.isMigrated()) {
      throw new StorageException("the database is not migrated yet",
          new IllegalStateException("not ready"));
    }
    return database.jdbi();
  }

  private static <T> T storage(String what, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (JdbiException e) {
      throw new StorageException("could not " + what, e);
    }
  }
}
