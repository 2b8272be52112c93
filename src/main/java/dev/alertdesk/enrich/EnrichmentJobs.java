package dev.alertdesk.enrich;

import dev.alertdesk.graph.ChartKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The queue of {@link EnrichmentJob}s. Jobs are written in the ingest transaction (see
 * {@code store.JdbiEnrichmentJobs#enqueue}); a worker or a Slack graph upload claims one with a
 * lease, so across replicas only one renders a given chart; a claim whose lease expired (a
 * crashed replica) may be taken again. Implementations throw
 * {@link dev.alertdesk.incident.StorageException} when the database fails.
 */
public interface EnrichmentJobs {
  /**
   * Returns the job of an incident, chart kind and episode, writing a pending one first when there
   * is none (an incident from before this table, or a graph asked for outside an open, reopen or
   * resolve).
   *
   * @param now the creation and due time of a new job
   */
  EnrichmentJob findOrCreate(long incidentId, ChartKind kind, int episode, Instant now);

  /**
   * Claims pending jobs due at {@code now}, oldest first, for {@code lease}.
   *
   * @param limit at most this many
   * @return the claimed jobs; empty when none is due
   */
  List<EnrichmentJob> claimDue(Instant now, Duration lease, String workerId, int limit);

  /**
   * Claims one pending job now, due or not (a Slack upload that needs its chart now).
   *
   * @return true when claimed; false when it is finished or another worker holds its lease
   */
  boolean claim(long jobId, Instant now, Duration lease, String workerId);

  /**
   * Finishes a claimed job with its chart.
   *
   * @param chartId the stored chart's id
   * @param caption what the chart shows, for its upload comment
   * @param valueLine the value line, or null when none
   */
  void done(long jobId, String chartId, String caption, @Nullable String valueLine, Instant now);

  /** Finishes a claimed job without a chart, for {@code reason}, said in {@code note}. */
  void degraded(long jobId, @Nullable String valueLine, String reason, String note, Instant now);

  /**
   * Releases a claimed job to run again at {@code next}, counting one more failed attempt, and
   * records why for the incident page meanwhile.
   */
  void retry(long jobId, Instant next, @Nullable String valueLine, String reason, String note);

  /** Releases a claim without counting an attempt (the worker is stopping). */
  void release(long jobId);

  /** Returns a job by id. */
  Optional<EnrichmentJob> find(long jobId);

  /** Returns an incident's jobs, oldest first; at most 50, the newest. */
  List<EnrichmentJob> forIncident(long incidentId);
}
