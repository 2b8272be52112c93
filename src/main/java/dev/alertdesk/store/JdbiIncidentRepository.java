package dev.alertdesk.store;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.delivery.OutboxStatus;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.IncidentSummary;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.StorageException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
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
 * {@link IncidentRepository} on SQLite or PostgreSQL through Jdbi: the read side of incidents.
 * Notifications are written by {@link JdbiIngestStore}'s roles; the row helpers they share stay
 * here.
 */
public final class JdbiIncidentRepository implements IncidentRepository {
  private final Database database;
  private final Jdbi jdbi;

  /** @param database a database; every call fails with StorageException until it is migrated */
  public JdbiIncidentRepository(Database database) {
    this.database = database;
    this.jdbi = database.jdbi();
  }

  /** Appends events to an incident's timeline on the caller's handle. */
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

  /**
   * Writes outbox rows on the caller's handle: {@code pending}, or {@code skipped} previews when
   * Slack delivery is off.
   */
  static void writeOutbox(Handle h, long incidentId, List<OutgoingMessage> messages, long now,
      boolean slackEnabled) {
    JdbiOutbox.insert(h, incidentId, messages, now, OutboxStatus.initial(slackEnabled));
  }

  /** Loads the group's latest incident with its members on the caller's handle, or null. */
  static @Nullable Incident loadLatest(Handle h, String receiver, String groupKey) {
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

  /** Returns the incident with its members, loaded on the caller's handle. */
  static Incident withMembers(Handle h, Incident i) {
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

  /** Maps one {@code incident} row, with the given members. */
  static Incident incident(ResultSet rs, List<Alert> members) throws SQLException {
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
