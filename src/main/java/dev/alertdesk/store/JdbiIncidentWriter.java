package dev.alertdesk.store;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.incident.ReceivedNotification;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.ingest.IncidentWriter;
import dev.alertdesk.alert.Notification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * {@link IncidentWriter} bound to one open transaction's {@link Handle}. Notifications of one
 * group are serialised by an upsert on {@code alert_group}, which takes a row lock on PostgreSQL;
 * on SQLite every write transaction is {@code BEGIN IMMEDIATE}. Members and occurrences go
 * through plain JDBC batches on the transaction's connection.
 */
final class JdbiIncidentWriter implements IncidentWriter {
  private final Handle h;

  /** @param h a handle inside a transaction */
  JdbiIncidentWriter(Handle h) {
    this.h = h;
  }

  @Override
  public @Nullable Incident lockGroup(String receiver, String groupKey, Instant now) {
    h.createUpdate("INSERT INTO alert_group (receiver, group_key, last_notification_at) "
            + "VALUES (:receiver, :groupKey, :now) ON CONFLICT (receiver, group_key) "
            + "DO UPDATE SET last_notification_at = excluded.last_notification_at")
        .bind("receiver", receiver).bind("groupKey", groupKey).bind("now", now.toEpochMilli())
        .execute();
    return JdbiIncidentRepository.loadLatest(h, receiver, groupKey);
  }

  @Override
  public Incident write(Decision decision, Instant at) {
    Incident incident = decision.incident();
    if (incident == null) {
      throw new IllegalArgumentException("the decision touched no incident");
    }
    long now = at.toEpochMilli();
    long incidentId;
    if (decision.isNew()) {
      incidentId = insertIncident(h, incident);
    } else {
      Long id = incident.id();
      if (id == null) {
        throw new IllegalStateException("engine returned an existing incident without id");
      }
      incidentId = id;
      if (!decision.events().isEmpty()) {
        updateIncident(h, incidentId, incident);
      }
    }
    try {
      LabelJson json = new LabelJson();
      writeMembers(h, incidentId, incident,
          decision.isNew() ? incident.members() : decision.changedMembers(), json);
      writeOccurrences(h, incidentId, decision, now, json);
    } catch (SQLException e) {
      throw new StorageException("could not commit the notification", e);
    }
    JdbiIncidentRepository.writeEvents(h, incidentId, decision.events());
    Incident stored = incident.withId(incidentId);
    // The value and chart are rendered and stored whether Slack delivery is on or off.
    JdbiEnrichmentJobs.enqueue(h, stored, decision.outcome(), now);
    return stored;
  }

  @Override
  public IncidentResponse response(long incidentId, Instant now) {
    return JdbiIncidentResponses.load(h, incidentId, now);
  }

  @Override
  public long recordNotification(ReceivedNotification received, NotificationOutcome outcome,
      @Nullable Long incidentId) {
    Notification n = received.notification();
    return h.createUpdate("INSERT INTO notification (received_at, receiver, "
            + "group_key, status, alert_count, truncated_alerts, outcome, incident_id, headers_json, "
            + "raw_json) VALUES (:receivedAt, :receiver, :groupKey, :status, :alertCount, "
            + ":truncated, :outcome, :incidentId, :headers, :raw)")
        .bind("receivedAt", received.receivedAt().toEpochMilli())
        .bind("receiver", n.receiver())
        .bind("groupKey", n.groupKey())
        .bind("status", n.status().wire())
        .bind("alertCount", n.alerts().size())
        .bind("truncated", n.truncatedAlerts())
        .bind("outcome", outcome.wire())
        .bind("incidentId", incidentId)
        .bind("headers", received.headersJson())
        .bind("raw", received.rawJson())
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
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
    m.put("resolvedAt", JdbiIncidentRepository.millis(i.resolvedAt()));
    m.put("endedAt", JdbiIncidentRepository.millis(i.endedAt()));
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
        setNullableLong(batch, 9, JdbiIncidentRepository.millis(a.endsAt()));
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
}
