package dev.alertdesk.remediation;

import dev.alertdesk.audit.AuditEntry;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.OutgoingMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Durable remediation requests, shared by every replica. Each write is one transaction that
 * also appends its audit row (chained), its timeline events and its outbox intents; nothing is
 * half-written. All methods throw {@link dev.alertdesk.incident.StorageException} when the
 * database fails.
 */
public interface RemediationStore {
  /** Requests listed at most per page. */
  int MAX_PAGE = 200;

  /**
   * Stores a new request (state REQUESTED, version 0).
   *
   * @param request the request
   * @param change its audit row, events and intents
   */
  void create(RemediationRequest request, Change change);

  /** Returns the request with this id. */
  Optional<RemediationRequest> find(String id);

  /**
   * Stores {@code step.after()} if the stored request still has {@code step.before()}'s version
   * (compare-and-set), with any approval it added, in one transaction with {@code change}.
   *
   * @return false when another transaction changed the request first (nothing was written)
   */
  boolean apply(Step step, Change change);

  /**
   * Starts the one execution of an approval: the compare-and-set of {@code step} (to
   * EXECUTING), a token from each bucket, and the {@code remediation_execution} row whose
   * primary key allows one execution per request, all in one transaction.
   *
   * @param step APPROVED → EXECUTING
   * @param buckets the limits to draw one token from each
   * @param change its audit row, events and intents
   * @return what happened; on anything but {@link Start.Outcome#STARTED} nothing was written
   */
  Start startExecution(Step step, List<RemediationCatalogue.Bucket> buckets, Change change);

  /** Appends an audit row on its own (a refused click). */
  void audit(AuditEntry entry);

  /**
   * Requests waiting for time to pass or for work: open or approved requests past
   * {@code now}'s expiry, and approved requests not started (a crash between approval and
   * execution). Oldest first, at most {@code limit}.
   */
  List<RemediationRequest> due(Instant now, int limit);

  /** The incident's requests, newest first, at most 100. */
  List<RemediationRequest> forIncident(long incidentId);

  /**
   * One page of requests, newest first.
   *
   * @param state only this state, or null for all
   * @param before only requests created before this time (the previous page's last
   *     {@code createdAt}), or null for the newest
   * @param limit 1 to {@value #MAX_PAGE}
   */
  List<RemediationRequest> page(@Nullable RemediationState state, @Nullable Instant before,
      int limit);

  /** Returns the kill switch set by {@code alertdesk freeze}. */
  Freeze freeze();

  /**
   * Sets the kill switch, with its audit row, in one transaction.
   *
   * @param frozen true to freeze
   * @param by who (recorded)
   * @param reason why, or null
   * @param audit the audit row
   */
  void setFrozen(boolean frozen, String by, @Nullable String reason, AuditEntry audit);

  /**
   * What a write records besides the request.
   *
   * @param audit the audit row
   * @param events timeline events on the request's incident
   * @param messages Slack intents to queue
   */
  record Change(AuditEntry audit, List<IncidentEvent> events, List<OutgoingMessage> messages) {
    /** Copies the lists. */
    public Change {
      events = List.copyOf(events);
      messages = List.copyOf(messages);
    }
  }

  /**
   * The kill switch as stored.
   *
   * @param frozen true when frozen
   * @param changedAt when it last changed, or null when never
   * @param changedBy who changed it, or null
   * @param reason the reason given, or null
   */
  record Freeze(boolean frozen, @Nullable Instant changedAt, @Nullable String changedBy,
      @Nullable String reason) {}

  /**
   * The outcome of {@link #startExecution}.
   *
   * @param outcome what happened
   * @param bucket for {@link Outcome#LIMITED}, the bucket without a token; else null
   */
  record Start(Outcome outcome, @Nullable String bucket) {
    /** What {@link #startExecution} did. */
    public enum Outcome {
      /** This caller runs the execution. */
      STARTED,
      /** Another caller changed or executed the request first. */
      LOST,
      /** A limit has no token left. */
      LIMITED
    }
  }
}
