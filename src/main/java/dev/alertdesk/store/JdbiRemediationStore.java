package dev.alertdesk.store;

import dev.alertdesk.audit.AuditEntry;
import dev.alertdesk.delivery.OutboxStatus;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.remediation.RemediationCatalogue;
import dev.alertdesk.remediation.RemediationPreview;
import dev.alertdesk.remediation.RemediationRequest;
import dev.alertdesk.remediation.RemediationState;
import dev.alertdesk.remediation.RemediationStore;
import dev.alertdesk.remediation.RemediationTarget;
import dev.alertdesk.remediation.Step;
import dev.alertdesk.remediation.TokenBucket;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * {@link RemediationStore} on SQLite or PostgreSQL. A change is {@code UPDATE … WHERE id = :id
 * AND version = :v}; zero rows updated means another transaction (a double click, another
 * replica) won, and the transaction rolls back. The one execution per approval is the primary
 * key of {@code remediation_execution}; the limits are rows of {@code remediation_bucket}, each
 * locked by an update before it is read (a row lock on PostgreSQL, the write lock on SQLite).
 */
public final class JdbiRemediationStore implements RemediationStore {
  private static final int MAX_FOR_INCIDENT = 100;
  private static final int MAX_DETAIL_CHARS = 2000;

  private final Database database;
  private final Clock clock;
  private final boolean slackEnabled;

  /**
   * @param database a migrated database
   * @param clock the source of "now" for stored times
   * @param slackEnabled false when no bot token is set: outbox rows are stored as skipped
   */
  public JdbiRemediationStore(Database database, Clock clock, boolean slackEnabled) {
    this.database = database;
    this.clock = clock;
    this.slackEnabled = slackEnabled;
  }

  /** Thrown inside a transaction to roll it back when a compare-and-set lost. */
  private static final class Lost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Lost() {
      super(null, null, false, false);
    }
  }

  /** Thrown inside a transaction to roll it back when a limit has no token. */
  private static final class Limited extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String bucket;

    Limited(String bucket) {
      super(null, null, false, false);
      this.bucket = bucket;
    }
  }

  @Override
  public void create(RemediationRequest r, Change change) {
    storage("store a remediation request", () -> jdbi().useTransaction(h -> {
      h.createUpdate("INSERT INTO remediation_request (id, incident_id, action_id, "
              + "target_namespace, target_name, target_params_json, state, version, "
              + "requested_by_id, requested_by_name, channel, created_at, expires_at, updated_at, "
              + "approvals_needed) VALUES (:id, :incidentId, :actionId, :ns, :name, :params, "
              + ":state, :version, :byId, :byName, :channel, :createdAt, :expiresAt, :updatedAt, "
              + ":needed)")
          .bind("id", r.id()).bind("incidentId", r.incidentId()).bind("actionId", r.actionId())
          .bind("ns", r.target().namespace()).bind("name", r.target().name())
          .bind("params", StoreJson.write(r.target().parameters()))
          .bind("state", r.state().wire()).bind("version", r.version())
          .bind("byId", Database.storable(r.requestedById()))
          .bind("byName", Database.storable(r.requestedByName()))
          .bind("channel", r.channel())
          .bind("createdAt", r.createdAt().toEpochMilli())
          .bind("expiresAt", r.expiresAt().toEpochMilli())
          .bind("updatedAt", r.updatedAt().toEpochMilli())
          .bind("needed", r.approvalsNeeded())
          .execute();
      write(h, r.incidentId(), change);
    }));
  }

  @Override
  public Optional<RemediationRequest> find(String id) {
    return storage("load a remediation request", () -> jdbi().withHandle(h -> find(h, id)));
  }

  /** The request with this id, read on {@code h}. */
  static Optional<RemediationRequest> find(Handle h, String id) {
    return load(h, "SELECT * FROM remediation_request WHERE id = :id", Map.of("id", id), 1)
        .stream().findFirst();
  }

  /** The incident's requests, newest first, at most 100, read on {@code h}. */
  static List<RemediationRequest> forIncident(Handle h, long incidentId) {
    return load(h, "SELECT * FROM remediation_request WHERE incident_id = :id "
        + "ORDER BY created_at DESC, id DESC LIMIT " + MAX_FOR_INCIDENT,
        Map.of("id", incidentId), MAX_FOR_INCIDENT);
  }

  @Override
  public boolean apply(Step step, Change change) {
    try {
      storage("store a remediation change", () -> jdbi().useTransaction(h -> {
        compareAndSet(h, step);
        write(h, step.after().incidentId(), change);
      }));
      return true;
    } catch (Lost e) {
      return false;
    }
  }

  @Override
  public Start startExecution(Step step, List<RemediationCatalogue.Bucket> buckets,
      Change change) {
    if (step.after().state() != RemediationState.EXECUTING) {
      throw new IllegalArgumentException("not a step to executing: " + step.after().state());
    }
    try {
      return storage("start a remediation", () -> jdbi().inTransaction(h -> {
        compareAndSet(h, step);
        Instant now = clock.instant();
        for (RemediationCatalogue.Bucket b : buckets) {
          if (!take(h, b, now)) {
            throw new Limited(b.key());
          }
        }
        try {
          h.createUpdate("INSERT INTO remediation_execution (request_id, started_at, approved_by) "
                  + "VALUES (:id, :now, :by)")
              .bind("id", step.after().id()).bind("now", now.toEpochMilli())
              .bind("by", String.join(",", step.after().approverIds()))
              .execute();
        } catch (JdbiException e) {
          // The primary key: this approval was executed already.
          throw new Lost();
        }
        write(h, step.after().incidentId(), change);
        return new Start(Start.Outcome.STARTED, null);
      }));
    } catch (Lost e) {
      return new Start(Start.Outcome.LOST, null);
    } catch (Limited e) {
      return new Start(Start.Outcome.LIMITED, e.bucket);
    }
  }

  /** Draws one token from a bucket, creating it full; false when it has none. */
  private static boolean take(Handle h, RemediationCatalogue.Bucket b, Instant now) {
    h.createUpdate("INSERT INTO remediation_bucket (bucket_key, milli_tokens, updated_at) "
            + "VALUES (:key, :full, :now) ON CONFLICT (bucket_key) DO NOTHING")
        .bind("key", b.key()).bind("full", TokenBucket.full(b.limit()))
        .bind("now", now.toEpochMilli()).execute();
    // Lock the row before reading it.
    h.createUpdate("UPDATE remediation_bucket SET updated_at = updated_at WHERE bucket_key = :key")
        .bind("key", b.key()).execute();
    long[] row = h.createQuery("SELECT milli_tokens, updated_at FROM remediation_bucket "
            + "WHERE bucket_key = :key")
        .bind("key", b.key()).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
    long tokens = TokenBucket.refill(b.limit(), row[0], Instant.ofEpochMilli(row[1]), now);
    if (tokens < TokenBucket.MILLI) {
      return false;
    }
    h.createUpdate("UPDATE remediation_bucket SET milli_tokens = :tokens, updated_at = :now "
            + "WHERE bucket_key = :key")
        .bind("tokens", tokens - TokenBucket.MILLI).bind("now", now.toEpochMilli())
        .bind("key", b.key()).execute();
    return true;
  }

  private static void compareAndSet(Handle h, Step step) {
    RemediationRequest before = step.before();
    RemediationRequest r = step.after();
    RemediationPreview p = r.preview();
    int updated = h.createUpdate("UPDATE remediation_request SET state = :state, "
            + "version = :version, updated_at = :updatedAt, preview_summary = :summary, "
            + "preview_resource_version = :rv, preview_generation = :generation, "
            + "preview_hash = :hash, decided_by_id = :decidedBy, detail = :detail "
            + "WHERE id = :id AND version = :oldVersion AND state = :oldState")
        .bind("state", r.state().wire()).bind("version", r.version())
        .bind("updatedAt", r.updatedAt().toEpochMilli())
        .bind("summary", p == null ? null : Database.storable(clip(p.summary())))
        .bind("rv", p == null ? null : p.resourceVersion())
        .bind("generation", p == null ? null : p.generation())
        .bind("hash", r.previewHash())
        .bind("decidedBy", r.decidedById())
        .bind("detail", r.detail() == null ? null : Database.storable(clip(r.detail())))
        .bind("id", r.id()).bind("oldVersion", before.version())
        .bind("oldState", before.state().wire())
        .execute();
    if (updated != 1) {
      throw new Lost();
    }
    for (RemediationRequest.Approval a : r.approvals()) {
      if (before.approvedBy(a.userId())) {
        continue;
      }
      h.createUpdate("INSERT INTO remediation_approval (request_id, user_id, user_name, "
              + "approved_at, roles_json) VALUES (:id, :userId, :userName, :at, :roles)")
          .bind("id", r.id()).bind("userId", Database.storable(a.userId()))
          .bind("userName", Database.storable(a.userName()))
          .bind("at", a.at().toEpochMilli()).bind("roles", StoreJson.write(a.roles()))
          .execute();
    }
  }

  private void write(Handle h, long incidentId, Change change) {
    JdbiAuditLog.append(h, change.audit());
    JdbiIncidentRepository.writeEvents(h, incidentId, change.events());
    List<OutgoingMessage> messages = new ArrayList<>();
    for (OutgoingMessage m : change.messages()) {
      if (m.kind() == SlackIntent.Kind.PARENT_UPDATE) {
        List<String> channels = JdbiActionStore.parentChannels(h, incidentId);
        if (channels.isEmpty()) {
          messages.add(m);
        }
        channels.forEach(c -> messages.add(m.withChannel(c)));
      } else {
        messages.add(m);
      }
    }
    JdbiOutbox.insert(h, incidentId, messages, clock.instant().toEpochMilli(),
        OutboxStatus.initial(slackEnabled));
  }

  @Override
  public void audit(AuditEntry entry) {
    storage("append to the audit log", () -> jdbi().useTransaction(h ->
        JdbiAuditLog.append(h, entry)));
  }

  @Override
  public List<RemediationRequest> due(Instant now, int limit) {
    return storage("find due remediation requests", () -> jdbi().withHandle(h -> {
      Map<String, Object> args = new HashMap<>();
      args.put("now", now.toEpochMilli());
      args.put("requested", RemediationState.REQUESTED.wire());
      args.put("previewed", RemediationState.PREVIEWED.wire());
      args.put("pending", RemediationState.PENDING_APPROVAL.wire());
      args.put("approved", RemediationState.APPROVED.wire());
      return load(h, "SELECT * FROM remediation_request WHERE (state IN (:requested, :previewed, "
          + ":pending) AND expires_at < :now) OR state = :approved ORDER BY created_at, id "
          + "LIMIT " + Math.max(1, Math.min(limit, MAX_PAGE)), args, limit);
    }));
  }

  @Override
  public List<RemediationRequest> forIncident(long incidentId) {
    return storage("list an incident's remediation requests", () -> jdbi().withHandle(h ->
        forIncident(h, incidentId)));
  }

  @Override
  public List<RemediationRequest> page(@Nullable RemediationState state, @Nullable Instant before,
      int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1-" + MAX_PAGE);
    }
    StringBuilder sql = new StringBuilder("SELECT * FROM remediation_request WHERE 1 = 1");
    Map<String, Object> args = new HashMap<>();
    if (state != null) {
      sql.append(" AND state = :state");
      args.put("state", state.wire());
    }
    if (before != null) {
      sql.append(" AND created_at < :before");
      args.put("before", before.toEpochMilli());
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ").append(limit);
    return storage("list remediation requests", () -> jdbi().withHandle(h ->
        load(h, sql.toString(), args, limit)));
  }

  @Override
  public Freeze freeze() {
    return storage("read the kill switch", () -> jdbi().withHandle(h -> h.createQuery(
            "SELECT frozen, changed_at, changed_by, reason FROM remediation_switch WHERE id = 1")
        .map((rs, ctx) -> {
          long at = rs.getLong(2);
          Instant changedAt = rs.wasNull() ? null : Instant.ofEpochMilli(at);
          return new Freeze(rs.getInt(1) != 0, changedAt, rs.getString(3), rs.getString(4));
        })
        .findOne().orElse(new Freeze(false, null, null, null))));
  }

  @Override
  public void setFrozen(boolean frozen, String by, @Nullable String reason, AuditEntry audit) {
    storage("set the kill switch", () -> jdbi().useTransaction(h -> {
      h.createUpdate("UPDATE remediation_switch SET frozen = :frozen, changed_at = :now, "
              + "changed_by = :by, reason = :reason WHERE id = 1")
          .bind("frozen", frozen ? 1 : 0).bind("now", clock.instant().toEpochMilli())
          .bind("by", Database.storable(by))
          .bind("reason", reason == null ? null : Database.storable(clip(reason)))
          .execute();
      JdbiAuditLog.append(h, audit);
    }));
  }

  private static List<RemediationRequest> load(Handle h, String sql, Map<String, Object> args,
      int limit) {
    List<Row> rows = h.createQuery(sql).bindMap(args).map((rs, ctx) -> row(rs)).list();
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<String, List<RemediationRequest.Approval>> approvals = new LinkedHashMap<>();
    List<String> ids = rows.stream().map(r -> r.id).toList();
    h.createQuery("SELECT request_id, user_id, user_name, approved_at, roles_json "
            + "FROM remediation_approval WHERE request_id IN (<ids>) ORDER BY approved_at, user_id")
        .bindList("ids", ids)
        .map((rs, ctx) -> Map.entry(rs.getString(1), new RemediationRequest.Approval(
            rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
            roles(rs.getString(5)))))
        .forEach(e -> approvals.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
            .add(e.getValue()));
    List<RemediationRequest> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(r.request(approvals.getOrDefault(r.id, List.of())));
      if (out.size() >= limit) {
        break;
      }
    }
    return out;
  }

  private static List<String> roles(String json) {
    try {
      return List.of(new com.fasterxml.jackson.databind.ObjectMapper().readValue(json,
          String[].class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return List.of();
    }
  }

  /** One row before its approvals are attached. */
  private record Row(String id, RemediationRequestBuilder builder) {
    RemediationRequest request(List<RemediationRequest.Approval> approvals) {
      return builder.build(approvals);
    }
  }

  @FunctionalInterface
  private interface RemediationRequestBuilder {
    RemediationRequest build(List<RemediationRequest.Approval> approvals);
  }

  private static Row row(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    long incidentId = rs.getLong("incident_id");
    String actionId = rs.getString("action_id");
    @SuppressWarnings("unchecked")
    Map<String, String> params = (Map<String, String>) (Map<?, ?>) StoreJson.details(
        rs.getString("target_params_json"));
    Map<String, String> stringParams = new LinkedHashMap<>();
    params.forEach((k, v) -> stringParams.put(k, String.valueOf(v)));
    RemediationTarget target = new RemediationTarget(rs.getString("target_namespace"),
        rs.getString("target_name"), stringParams);
    RemediationState state = RemediationState.fromWire(rs.getString("state"));
    int version = rs.getInt("version");
    String byId = rs.getString("requested_by_id");
    String byName = rs.getString("requested_by_name");
    String channel = rs.getString("channel");
    Instant createdAt = Instant.ofEpochMilli(rs.getLong("created_at"));
    Instant expiresAt = Instant.ofEpochMilli(rs.getLong("expires_at"));
    Instant updatedAt = Instant.ofEpochMilli(rs.getLong("updated_at"));
    String summary = rs.getString("preview_summary");
    String rv = rs.getString("preview_resource_version");
    long generation = rs.getLong("preview_generation");
    Long gen = rs.wasNull() ? null : generation;
    RemediationPreview preview = summary == null ? null : new RemediationPreview(summary, rv, gen);
    String hash = rs.getString("preview_hash");
    int needed = rs.getInt("approvals_needed");
    String decidedBy = rs.getString("decided_by_id");
    String detail = rs.getString("detail");
    return new Row(id, approvals -> new RemediationRequest(id, incidentId, actionId, target,
        state, version, byId, byName, channel, createdAt, expiresAt, updatedAt, preview, hash,
        needed, approvals, decidedBy, detail));
  }

  private static String clip(String s) {
    return s.length() <= MAX_DETAIL_CHARS ? s : s.substring(0, MAX_DETAIL_CHARS) + "…";
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
    } catch (Lost | Limited e) {
      throw e;
    } catch (JdbiException e) {
      throw new StorageException("could not " + what, e);
    }
  }

  private static void storage(String what, Runnable action) {
    storage(what, () -> {
      action.run();
      return null;
    });
  }
}
