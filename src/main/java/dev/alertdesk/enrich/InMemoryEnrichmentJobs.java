package dev.alertdesk.enrich;

import dev.alertdesk.graph.ChartKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** {@link EnrichmentJobs} in memory, for a dry run: one process, no leases needed. */
final class InMemoryEnrichmentJobs implements EnrichmentJobs {
  private final Map<Long, EnrichmentJob> jobs = new LinkedHashMap<>();
  private long nextId = 1;

  @Override
  public synchronized EnrichmentJob findOrCreate(long incidentId, ChartKind kind, int episode,
      Instant now) {
    for (EnrichmentJob j : jobs.values()) {
      if (j.incidentId() == incidentId && j.kind() == kind && j.episode() == episode) {
        return j;
      }
    }
    EnrichmentJob job = new EnrichmentJob(nextId++, incidentId, kind, episode,
        EnrichmentJob.Status.PENDING, 0, now, null, null, null, null, null, null);
    jobs.put(job.id(), job);
    return job;
  }

  @Override
  public synchronized List<EnrichmentJob> claimDue(Instant now, Duration lease, String workerId,
      int limit) {
    return List.of();
  }

  @Override
  public synchronized boolean claim(long jobId, Instant now, Duration lease, String workerId) {
    EnrichmentJob j = jobs.get(jobId);
    return j != null && j.status() == EnrichmentJob.Status.PENDING;
  }

  @Override
  public synchronized void done(long jobId, String chartId, String caption,
      @Nullable String valueLine, Instant now) {
    EnrichmentJob j = jobs.get(jobId);
    jobs.put(jobId, new EnrichmentJob(jobId, j.incidentId(), j.kind(), j.episode(),
        EnrichmentJob.Status.DONE, j.attempts(), j.nextAttemptAt(), chartId, caption, valueLine,
        null, null, now));
  }

  @Override
  public synchronized void degraded(long jobId, @Nullable String valueLine, String reason,
      String note, Instant now) {
    EnrichmentJob j = jobs.get(jobId);
    jobs.put(jobId, new EnrichmentJob(jobId, j.incidentId(), j.kind(), j.episode(),
        EnrichmentJob.Status.DEGRADED, j.attempts(), j.nextAttemptAt(), null, null, valueLine,
        reason, note, now));
  }

  @Override
  public synchronized void retry(long jobId, Instant next, @Nullable String valueLine,
      String reason, String note) {
    EnrichmentJob j = jobs.get(jobId);
    jobs.put(jobId, new EnrichmentJob(jobId, j.incidentId(), j.kind(), j.episode(),
        EnrichmentJob.Status.PENDING, j.attempts() + 1, next, null, null, valueLine, reason, note,
        null));
  }

  @Override
  public void release(long jobId) {
    // no leases in memory
  }

  @Override
  public synchronized Optional<EnrichmentJob> find(long jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  @Override
  public synchronized List<EnrichmentJob> forIncident(long incidentId) {
    List<EnrichmentJob> out = new ArrayList<>();
    for (EnrichmentJob j : jobs.values()) {
      if (j.incidentId() == incidentId) {
        out.add(j);
      }
    }
    return out.size() <= 50 ? out : out.subList(out.size() - 50, out.size());
  }
}
