package dev.alertdesk.store;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.alert.Notification;
import dev.alertdesk.delivery.OutboxStatus;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.IncidentSummary;
import dev.alertdesk.incident.IngestPlanner;
import dev.alertdesk.incident.IngestResult;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.ReceivedNotification;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.noise.NoiseGate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jspecify.annotations.Nullable;

/**
 * {@link IncidentRepository} on SQLite or PostgreSQL through Jdbi. Notifications of one group
 * are serialised by an upsert on {@code alert_group}, which takes a row lock on PostgreSQL; on
 * SQLite every write transaction is {@code BEGIN IMMEDIATE}.
 */
public final class JdbiIncidentRepository implements IncidentRepository {

  private final Database database;
  private final Jdbi jdbi;
  private final boolean slackEnabled;
  private final @Nullable NoiseGate noise;

  /**
   * @param database a migrated database
   * @param slackEnabled false when no bot token is set: outbox rows are then stored as
   *     {@code skipped}, so they never pile up but still show what would have been sent
   */
  public JdbiIncidentRepository(Database database, boolean slackEnabled) {
    this(database, slackEnabled, null);
  }

  /**
   * @param database a migrated database
   * @param slackEnabled as in {@link #JdbiIncidentRepository(Database, boolean)}
   * @param noise routes and filters each decision's Slack messages inside the ingest
   *     transaction, or null to send every message to the planner's channel
   */
  public JdbiIncidentRepository(Database database, boolean slackEnabled,
      @Nullable NoiseGate noise) {
    this.database = database;
    this.jdbi = database.jdbi();
    this.slackEnabled = slackEnabled;
    this.noise = noise;
  }

  @Override
  public IngestResult ingest(ReceivedNotification received, IngestPlanner planner) {
    requireMigrated();
    try {
      return jdbi.inTransaction(h -> ingestInTransaction(h, received, planner));
    } catch (JdbiException | SQLException e) {
      throw new StorageException("could not commit the notification", e);
    }
  }

  private IngestResult ingestInTransaction(
      Handle h, ReceivedNotification received, IngestPlanner planner) throws SQLException {
    Notification n = received.notification();
    long now = received.receivedAt().toEpochMilli();
    h.createUpdate("INSERT INTO alert_group (receiver, group_key, last_notification_at) "
            + "VALUES (:receiver, :groupKey, :now) ON CONFLICT (receiver, group_key) "
            + "DO UPDATE SET last_notification_at = excluded.last_notification_at")
        .bind("receiver", n.receiver()).bind("groupKey", n.groupKey()).bind("now", now)
        .execute();
    Incident latest = loadLatest(h, n.receiver(), n.groupKey());
    Decision decision = planner.decide(latest);
    Incident incident = decision.incident();
    Long incidentId = null;
    if (incident != null) {
      if (decision.isNew()) {
        incidentId = insertIncident(h, incident);
      } else {
        incidentId = incident.id();
        if (incidentId == null) {
          throw new IllegalStateException("engine returned an existing incident without id");
        }
        if (!decision.events().isEmpty()) {
          updateIncident(h, incidentId, incident);
        }
      }
      LabelJson json = new LabelJson();
      writeMembers(h, incidentId, incident,
          decision.isNew() ? incident.members() : decision.changedMembers(), json);
      writeOccurrences(h, incidentId, decision, now, json);
      writeEvents(h, incidentId, decision.events());
      Incident stored = incident.withId(incidentId);
      List<OutgoingMessage> messages = planner.render(stored, decision,
          JdbiIncidentResponses.load(h, incidentId, received.receivedAt()));
      if (noise == null) {
        writeOutbox(h, incidentId, messages, now, slackEnabled);
      } else {
        noise.onDecision(new JdbiNoiseLedger(h, slackEnabled, received.receivedAt()), latest,
            stored, decision, messages, received.receivedAt());
      }
    }
    long notificationId = h.createUpdate("INSERT INTO notification (received_at, receiver, "
            + "group_key, status, alert_count, truncated_alerts, outcome, incident_id, headers_json, "
            + "raw_json) VALUES (:receivedAt, :receiver, :groupKey, :status, :alertCount, "
            + ":truncated, :outcome, :incidentId, :headers, :raw)")
        .bind("receivedAt", now)
        .bind("receiver", n.receiver())
        .bind("groupKey", n.groupKey())
        .bind("status", n.status().wire())
        .bind("alertCount", n.alerts().size())
        .bind("truncated", n.truncatedAlerts())
        .bind("outcome", decision.outcome().wire())
        .bind("incidentId", incidentId)
        .bind("headers", received.headersJson())
        .bind("raw", received.rawJson())
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
    return new IngestResult(notificationId, decision.outcome(), incidentId, n.alerts().size());
  }

  private static long insertIncident(Handle h, Incident i) {
    return h.createUpdate("INSERT INTO incident (receiver, group_key, status, alertname, severity, "
            + "group_labels_json, common_labels_json, common_annotations_json, external_url, "
            + "truncated_alerts, started_at, opened_at, resolved_at, ended_at, last_changed_at, "
            + "reopen_count, firing_count, resolved_count) VALUES (:receiver, :groupKey, :status, "
            + ":alertname, :severity, :groupLabels, :commonLabels, :commonAnnotations, :externalUrl, "
            + ":truncated, :startedAt, :openedAt, :resolvedAt, :endedAt, :lastChangedAt, "
            + ":reopenCount, :firingCount, :resolvedCount)")
        .bind("receiver", i.receiver())
        .bind("groupKey", i.groupKey())
        .bindMap(incidentColumns(i))
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  private static void updateIncident(Handle h, long id, Incident i) {
    h.createUpdate("UPDATE incident SET status = :status, alertname = :alertname, "
            + "severity = :severity, group_labels_json = :groupLabels, "
            + "common_labels_json = :commonLabels, common_annotations_json = :commonAnnotations, "
            + "external_url = :externalUrl, truncated_alerts = :truncated, started_at = :startedAt, "
            + "opened_at = :openedAt, resolved_at = :resolvedAt, ended_at = :endedAt, "
            + "last_changed_at = :lastChangedAt, reopen_count = :reopenCount, "
            + "firing_count = :firingCount, resolved_count = :resolvedCount WHERE id = :id")
        .bind("id", id)
        .bindMap(incidentColumns(i))
        .execute();
  }

  private static Map<String, Object> incidentColumns(Incident i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", i.status().wire());
    m.put("alertname", i.alertname());
    m.put("severity", i.severity());
    m.put("groupLabels", StoreJson.labels(i.groupLabels()));
    m.put("commonLabels", StoreJson.labels(i.commonLabels()));
    m.put("commonAnnotations", StoreJson.labels(i.commonAnnotations()));
    m.put("externalUrl", i.externalUrl());
    m.put("truncated", i.truncatedAlerts());
    m.put("startedAt", i.startedAt().toEpochMilli());
    m.put("openedAt", i.openedAt().toEpochMilli());
    m.put("resolvedAt", millis(i.resolvedAt()));
    m.put("endedAt", millis(i.endedAt()));
    m.put("lastChangedAt", i.lastChangedAt().toEpochMilli());
    m.put("reopenCount", i.reopenCount());
    m.put("firingCount", i.firingCount());
    m.put("resolvedCount", i.resolvedCount());
    return m;
  }

  /**
   * Upserts member alerts. Bulk rows go through plain JDBC batches on the transaction's
   * connection: Jdbi's per-row named binding costs more than SQLite's insert itself.
   */
  private static void writeMembers(Handle h, long incidentId, Incident incident, List<Alert> alerts,
      LabelJson json) throws SQLException {
    if (alerts.isEmpty()) {
      return;
    }
    Map<String, Integer> positions = new HashMap<>();
    for (int p = 0; p < incident.members().size(); p++) {
      positions.put(incident.members().get(p).fingerprint(), p);
    }
    try (PreparedStatement batch = h.getConnection().prepareStatement("INSERT INTO incident_alert "
        + "(incident_id, fingerprint, position, status, alertname, labels_json, annotations_json, "
        + "starts_at, ends_at, generator_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT (incident_id, fingerprint) DO UPDATE SET status = excluded.status, "
        + "labels_json = excluded.labels_json, annotations_json = excluded.annotations_json, "
        + "starts_at = excluded.starts_at, ends_at = excluded.ends_at, "
        + "generator_url = excluded.generator_url")) {
      for (Alert a : alerts) {
        batch.setLong(1, incidentId);
        batch.setString(2, Database.storable(a.fingerprint()));
        batch.setInt(3, positions.getOrDefault(a.fingerprint(), positions.size()));
        batch.setString(4, Database.storable(a.status().wire()));
        batch.setString(5, Database.storable(a.alertname()));
        batch.setString(6, Database.storable(json.labels(a)));
        batch.setString(7, Database.storable(json.annotations(a)));
        batch.setLong(8, a.startsAt().toEpochMilli());
        setNullableLong(batch, 9, millis(a.endsAt()));
        batch.setString(10, Database.storable(a.generatorUrl()));
        batch.addBatch();
      }
      batch.executeBatch();
    }
  }

  private static void writeOccurrences(Handle h, long incidentId, Decision d, long now,
      LabelJson json) throws SQLException {
    Map<String, Alert> seen = new LinkedHashMap<>();
    Map<String, Integer> newOccurrences = new HashMap<>();
    Connection c = h.getConnection();
    if (!d.occurrencesStarted().isEmpty()) {
      try (PreparedStatement batch = c.prepareStatement("INSERT INTO alert_occurrence (fingerprint, "
          + "starts_at, incident_id, alertname, ends_at) VALUES (?, ?, ?, ?, NULL) "
          + "ON CONFLICT (fingerprint, starts_at) DO NOTHING")) {
        for (Alert a : d.occurrencesStarted()) {
          batch.setString(1, Database.storable(a.fingerprint()));
          batch.setLong(2, a.startsAt().toEpochMilli());
          batch.setLong(3, incidentId);
          batch.setString(4, Database.storable(a.alertname()));
          batch.addBatch();
        }
        int[] inserted = batch.executeBatch();
        for (int i = 0; i < inserted.length; i++) {
          Alert a = d.occurrencesStarted().get(i);
          seen.put(a.fingerprint(), a);
          // SUCCESS_NO_INFO (-2) means the driver did not count; treat it as inserted.
          newOccurrences.merge(a.fingerprint(), inserted[i] != 0 ? 1 : 0, Integer::sum);
        }
      }
    }
    if (!d.occurrencesEnded().isEmpty()) {
      try (PreparedStatement batch = c.prepareStatement("UPDATE alert_occurrence SET ends_at = ? "
          + "WHERE fingerprint = ? AND starts_at = ?")) {
        for (Alert a : d.occurrencesEnded()) {
          batch.setLong(1, a.endsAt() == null ? now : a.endsAt().toEpochMilli());
          batch.setString(2, Database.storable(a.fingerprint()));
          batch.setLong(3, a.startsAt().toEpochMilli());
          batch.addBatch();
          seen.putIfAbsent(a.fingerprint(), a);
        }
        batch.executeBatch();
      }
    }
    if (seen.isEmpty()) {
      return;
    }
    try (PreparedStatement batch = c.prepareStatement("INSERT INTO alert_fingerprint (fingerprint, "
        + "alertname, labels_json, first_seen_at, last_seen_at, occurrence_count) "
        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET "
        + "last_seen_at = excluded.last_seen_at, "
        + "occurrence_count = alert_fingerprint.occurrence_count + excluded.occurrence_count")) {
      for (Alert a : seen.values()) {
        batch.setString(1, Database.storable(a.fingerprint()));
        batch.setString(2, Database.storable(a.alertname()));
        batch.setString(3, Database.storable(json.labels(a)));
        batch.setLong(4, now);
        batch.setLong(5, now);
        batch.setInt(6, newOccurrences.getOrDefault(a.fingerprint(), 0));
        batch.addBatch();
      }
      batch.executeBatch();
    }
  }

  private static void setNullableLong(PreparedStatement s, int index, @Nullable Long value)
      throws SQLException {
    if (value == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, value);
    }
  }

  /**
   * Serialises each alert's labels once per transaction, and each distinct annotation set once
   * (alerts of one rule mostly share their annotations).
   */
  private static final class LabelJson {
    private final Map<Alert, String> labels = new IdentityHashMap<>();
    private final Map<Labels, String> annotations = new HashMap<>();

    String labels(Alert a) {
      return labels.computeIfAbsent(a, x -> StoreJson.labels(x.labels()));
    }

    String annotations(Alert a) {
      return annotations.computeIfAbsent(a.annotations(), StoreJson::labels);
    }
  }

  static void writeEvents(Handle h, long incidentId, List<IncidentEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch("INSERT INTO incident_event (incident_id, at, kind, "
        + "details_json) VALUES (:incidentId, :at, :kind, :details)");
    for (IncidentEvent e : events) {
      batch.bind("incidentId", incidentId).bind("at", e.at().toEpochMilli())
          .bind("kind", e.kind().wire()).bind("details", StoreJson.write(e.details())).add();
    }
    batch.execute();
  }

  static void writeOutbox(Handle h, long incidentId, List<OutgoingMessage> messages, long now,
      boolean slackEnabled) {
    JdbiOutbox.insert(h, incidentId, messages, now, OutboxStatus.initial(slackEnabled));
  }

  private static @Nullable Incident loadLatest(Handle h, String receiver, String groupKey) {
    Optional<Incident> latest = h.createQuery("SELECT * FROM incident WHERE receiver = :receiver "
            + "AND group_key = :groupKey ORDER BY id DESC LIMIT 1")
        .bind("receiver", receiver).bind("groupKey", groupKey)
        .map((rs, ctx) -> incident(rs, List.of()))
        .findOne();
    return latest.map(i -> withMembers(h, i)).orElse(null);
  }

  /** Returns, per member fingerprint of an incident, how many firing periods were ever seen. */
  static Map<String, Integer> occurrenceCounts(Handle h, long incidentId) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    h.createQuery("SELECT f.fingerprint, f.occurrence_count FROM alert_fingerprint f "
            + "JOIN incident_alert a ON a.fingerprint = f.fingerprint WHERE a.incident_id = :id")
        .bind("id", incidentId)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  /** Loads one incident with its members on the caller's handle, or empty when it does not exist. */
  static Optional<Incident> loadIncident(Handle h, long id) {
    return h.createQuery("SELECT * FROM incident WHERE id = :id")
        .bind("id", id).map((rs, ctx) -> incident(rs, List.of())).findOne()
        .map(i -> withMembers(h, i));
  }

  private static Incident withMembers(Handle h, Incident i) {
    List<Alert> members = h.createQuery("SELECT * FROM incident_alert WHERE incident_id = :id "
            + "ORDER BY position, fingerprint")
        .bind("id", i.id())
        .map((rs, ctx) -> alert(rs))
        .list();
    return withMembers(i, members);
  }

  private static Alert alert(ResultSet rs) throws SQLException {
    return new Alert(
        rs.getString("fingerprint"),
        AlertStatus.fromWire(rs.getString("status")),
        StoreJson.labels(rs.getString("labels_json")),
        StoreJson.labels(rs.getString("annotations_json")),
        Instant.ofEpochMilli(rs.getLong("starts_at")),
        instant(rs, "ends_at"),
        rs.getString("generator_url"));
  }

  private static Incident withMembers(Incident i, List<Alert> members) {
    return new Incident(i.id(), i.receiver(), i.groupKey(), i.status(), i.groupLabels(),
        i.commonLabels(), i.commonAnnotations(), i.externalUrl(), i.truncatedAlerts(),
        i.startedAt(), i.openedAt(), i.resolvedAt(), i.endedAt(), i.lastChangedAt(),
        i.reopenCount(), members);
  }

  private static Incident incident(ResultSet rs, List<Alert> members) throws SQLException {
    return new Incident(
        rs.getLong("id"),
        rs.getString("receiver"),
        rs.getString("group_key"),
        IncidentStatus.fromWire(rs.getString("status")),
        StoreJson.labels(rs.getString("group_labels_json")),
        StoreJson.labels(rs.getString("common_labels_json")),
        StoreJson.labels(rs.getString("common_annotations_json")),
        rs.getString("external_url"),
        rs.getInt("truncated_alerts"),
        Instant.ofEpochMilli(rs.getLong("started_at")),
        Instant.ofEpochMilli(rs.getLong("opened_at")),
        instant(rs, "resolved_at"),
        instant(rs, "ended_at"),
        Instant.ofEpochMilli(rs.getLong("last_changed_at")),
        rs.getInt("reopen_count"),
        members);
  }

  @Override
  public Optional<IncidentDetail> find(long id) {
    requireMigrated();
    try {
      return jdbi.withHandle(h -> {
        Optional<Incident> found = h.createQuery("SELECT * FROM incident WHERE id = :id")
            .bind("id", id).map((rs, ctx) -> incident(rs, List.of())).findOne();
        if (found.isEmpty()) {
          return Optional.<IncidentDetail>empty();
        }
        Incident incident = withMembers(h, found.get());
        List<StoredEvent> events = events(h, id, Integer.MAX_VALUE);
        return Optional.of(new IncidentDetail(incident, events, slackMessages(h, id),
            occurrenceCounts(h, id)));
      });
    } catch (JdbiException e) {
      throw new StorageException("could not load incident " + id, e);
    }
  }

  @Override
  public Optional<IncidentPageView> findPage(long id, int alertLimit, int alertOffset) {
    requireMigrated();
    if (alertLimit < 1 || alertLimit > 1000 || alertOffset < 0) {
      throw new IllegalArgumentException("alert limit must be 1-1000 and offset 0 or more");
    }
    try {
      return jdbi.withHandle(h -> {
        Optional<IncidentSummary> summary = h.createQuery("SELECT * FROM incident WHERE id = :id")
            .bind("id", id).map((rs, ctx) -> summary(rs)).findOne();
        if (summary.isEmpty()) {
          return Optional.<IncidentPageView>empty();
        }
        Incident head = h.createQuery("SELECT * FROM incident WHERE id = :id")
            .bind("id", id).map((rs, ctx) -> incident(rs, List.of())).one();
        List<Alert> page = h.createQuery("SELECT * FROM incident_alert WHERE incident_id = :id "
                + "ORDER BY CASE WHEN status = 'firing' THEN 0 ELSE 1 END, position, fingerprint "
                + "LIMIT :limit OFFSET :offset")
            .bind("id", id).bind("limit", alertLimit).bind("offset", alertOffset)
            .map((rs, ctx) -> alert(rs)).list();
        Incident incident = withMembers(head, page);
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (!page.isEmpty()) {
          h.createQuery("SELECT fingerprint, occurrence_count FROM alert_fingerprint "
                  + "WHERE fingerprint IN (<fps>)")
              .bindList("fps", page.stream().map(Alert::fingerprint).toList())
              .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
              .forEach(e -> counts.put(e.getKey(), e.getValue()));
        }
        long eventTotal = h.createQuery("SELECT COUNT(*) FROM incident_event "
            + "WHERE incident_id = :id").bind("id", id).mapTo(Long.class).one();
        IncidentDetail detail = new IncidentDetail(incident, events(h, id, MAX_PAGE_EVENTS),
            slackMessages(h, id), counts);
        return Optional.of(new IncidentPageView(detail, summary.get(), alertOffset, alertLimit,
            eventTotal));
      });
    } catch (JdbiException e) {
      throw new StorageException("could not load incident " + id, e);
    }
  }

  /** The newest {@code limit} events of an incident, oldest first. */
  private static List<StoredEvent> events(Handle h, long id, int limit) {
    List<StoredEvent> events = new ArrayList<>(h.createQuery("SELECT * FROM incident_event "
            + "WHERE incident_id = :id ORDER BY id DESC LIMIT :limit")
        .bind("id", id).bind("limit", limit)
        .map((rs, ctx) -> new StoredEvent(rs.getLong("id"), rs.getString("kind"),
            Instant.ofEpochMilli(rs.getLong("at")),
            StoreJson.details(rs.getString("details_json"))))
        .list());
    java.util.Collections.reverse(events);
    return events;
  }

  /** Where the incident's messages live; bounded by its channels. */
  private static List<SlackMessageRef> slackMessages(Handle h, long id) {
    // Its own parents, and the messages it was folded into: the storm message of a rolled-up
    // incident, the related incident's parent of a correlated one.
    List<SlackMessageRef> messages = h.createQuery("SELECT channel, channel_id, ts FROM ("
            + "SELECT channel, channel_id, ts, posted_at FROM slack_message "
            + "WHERE incident_id = :id UNION "
            + "SELECT m.channel, m.channel_id, m.ts, m.posted_at FROM incident_channel c "
            + "JOIN noise_storm s ON s.id = c.storm_id "
            + "JOIN slack_message m ON m.incident_id = s.anchor_incident_id "
            + "AND m.channel = c.channel WHERE c.incident_id = :id AND c.mode = 'rolled_up' "
            + "UNION SELECT m.channel, m.channel_id, m.ts, m.posted_at FROM incident_channel c "
            + "JOIN slack_message m ON m.incident_id = c.related_incident_id "
            + "AND m.channel = c.channel WHERE c.incident_id = :id AND c.mode = 'correlated'"
            + ") linked ORDER BY posted_at")
        .bind("id", id)
        .map((rs, ctx) -> new SlackMessageRef(rs.getString("channel"),
            rs.getString("channel_id"), rs.getString("ts")))
        .list();
    return messages;
  }

  @Override
  public IncidentPage list(@Nullable IncidentStatus status, int limit, int offset) {
    requireMigrated();
    if (limit < 1 || limit > 500 || offset < 0) {
      throw new IllegalArgumentException("limit must be 1-500 and offset 0 or more");
    }
    String where = status == null ? "" : " WHERE status = :status";
    try {
      return jdbi.withHandle(h -> {
        var query = h.createQuery("SELECT * FROM incident" + where
            + " ORDER BY id DESC LIMIT :limit OFFSET :offset");
        var count = h.createQuery("SELECT COUNT(*) FROM incident" + where);
        if (status != null) {
          query.bind("status", status.wire());
          count.bind("status", status.wire());
        }
        List<IncidentSummary> rows = query.bind("limit", limit).bind("offset", offset)
            .map((rs, ctx) -> summary(rs))
            .list();
        return new IncidentPage(new ArrayList<>(rows), count.mapTo(Long.class).one());
      });
    } catch (JdbiException e) {
      throw new StorageException("could not list incidents", e);
    }
  }

  /** Maps one {@code incident} row to its list form; also used by the history search. */
  static IncidentSummary summary(ResultSet rs) throws SQLException {
    return new IncidentSummary(
        rs.getLong("id"),
        rs.getString("receiver"),
        rs.getString("group_key"),
        IncidentStatus.fromWire(rs.getString("status")),
        rs.getString("alertname"),
        rs.getString("severity"),
        StoreJson.labels(rs.getString("group_labels_json")),
        rs.getInt("firing_count"),
        rs.getInt("resolved_count"),
        rs.getInt("truncated_alerts"),
        Instant.ofEpochMilli(rs.getLong("started_at")),
        Instant.ofEpochMilli(rs.getLong("opened_at")),
        instant(rs, "resolved_at"),
        instant(rs, "ended_at"),
        rs.getInt("reopen_count"));
  }

  private void requireMigrated() {
    if (!database.isMigrated()) {
      throw new StorageException("the database is not migrated yet",
          new IllegalStateException("not ready"));
    }
  }

  static @Nullable Long millis(@Nullable Instant t) {
    return t == null ? null : t.toEpochMilli();
  }

  static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
