package dev.alertdesk.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.action.FingerprintSnooze;
import dev.alertdesk.incident.IncidentResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Reads and writes the {@code incident_response} and {@code fingerprint_snooze} tables on a
 * transaction's handle, for the incident store (rendering a parent with its acknowledgement,
 * leaving out snoozed replies) and the action store.
 */
final class JdbiIncidentResponses {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private JdbiIncidentResponses() {}

  /**
   * Loads an incident's response; snoozes are those active at {@code now} for its members.
   *
   * @param h an open handle
   * @param incidentId the incident
   * @param now the current time
   */
  static IncidentResponse load(Handle h, long incidentId, Instant now) {
    Optional<IncidentResponse> row = h.createQuery("SELECT * FROM incident_response "
            + "WHERE incident_id = :id")
        .bind("id", incidentId)
        .map((rs, ctx) -> {
          IncidentResponse.Acknowledgement ack = null;
          if (rs.getString("acknowledged_by_id") != null) {
            ack = new IncidentResponse.Acknowledgement(rs.getString("acknowledged_by_id"),
                rs.getString("acknowledged_by_name"),
                Instant.ofEpochMilli(rs.getLong("acknowledged_at")));
          }
          IncidentResponse.Silence silence = null;
          if (rs.getString("silence_id") != null) {
            silence = new IncidentResponse.Silence(rs.getString("silence_id"),
                matchers(rs.getString("silence_matchers_json")),
                Instant.ofEpochMilli(rs.getLong("silenced_until")),
                rs.getString("silenced_by_id"), rs.getString("silenced_by_name"),
                rs.getInt("silence_until_resolved") != 0);
          }
          return new IncidentResponse(incidentId, ack, silence, Set.of());
        })
        .findOne();
    Set<String> snoozed = new HashSet<>();
    long nowMillis = now.toEpochMilli();
    h.createQuery("SELECT s.fingerprint, s.snoozed_until, s.until_occurrence_count, "
            + "f.occurrence_count FROM fingerprint_snooze s "
            + "JOIN incident_alert a ON a.fingerprint = s.fingerprint AND a.incident_id = :id "
            + "LEFT JOIN alert_fingerprint f ON f.fingerprint = s.fingerprint")
        .bind("id", incidentId)
        .map((rs, ctx) -> {
          long until = rs.getLong(2);
          boolean byTime = !rs.wasNull();
          int untilCount = rs.getInt(3);
          boolean byCount = !rs.wasNull();
          int count = rs.getInt(4);
          boolean active = (!byTime || until > nowMillis) && (!byCount || count < untilCount)
              && (byTime || byCount);
          return active ? rs.getString(1) : null;
        })
        .forEach(fp -> {
          if (fp != null) {
            snoozed.add(fp);
          }
        });
    IncidentResponse response = row.orElse(IncidentResponse.none(incidentId));
    return new IncidentResponse(incidentId, response.acknowledgement(), response.silence(), snoozed);
  }

  /** Writes an incident's response (acknowledgement and silence; snoozes are separate). */
  static void store(Handle h, IncidentResponse r, Instant now) {
    IncidentResponse.Acknowledgement ack = r.acknowledgement();
    IncidentResponse.Silence s = r.silence();
    h.createUpdate("INSERT INTO incident_response (incident_id, acknowledged_by_id, "
            + "acknowledged_by_name, acknowledged_at, silence_id, silence_matchers_json, "
            + "silenced_until, silenced_by_id, silenced_by_name, silence_until_resolved, updated_at) "
            + "VALUES (:id, :ackId, :ackName, :ackAt, :silenceId, :matchers, :until, :silencedById, "
            + ":silencedByName, :untilResolved, :now) ON CONFLICT (incident_id) DO UPDATE SET "
            + "acknowledged_by_id = excluded.acknowledged_by_id, "
            + "acknowledged_by_name = excluded.acknowledged_by_name, "
            + "acknowledged_at = excluded.acknowledged_at, silence_id = excluded.silence_id, "
            + "silence_matchers_json = excluded.silence_matchers_json, "
            + "silenced_until = excluded.silenced_until, silenced_by_id = excluded.silenced_by_id, "
            + "silenced_by_name = excluded.silenced_by_name, "
            + "silence_until_resolved = excluded.silence_until_resolved, "
            + "updated_at = excluded.updated_at")
        .bind("id", r.incidentId())
        .bind("ackId", ack == null ? null : ack.userId())
        .bind("ackName", ack == null ? null : ack.userName())
        .bind("ackAt", ack == null ? null : ack.at().toEpochMilli())
        .bind("silenceId", s == null ? null : s.id())
        .bind("matchers", s == null ? null : StoreJson.write(s.matchers()))
        .bind("until", s == null ? null : s.endsAt().toEpochMilli())
        .bind("silencedById", s == null ? null : s.userId())
        .bind("silencedByName", s == null ? null : s.userName())
        .bind("untilResolved", s != null && s.untilResolved() ? 1 : 0)
        .bind("now", now.toEpochMilli())
        .execute();
  }

  /** Stores a snooze, replacing an earlier snooze of the same fingerprint. */
  static void snooze(Handle h, FingerprintSnooze s) {
    h.createUpdate("INSERT INTO fingerprint_snooze (fingerprint, incident_id, snoozed_until, "
            + "until_occurrence_count, snoozed_by_id, snoozed_by_name, created_at) VALUES "
            + "(:fp, :incidentId, :until, :count, :byId, :byName, :at) ON CONFLICT (fingerprint) "
            + "DO UPDATE SET incident_id = excluded.incident_id, "
            + "snoozed_until = excluded.snoozed_until, "
            + "until_occurrence_count = excluded.until_occurrence_count, "
            + "snoozed_by_id = excluded.snoozed_by_id, snoozed_by_name = excluded.snoozed_by_name, "
            + "created_at = excluded.created_at")
        .bind("fp", s.fingerprint())
        .bind("incidentId", s.incidentId())
        .bind("until", s.until() == null ? null : s.until().toEpochMilli())
        .bind("count", s.untilOccurrenceCount())
        .bind("byId", s.userId())
        .bind("byName", s.userName())
        .bind("at", s.createdAt().toEpochMilli())
        .execute();
  }

  private static List<String> matchers(String json) {
    try {
      return JSON.readValue(json, STRINGS);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("corrupt silence matchers in the database", e);
    }
  }

}
