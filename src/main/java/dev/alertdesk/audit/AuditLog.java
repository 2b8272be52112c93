package dev.alertdesk.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads and verifies the audit log. Rows are appended only by the action store, inside the
 * transaction of the state change they record. All methods throw
 * {@link dev.alertdesk.incident.StorageException} when the database fails.
 */
public interface AuditLog {
  /**
   * Lists rows oldest first.
   *
   * @param since only rows at or after this time, or null for all
   * @param incidentId only rows about this incident, or null for all
   * @param limit at most this many rows, 1 to 10000
   * @return the rows, ascending by id
   */
  List<AuditRecord> list(@Nullable Instant since, @Nullable Long incidentId, int limit);

  /**
   * Returns the rows about one incident, oldest first (for the incident page): at most the
   * newest 1,000.
   *
   * @param incidentId the incident
   */
  List<AuditRecord> forIncident(long incidentId);

  /**
   * Recomputes the whole hash chain.
   *
   * @return the first broken row, or empty when every row is intact
   */
  Optional<AuditChain.Break> verify();

  /** Returns how many rows the log holds. */
  long count();
}
