package dev.alertdesk.store;

import dev.alertdesk.enrich.EnrichmentJob;
import dev.alertdesk.enrich.EnrichmentJobs;
import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.incident.StorageException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * {@link EnrichmentJobs} on the {@code enrichment_job} table. A claim is a conditional update of
 * {@code locked_until}/{@code locked_by}, as the outbox claims its jobs, so it works the same on
 * SQLite and on PostgreSQL with several replicas.
 */
public final class JdbiEnrichmentJobs implements EnrichmentJobs {
  private static final String PENDING = EnrichmentJob.Status.PENDING.wire();
  private static final int MAX_NOTE_CHARS = 1000;
  private static final int MAX_PER_INCIDENT = 50;

  private final Jdbi jdbi;

  /** @param database a migrated database */
  public JdbiEnrichmentJobs(Database database) {
    this.jdbi = database.jdbi();
  }

  /**
   * Writes the enrichment job an ingest decision calls for, inside the ingest transaction: a
   * firing chart after an open or reopen, a resolved chart after a resolve; nothing for other
   * outcomes, or when the job for that incident, kind and episode exists already.
   *
   * @param h the ingest transaction's handle
   * @param incident the stored incident (with its id)
   * @param outcome what the notification did
   * @param nowMillis the received time, UTC epoch milliseconds
   */
  public static void enqueue(Handle h, Incident incident, NotificationOutcome outcome,
      long nowMillis) {
    ChartKind kind = EnrichmentJob.kindAfter(outcome);
    if (kind == null || incident.id() == null) {
      return;
    }
    insert(h, incident.id(), kind, incident.reopenCount(), nowMillis);
  }

  private static void insert(Handle h, long incidentId, ChartKind kind, int episode,
      long nowMillis) {
    h.createUpdate("INSERT INTO enrichment_job (incident_id, kind, episode, status, attempts, "
            + "next_attempt_at, created_at) VALUES (:incidentId, :kind, :episode, :pending, 0, "
            + ":now, :now) ON CONFLICT (incident_id, kind, episode) DO NOTHING")
        .bind("incidentId", incidentId).bind("kind", kind.wire()).bind("episode", episode)
        .bind("pending", PENDING).bind("now", nowMillis).execute();
  }

  @Override
  public EnrichmentJob findOrCreate(long incidentId, ChartKind kind, int episode, Instant now) {
    return storage("load an enrichment job", () -> jdbi.inTransaction(h -> {
      insert(h, incidentId, kind, episode, now.toEpochMilli());
      return h.createQuery("SELECT * FROM enrichment_job WHERE incident_id = :incidentId "
              + "AND kind = :kind AND episode = :episode")
          .bind("incidentId", incidentId).bind("kind", kind.wire()).bind("episode", episode)
          .map((rs, ctx) -> job(rs)).one();
    }));
  }

  @Override
  public List<EnrichmentJob> claimDue(Instant now, Duration lease, String workerId, int limit) {
    long nowMillis = now.toEpochMilli();
    return storage("claim enrichment jobs", () -> jdbi.inTransaction(h -> {
      List<EnrichmentJob> candidates = h.createQuery("SELECT * FROM enrichment_job "
              + "WHERE status = :pending AND next_attempt_at <= :now "
              + "AND (locked_until IS NULL OR locked_until < :now) ORDER BY id LIMIT :limit")
          .bind("pending", PENDING).bind("now", nowMillis).bind("limit", limit)
          .map((rs, ctx) -> job(rs)).list();
      List<EnrichmentJob> claimed = new ArrayList<>();
      for (EnrichmentJob job : candidates) {
        if (claim(h, job.id(), nowMillis, lease, workerId)) {
          claimed.add(job);
        }
      }
      return claimed;
    }));
  }

  @Override
  public boolean claim(long jobId, Instant now, Duration lease, String workerId) {
    return storage("claim an enrichment job", () -> jdbi.withHandle(h ->
        claim(h, jobId, now.toEpochMilli(), lease, workerId)));
  }

  private static boolean claim(Handle h, long jobId, long nowMillis, Duration lease,
      String workerId) {
    return h.createUpdate("UPDATE enrichment_job SET locked_until = :until, locked_by = :worker "
            + "WHERE id = :id AND status = :pending "
            + "AND (locked_until IS NULL OR locked_until < :now)")
        .bind("until", nowMillis + lease.toMillis()).bind("worker", workerId).bind("id", jobId)
        .bind("pending", PENDING).bind("now", nowMillis).execute() == 1;
  }

  @Override
  public void done(long jobId, String chartId, String caption, @Nullable String valueLine,
      Instant now) {
    storage("finish an enrichment job", () -> jdbi.withHandle(h -> h.createUpdate(
            "UPDATE enrichment_job SET status = :status, chart_id = :chartId, caption = :caption, "
                + "value_line = :valueLine, degraded_reason = NULL, note = NULL, "
                + "finished_at = :now, locked_until = NULL, locked_by = NULL WHERE id = :id")
        .bind("status", EnrichmentJob.Status.DONE.wire()).bind("chartId", chartId)
        .bind("caption", clip(caption)).bind("valueLine", valueLine)
        .bind("now", now.toEpochMilli()).bind("id", jobId).execute()));
  }

  @Override
  public void degraded(long jobId, @Nullable String valueLine, String reason, String note,
      Instant now) {
    storage("finish an enrichment job", () -> jdbi.withHandle(h -> h.createUpdate(
            "UPDATE enrichment_job SET status = :status, value_line = :valueLine, "
                + "degraded_reason = :reason, note = :note, finished_at = :now, "
                + "locked_until = NULL, locked_by = NULL WHERE id = :id")
        .bind("status", EnrichmentJob.Status.DEGRADED.wire()).bind("valueLine", valueLine)
        .bind("reason", reason).bind("note", clip(note)).bind("now", now.toEpochMilli())
        .bind("id", jobId).execute()));
  }

  @Override
  public void retry(long jobId, Instant next, @Nullable String valueLine, String reason,
      String note) {
    storage("reschedule an enrichment job", () -> jdbi.withHandle(h -> h.createUpdate(
            "UPDATE enrichment_job SET attempts = attempts + 1, next_attempt_at = :next, "
                + "value_line = :valueLine, degraded_reason = :reason, note = :note, "
                + "locked_until = NULL, locked_by = NULL WHERE id = :id AND status = :pending")
        .bind("next", next.toEpochMilli()).bind("valueLine", valueLine).bind("reason", reason)
        .bind("note", clip(note)).bind("id", jobId).bind("pending", PENDING).execute()));
  }

  @Override
  public void release(long jobId) {
    storage("release an enrichment job", () -> jdbi.withHandle(h -> h.createUpdate(
            "UPDATE enrichment_job SET locked_until = NULL, locked_by = NULL WHERE id = :id")
        .bind("id", jobId).execute()));
  }

  @Override
  public Optional<EnrichmentJob> find(long jobId) {
    return storage("load an enrichment job", () -> jdbi.withHandle(h -> h.createQuery(
            "SELECT * FROM enrichment_job WHERE id = :id")
        .bind("id", jobId).map((rs, ctx) -> job(rs)).findOne()));
  }

  @Override
  public List<EnrichmentJob> forIncident(long incidentId) {
    List<EnrichmentJob> newest = storage("load enrichment jobs", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT * FROM enrichment_job WHERE incident_id = :id "
                + "ORDER BY id DESC LIMIT :limit")
            .bind("id", incidentId).bind("limit", MAX_PER_INCIDENT)
            .map((rs, ctx) -> job(rs)).list()));
    List<EnrichmentJob> oldestFirst = new ArrayList<>(newest);
    java.util.Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  private static EnrichmentJob job(ResultSet rs) throws SQLException {
    long finished = rs.getLong("finished_at");
    Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
    return new EnrichmentJob(rs.getLong("id"), rs.getLong("incident_id"),
        ChartKind.fromWire(rs.getString("kind")), rs.getInt("episode"),
        EnrichmentJob.Status.fromWire(rs.getString("status")), rs.getInt("attempts"),
        Instant.ofEpochMilli(rs.getLong("next_attempt_at")), rs.getString("chart_id"),
        rs.getString("caption"), rs.getString("value_line"), rs.getString("degraded_reason"),
        rs.getString("note"),
        finishedAt);
  }

  private static String clip(String s) {
    return s.length() <= MAX_NOTE_CHARS ? s : s.substring(0, MAX_NOTE_CHARS - 1) + "…";
  }

  private static <T> T storage(String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (JdbiException e) {
      throw new StorageException("could not " + what, e);
    }
  }
}
