package dev.alertdesk.store;

import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.delivery.MessageComposer;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.delivery.MessageComposer;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.history.FingerprintHistory;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.delivery.MessageComposer;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.history.HistoryRepository;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.delivery.MessageComposer;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.history.IncidentQuery;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.delivery.MessageComposer;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.history.IncidentRow;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.delivery.MessageComposer;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.history.InsightFacts;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.delivery.MessageComposer;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.history.SearchPage;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.delivery.MessageComposer;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.IncidentSummary;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.delivery.MessageComposer;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HistoryRepository} on SQLite or PostgreSQL through Jdbi, over the tables the incident
 * store writes. Label matchers cannot be expressed in SQL over the stored label JSON, so a search
 * with a label filter reads the member labels of every incident that passes the other filters
 * and pages in memory.
 */
public final class JdbiHistoryRepository implements HistoryRepository {
  /** The most rows one fingerprint's history or one incident's messages list: the newest. */
  static final int MAX_LISTED = 1000;
  /** The most firing periods one incident's activity chart draws: the newest. */
  static final int MAX_OCCURRENCES = 10_000;

  /** Incident event kinds that count as transitions in the insights. */
  static final List<String> TRANSITION_KINDS =
      List.of("opened", "alerts_firing", "alerts_resolved", "resolved", "reopened");
  /**
   * Event kinds of noise control that fold an incident into another message instead of its own
   * parent (a storm roll-up, a correlated thread); counted as suppressions besides any kind
   * containing {@code suppress}.
   */
  static final List<String> FOLDED_KINDS = List.of("rolled_up", "correlated");
  /** The event kind recorded when someone acknowledges an incident. */
  static final String ACKNOWLEDGED = "acknowledged";
  /**
   * Tables whose rows belong to one incident (by {@code incident_id}) and go with it. The audit
   * log is not among them: it is kept.
   */
  static final List<String> PURGED_WITH_INCIDENT = List.of("incident_event", "incident_alert",
      "alert_occurrence", "slack_message", "outbox", "incident_response", "fingerprint_snooze",
      "incident_channel", "noise_arrival", "noise_transition", "noise_flapping", "enrichment_job");
  /** Incidents deleted per purge transaction. */
  static final int PURGE_BATCH = 200;
  private static final int IN_CHUNK = 500;

  private static final Logger log = LoggerFactory.getLogger(JdbiHistoryRepository.class);

  private final Database database;
  private final Jdbi jdbi;
  private final Path chartDirectory;
  private final @Nullable MessageComposer composer;

  /**
   * @param database a migrated database
   * @param chartDirectory where chart PNGs live ({@code STORAGE_DIR/charts}); the purge deletes
   *     the files of purged charts there
   */
  public JdbiHistoryRepository(Database database, Path chartDirectory) {
    this(database, chartDirectory, null);
  }

  /**
   * @param database a migrated database
   * @param chartDirectory where chart PNGs live ({@code STORAGE_DIR/charts}); the purge deletes
   *     the files of purged charts there
   * @param composer composes the messages not sent yet (pending, or kept as previews while Slack
   *     delivery is off) from current state for the message preview; null shows their intent
   */
  public JdbiHistoryRepository(Database database, Path chartDirectory,
      @Nullable MessageComposer composer) {
    this.database = database;
    this.jdbi = database.jdbi();
    this.chartDirectory = chartDirectory;
    this.composer = composer;
  }

  @Override
  public SearchPage search(IncidentQuery q) {
    return read("could not search incidents", () -> jdbi.withHandle(h -> {
      Map<String, Object> args = new LinkedHashMap<>();
      String where = where(q, args);
      if (q.labelFilter() == null) {
        List<IncidentSummary> page = bind(h.createQuery("SELECT * FROM incident" + where
            + " ORDER BY id DESC LIMIT :limit OFFSET :offset"), args)
            .bind("limit", q.limit()).bind("offset", q.offset())
            .map((rs, ctx) -> JdbiIncidentRepository.summary(rs)).list();
        long total = bind(h.createQuery("SELECT COUNT(*) FROM incident" + where), args)
            .mapTo(Long.class).one();
        return new SearchPage(withSeenCounts(h, page), total);
      }
      List<Long> candidates = bind(h.createQuery("SELECT id FROM incident" + where
          + " ORDER BY id DESC"), args).mapTo(Long.class).list();
      List<Long> matching = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i += IN_CHUNK) {
        matching.addAll(matching(h, candidates.subList(i, Math.min(candidates.size(), i + IN_CHUNK)),
            q.labelFilter()));
      }
      List<Long> pageIds = matching.subList(Math.min(q.offset(), matching.size()),
          (int) Math.min(matching.size(), (long) q.offset() + q.limit()));
      return new SearchPage(rows(h, pageIds), matching.size());
    }));
  }

  @Override
  public void forEach(IncidentQuery filters, Consumer<IncidentRow> each) {
    List<Long> candidates = read("could not export incidents", () -> jdbi.withHandle(h -> {
      Map<String, Object> args = new LinkedHashMap<>();
      return bind(h.createQuery("SELECT id FROM incident" + where(filters, args)
          + " ORDER BY id DESC"), args).mapTo(Long.class).list();
    }));
    for (int i = 0; i < candidates.size(); i += IN_CHUNK) {
      List<Long> chunk = candidates.subList(i, Math.min(candidates.size(), i + IN_CHUNK));
      List<IncidentRow> rows = read("could not export incidents", () -> jdbi.withHandle(h ->
          rows(h, filters.labelFilter() == null ? chunk : matching(h, chunk, filters.labelFilter()))));
      rows.forEach(each);
    }
  }

  /** Returns the ids of {@code chunk} (in its order) with a member alert the filter accepts. */
  private static List<Long> matching(Handle h, List<Long> chunk, Predicate<Labels> filter) {
    Set<Long> accepted = new HashSet<>();
    h.createQuery("SELECT incident_id, labels_json FROM incident_alert WHERE incident_id IN (<ids>)")
        .bindList("ids", chunk)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
        .forEach(e -> {
          if (!accepted.contains(e.getKey()) && filter.test(StoreJson.labels(e.getValue()))) {
            accepted.add(e.getKey());
          }
        });
    return chunk.stream().filter(accepted::contains).toList();
  }

  /** Loads the rows of these incident ids, newest first. */
  private static List<IncidentRow> rows(Handle h, List<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return withSeenCounts(h, h.createQuery("SELECT * FROM incident WHERE id IN (<ids>) "
            + "ORDER BY id DESC")
        .bindList("ids", ids)
        .map((rs, ctx) -> JdbiIncidentRepository.summary(rs)).list());
  }

  /** Adds "seen N times": the most occurrences of any member fingerprint. */
  private static List<IncidentRow> withSeenCounts(Handle h, List<IncidentSummary> page) {
    Map<Long, Integer> seen = new HashMap<>();
    if (!page.isEmpty()) {
      h.createQuery("SELECT a.incident_id, MAX(f.occurrence_count) FROM incident_alert a "
              + "JOIN alert_fingerprint f ON f.fingerprint = a.fingerprint "
              + "WHERE a.incident_id IN (<ids>) GROUP BY a.incident_id")
          .bindList("ids", page.stream().map(IncidentSummary::id).toList())
          .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getInt(2)))
          .forEach(e -> seen.put(e.getKey(), e.getValue()));
    }
    return page.stream().map(s -> new IncidentRow(s, seen.getOrDefault(s.id(), 0))).toList();
  }

  private static String where(IncidentQuery q, Map<String, Object> args) {
    List<String> clauses = new ArrayList<>();
    if (q.alertname() != null) {
      clauses.add("alertname = :alertname");
      args.put("alertname", q.alertname());
    }
    if (q.status() != null) {
      clauses.add("status = :status");
      args.put("status", q.status().wire());
    }
    if (q.to() != null) {
      clauses.add("started_at < :to");
      args.put("to", q.to().toEpochMilli());
    }
    if (q.from() != null) {
      clauses.add("(status = 'firing' OR resolved_at >= :from)");
      args.put("from", q.from().toEpochMilli());
    }
    return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
  }

  private static Query bind(Query query, Map<String, Object> args) {
    args.forEach(query::bind);
    return query;
  }

  @Override
  public Optional<FingerprintHistory> fingerprint(String fingerprint) {
    return read("could not load fingerprint " + fingerprint, () -> jdbi.withHandle(h -> {
      var row = h.createQuery("SELECT * FROM alert_fingerprint WHERE fingerprint = :fp")
          .bind("fp", fingerprint)
          .mapToMap().findOne();
      if (row.isEmpty()) {
        return Optional.<FingerprintHistory>empty();
      }
      List<FingerprintHistory.Occurrence> periods = h.createQuery("SELECT * FROM ("
              + "SELECT starts_at, ends_at, incident_id FROM alert_occurrence WHERE fingerprint = "
              + ":fp ORDER BY starts_at DESC LIMIT :limit) newest ORDER BY starts_at")
          .bind("fp", fingerprint).bind("limit", MAX_LISTED)
          .map((rs, ctx) -> occurrence(rs))
          .list();
      Map<String, Object> r = row.get();
      return Optional.of(new FingerprintHistory(
          fingerprint,
          (String) r.get("alertname"),
          StoreJson.labels((String) r.get("labels_json")),
          Instant.ofEpochMilli(((Number) r.get("first_seen_at")).longValue()),
          Instant.ofEpochMilli(((Number) r.get("last_seen_at")).longValue()),
          ((Number) r.get("occurrence_count")).intValue(),
          FingerprintHistory.markFlapping(periods)));
    }));
  }

  private static FingerprintHistory.Occurrence occurrence(ResultSet rs) throws SQLException {
    return new FingerprintHistory.Occurrence(Instant.ofEpochMilli(rs.getLong("starts_at")),
        JdbiIncidentRepository.instant(rs, "ends_at"), rs.getLong("incident_id"), false);
  }

  @Override
  public InsightFacts insightFacts(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to");
    }
    long f = from.toEpochMilli();
    long t = to.toEpochMilli();
    return read("could not compute insights", () -> jdbi.withHandle(h -> {
      Map<Long, Instant> acks = new HashMap<>();
      h.createQuery("SELECT e.incident_id, MIN(e.at) FROM incident_event e "
              + "JOIN incident i ON i.id = e.incident_id WHERE e.kind = :ack "
              + "AND i.started_at >= :from AND i.started_at < :to GROUP BY e.incident_id")
          .bind("ack", ACKNOWLEDGED).bind("from", f).bind("to", t)
          .map((rs, ctx) -> Map.entry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2))))
          .forEach(e -> acks.put(e.getKey(), e.getValue()));
      List<InsightFacts.IncidentFact> incidents = h.createQuery("SELECT id, alertname, severity, "
              + "receiver, started_at, resolved_at, ended_at FROM incident "
              + "WHERE started_at >= :from AND started_at < :to ORDER BY id")
          .bind("from", f).bind("to", t)
          .map((rs, ctx) -> {
            Instant resolvedAt = JdbiIncidentRepository.instant(rs, "resolved_at");
            Instant endedAt = JdbiIncidentRepository.instant(rs, "ended_at");
            long id = rs.getLong("id");
            return new InsightFacts.IncidentFact(id, rs.getString("alertname"),
                rs.getString("severity"), rs.getString("receiver"),
                Instant.ofEpochMilli(rs.getLong("started_at")), acks.get(id),
                resolvedAt == null ? null : endedAt != null ? endedAt : resolvedAt);
          })
          .list();
      Map<String, Long> notifications = counts(h.createQuery("SELECT i.alertname, COUNT(*) "
          + "FROM notification n JOIN incident i ON i.id = n.incident_id "
          + "WHERE n.received_at >= :from AND n.received_at < :to GROUP BY i.alertname"), f, t);
      Map<String, Long> occurrences = counts(h.createQuery("SELECT alertname, COUNT(*) "
          + "FROM alert_occurrence WHERE starts_at >= :from AND starts_at < :to "
          + "GROUP BY alertname"), f, t);
      Map<String, Long> transitions = counts(h.createQuery("SELECT i.alertname, COUNT(*) "
          + "FROM incident_event e JOIN incident i ON i.id = e.incident_id "
          + "WHERE e.at >= :from AND e.at < :to AND e.kind IN (<kinds>) GROUP BY i.alertname")
          .bindList("kinds", TRANSITION_KINDS), f, t);
      Map<String, Long> outcomes = counts(h.createQuery("SELECT outcome, COUNT(*) FROM "
          + "notification WHERE received_at >= :from AND received_at < :to GROUP BY outcome"), f, t);
      Map<String, Long> suppressions = new HashMap<>();
      h.createQuery("SELECT kind, details_json FROM incident_event WHERE at >= :from "
              + "AND at < :to AND (kind LIKE '%suppress%' OR kind IN (<folded>))")
          .bind("from", f).bind("to", t).bindList("folded", FOLDED_KINDS)
          .map((rs, ctx) -> {
            Object reason = StoreJson.details(rs.getString(2)).get("reason");
            return reason == null || reason.toString().isBlank() ? rs.getString(1)
                : reason.toString();
          })
          .forEach(reason -> suppressions.merge(reason, 1L, Long::sum));
      return new InsightFacts(from, to, incidents, notifications, occurrences, transitions,
          outcomes, suppressions);
    }));
  }

  private static Map<String, Long> counts(Query query, long from, long to) {
    Map<String, Long> out = new HashMap<>();
    query.bind("from", from).bind("to", to)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(e -> out.merge(e.getKey(), e.getValue(), Long::sum));
    return out;
  }

  @Override
  public List<RenderedMessage> messages(long incidentId) {
    List<Map.Entry<OutboxJob, RenderedMessage>> rows = read(
        "could not load messages of incident " + incidentId, () -> jdbi.withHandle(h ->
        h.createQuery("SELECT * FROM (SELECT * FROM outbox WHERE incident_id = :id "
                + "ORDER BY id DESC LIMIT :limit) newest ORDER BY id")
            .bind("id", incidentId).bind("limit", MAX_LISTED)
            .map((rs, ctx) -> Map.entry(JdbiOutbox.job(rs), new RenderedMessage(rs.getLong("id"),
                rs.getString("kind"), rs.getString("channel"), rs.getString("status"),
                Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("payload_json"))))
            .list()));
    // Composed after the handle is returned: the composer reads on a handle of its own.
    List<RenderedMessage> out = new ArrayList<>(rows.size());
    for (Map.Entry<OutboxJob, RenderedMessage> row : rows) {
      RenderedMessage m = row.getValue();
      out.add(m.payloadJson().isEmpty()
          ? new RenderedMessage(m.id(), m.kind(), m.channel(), m.status(), m.createdAt(),
              preview(row.getKey()))
          : m);
    }
    return out;
  }

  /**
   * A message not sent yet, composed from current state; or what its intent says (always for a
   * target other than Slack: the Slack composer does not speak for it).
   */
  private String preview(OutboxJob job) {
    if (composer != null && job.intent().isSlack()) {
      try {
        Optional<String> composed = composer.compose(job, Enrichment.ParentContext.NONE);
        if (composed.isPresent()) {
          return composed.get();
        }
      } catch (RuntimeException e) {
        // fall through to the intent
      }
    }
    OutgoingMessage intent = job.intent();
    return StoreJson.write(Map.of("text", "(" + intent.message().wire() + ", "
        + intent.reason() + ": composed when sent) " + StoreJson.write(intent.params())));
  }

  @Override
  public List<FingerprintHistory.Occurrence> occurrences(long incidentId) {
    return read("could not load occurrences of incident " + incidentId, () -> jdbi.withHandle(h ->
        h.createQuery("SELECT * FROM (SELECT starts_at, ends_at, incident_id FROM "
                + "alert_occurrence WHERE incident_id = :id ORDER BY starts_at DESC LIMIT :limit) "
                + "newest ORDER BY starts_at")
            .bind("id", incidentId).bind("limit", MAX_OCCURRENCES)
            .map((rs, ctx) -> occurrence(rs))
            .list()));
  }

  @Override
  public PurgeResult purge(Instant cutoff) {
    long c = cutoff.toEpochMilli();
    int incidents = 0;
    int notifications = 0;
    int charts = 0;
    while (true) {
      List<Long> batch = read("could not purge incidents", () -> jdbi.withHandle(h ->
          h.createQuery("SELECT id FROM incident WHERE status = 'resolved' "
                  + "AND resolved_at < :cutoff ORDER BY id LIMIT :limit")
              .bind("cutoff", c).bind("limit", PURGE_BATCH)
              .mapTo(Long.class).list()));
      if (batch.isEmpty()) {
        break;
      }
      List<String> chartFiles = new ArrayList<>();
      int[] deleted = read("could not purge incidents", () -> jdbi.inTransaction(h -> {
        chartFiles.clear();
        chartFiles.addAll(h.createQuery("SELECT file_name FROM chart WHERE incident_id IN (<ids>)")
            .bindList("ids", batch).mapTo(String.class).list());
        deleteIn(h, "chart", "incident_id", batch);
        int n = deleteIn(h, "notification", "incident_id", batch);
        for (String table : PURGED_WITH_INCIDENT) {
          deleteIn(h, table, "incident_id", batch);
        }
        // A storm's message is the parent of its first incident (V4__noise_routing.sql).
        deleteIn(h, "noise_storm", "anchor_incident_id", batch);
        int i = deleteIn(h, "incident", "id", batch);
        return new int[] {i, n};
      }));
      incidents += deleted[0];
      notifications += deleted[1];
      charts += chartFiles.size();
      deleteChartFiles(chartFiles);
    }
    int orphans = read("could not purge notifications", () -> jdbi.inTransaction(h -> {
      int n = h.createUpdate("DELETE FROM notification WHERE incident_id IS NULL "
          + "AND received_at < :cutoff").bind("cutoff", c).execute();
      h.createUpdate("DELETE FROM alert_fingerprint WHERE last_seen_at < :cutoff AND NOT EXISTS "
              + "(SELECT 1 FROM alert_occurrence o WHERE o.fingerprint = alert_fingerprint.fingerprint)")
          .bind("cutoff", c).execute();
      h.createUpdate("DELETE FROM alert_group WHERE last_notification_at < :cutoff AND NOT EXISTS "
              + "(SELECT 1 FROM incident i WHERE i.receiver = alert_group.receiver "
              + "AND i.group_key = alert_group.group_key)")
          .bind("cutoff", c).execute();
      return n;
    }));
    return new PurgeResult(incidents, notifications + orphans, charts);
  }

  /** Deletes chart files after their rows are gone; a file that cannot be deleted is logged. */
  private void deleteChartFiles(List<String> fileNames) {
    for (String name : fileNames) {
      Path file = chartDirectory.resolve(name).normalize();
      if (!file.startsWith(chartDirectory.normalize())) {
        continue;
      }
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.warn("retention purge could not delete chart file {}: {}", file, e.getMessage());
      }
    }
  }

  private static int deleteIn(Handle h, String table, String column, List<Long> ids) {
    return h.createUpdate("DELETE FROM " + table + " WHERE " + column + " IN (<ids>)")
        .bindList("ids", ids).execute();
  }

  private <T> T read(String what, Supplier<T> work) {
    if (!database.isMigrated()) {
      throw new StorageException("the database is not migrated yet",
          new IllegalStateException("not ready"));
    }
    try {
      return work.get();
    } catch (JdbiException e) {
      throw new StorageException(what, e);
    }
  }
}
