package dev.alertdesk.store;

import dev.alertdesk.delivery.OutboxStatus;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.ingest.OutboxWriter;
import dev.alertdesk.noise.ChannelMode;
import dev.alertdesk.noise.ChannelState;
import dev.alertdesk.noise.FlappingState;
import dev.alertdesk.noise.NoiseLedger;
import dev.alertdesk.noise.StormMember;
import dev.alertdesk.noise.StormTally;
import dev.alertdesk.noise.StormState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * {@link NoiseLedger} on the tables of {@code V4__noise_routing.sql}, bound to one open
 * transaction's {@link Handle}; also the ingest transaction's {@link OutboxWriter}. Row locks
 * come from upserts and no-op updates, which lock the row on PostgreSQL; on SQLite every write
 * transaction already runs alone.
 */
final class JdbiNoiseLedger implements NoiseLedger, OutboxWriter {
  private final Handle h;
  private final boolean slackEnabled;
  private final long nowMillis;

  /**
   * @param h a handle inside a transaction
   * @param slackEnabled false stores outbox rows as skipped previews
   * @param now the creation time of outbox rows written through this ledger
   */
  JdbiNoiseLedger(Handle h, boolean slackEnabled, Instant now) {
    this.h = h;
    this.slackEnabled = slackEnabled;
    this.nowMillis = now.toEpochMilli();
  }

  @Override
  public List<ChannelState> channels(long incidentId) {
    return h.createQuery("SELECT * FROM incident_channel WHERE incident_id = :id ORDER BY position")
        .bind("id", incidentId).map((rs, ctx) -> channelState(rs)).list();
  }

  @Override
  public void saveChannel(ChannelState s) {
    ChannelState.Routing r = s.routing();
    ChannelState.Posted posted = s instanceof ChannelState.Posted p ? p : null;
    h.createUpdate("INSERT INTO incident_channel (incident_id, channel, position, mode, route_index, "
            + "mention, notify_at, storm_id, related_incident_id, correlation_key, next_reminder_at, "
            + "reminders_sent) VALUES (:id, :channel, (SELECT COUNT(*) FROM incident_channel "
            + "WHERE incident_id = :id), :mode, :route, :mention, :notifyAt, :stormId, :related, "
            + ":key, :reminder, :sent) ON CONFLICT (incident_id, channel) DO UPDATE SET "
            + "mode = excluded.mode, route_index = excluded.route_index, "
            + "mention = excluded.mention, notify_at = excluded.notify_at, "
            + "storm_id = excluded.storm_id, related_incident_id = excluded.related_incident_id, "
            + "correlation_key = excluded.correlation_key, "
            + "next_reminder_at = excluded.next_reminder_at, "
            + "reminders_sent = excluded.reminders_sent")
        .bind("id", r.incidentId())
        .bind("channel", r.channel())
        .bind("mode", s.mode().wire())
        .bind("route", r.routeIndex())
        .bind("mention", r.mention())
        .bind("notifyAt", s instanceof ChannelState.Delayed d ? d.notifyAt().toEpochMilli() : null)
        .bind("stormId", s instanceof ChannelState.RolledUp u ? u.stormId() : null)
        .bind("related", s instanceof ChannelState.Correlated c ? c.relatedIncidentId() : null)
        .bind("key", r.correlationKey())
        .bind("reminder", posted == null ? null
            : JdbiIncidentRepository.millis(posted.nextReminderAt()))
        .bind("sent", posted == null ? 0 : posted.remindersSent())
        .execute();
  }

  @Override
  public void lockChannel(String channel) {
    h.createUpdate("INSERT INTO noise_channel (channel, locked_at) VALUES (:channel, 0) "
            + "ON CONFLICT (channel) DO UPDATE SET locked_at = noise_channel.locked_at + 1")
        .bind("channel", channel).execute();
  }

  @Override
  public int arrivalsSince(String channel, Instant since) {
    return h.createQuery("SELECT COUNT(*) FROM noise_arrival WHERE channel = :channel AND at > :since")
        .bind("channel", channel).bind("since", since.toEpochMilli()).mapTo(Integer.class).one();
  }

  @Override
  public void addArrival(String channel, long incidentId, Instant at, Instant pruneBefore) {
    h.createUpdate("DELETE FROM noise_arrival WHERE channel = :channel AND at < :before")
        .bind("channel", channel).bind("before", pruneBefore.toEpochMilli()).execute();
    h.createUpdate("INSERT INTO noise_arrival (channel, incident_id, at) VALUES (:channel, :id, :at) "
            + "ON CONFLICT (channel, incident_id) DO NOTHING")
        .bind("channel", channel).bind("id", incidentId).bind("at", at.toEpochMilli()).execute();
  }

  @Override
  public @Nullable StormState activeStorm(String channel) {
    return h.createQuery("SELECT * FROM noise_storm WHERE channel = :channel AND ended_at IS NULL "
            + "ORDER BY id DESC LIMIT 1")
        .bind("channel", channel).map((rs, ctx) -> storm(rs)).findOne().orElse(null);
  }

  @Override
  public StormState startStorm(String channel, long anchorIncidentId, Instant at) {
    long id = h.createUpdate("INSERT INTO noise_storm (channel, anchor_incident_id, started_at) "
            + "VALUES (:channel, :anchor, :at)")
        .bind("channel", channel).bind("anchor", anchorIncidentId).bind("at", at.toEpochMilli())
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    return new StormState(id, channel, anchorIncidentId, at, null);
  }

  @Override
  public void endStorm(long stormId, Instant at) {
    h.createUpdate("UPDATE noise_storm SET ended_at = :at WHERE id = :id AND ended_at IS NULL")
        .bind("at", at.toEpochMilli()).bind("id", stormId).execute();
  }

  @Override
  public @Nullable StormState storm(long stormId) {
    return h.createQuery("SELECT * FROM noise_storm WHERE id = :id")
        .bind("id", stormId).map((rs, ctx) -> storm(rs)).findOne().orElse(null);
  }

  @Override
  public List<StormState> activeStorms() {
    return h.createQuery("SELECT * FROM noise_storm WHERE ended_at IS NULL ORDER BY id")
        .map((rs, ctx) -> storm(rs)).list();
  }

  @Override
  public List<StormMember> stormMembers(long stormId) {
    return h.createQuery("SELECT i.id, i.alertname, i.group_labels_json, i.status, i.firing_count "
            + "FROM incident_channel c JOIN incident i ON i.id = c.incident_id "
            + "WHERE c.storm_id = :storm AND c.mode = :mode ORDER BY i.id LIMIT :limit")
        .bind("storm", stormId).bind("mode", ChannelMode.ROLLED_UP.wire())
        .bind("limit", MAX_STORM_MEMBERS)
        .map((rs, ctx) -> new StormMember(rs.getLong(1), rs.getString(2),
            StoreJson.labels(rs.getString(3)), IncidentStatus.fromWire(rs.getString(4)),
            rs.getInt(5)))
        .list();
  }

  @Override
  public StormTally stormTally(long stormId) {
    return h.createQuery("SELECT COUNT(*), COALESCE(SUM(CASE WHEN i.status <> :resolved "
            + "THEN 1 ELSE 0 END), 0) FROM incident_channel c "
            + "JOIN incident i ON i.id = c.incident_id WHERE c.storm_id = :storm AND c.mode = :mode")
        .bind("storm", stormId).bind("mode", ChannelMode.ROLLED_UP.wire())
        .bind("resolved", IncidentStatus.RESOLVED.wire())
        .map((rs, ctx) -> new StormTally(rs.getInt(1), rs.getInt(2)))
        .one();
  }

  @Override
  public @Nullable Long openPostedIncident(String channel, String correlationKey,
      long excludeIncidentId) {
    return h.createQuery("SELECT MIN(c.incident_id) FROM incident_channel c "
            + "JOIN incident i ON i.id = c.incident_id WHERE c.channel = :channel "
            + "AND c.correlation_key = :key AND c.mode = :mode AND c.incident_id <> :exclude "
            + "AND i.status <> :resolved")
        .bind("channel", channel).bind("key", correlationKey)
        .bind("mode", ChannelMode.POSTED.wire()).bind("exclude", excludeIncidentId)
        .bind("resolved", IncidentStatus.RESOLVED.wire())
        .mapTo(Long.class).findOne().orElse(null);
  }

  @Override
  public void addTransition(String fingerprint, long incidentId, Instant at, Instant pruneBefore) {
    h.createUpdate("DELETE FROM noise_transition WHERE fingerprint = :fp AND at < :before")
        .bind("fp", fingerprint).bind("before", pruneBefore.toEpochMilli()).execute();
    h.createUpdate("INSERT INTO noise_transition (fingerprint, at, incident_id) VALUES (:fp, :at, :id)")
        .bind("fp", fingerprint).bind("at", at.toEpochMilli()).bind("id", incidentId).execute();
  }

  @Override
  public int transitionsSince(String fingerprint, Instant since) {
    return h.createQuery("SELECT COUNT(*) FROM noise_transition WHERE fingerprint = :fp AND at > :since")
        .bind("fp", fingerprint).bind("since", since.toEpochMilli()).mapTo(Integer.class).one();
  }

  @Override
  public int flappingTransitions(long incidentId, Instant since) {
    return h.createQuery("SELECT COUNT(*) FROM noise_transition t JOIN noise_flapping f "
            + "ON f.fingerprint = t.fingerprint WHERE f.incident_id = :id AND t.at > :since "
            + "GROUP BY t.fingerprint ORDER BY COUNT(*) DESC LIMIT 1")
        .bind("id", incidentId).bind("since", since.toEpochMilli())
        .mapTo(Integer.class).findOne().orElse(0);
  }

  @Override
  public @Nullable FlappingState flapping(String fingerprint) {
    return h.createQuery("SELECT * FROM noise_flapping WHERE fingerprint = :fp")
        .bind("fp", fingerprint).map((rs, ctx) -> flapping(rs)).findOne().orElse(null);
  }

  @Override
  public void saveFlapping(FlappingState f) {
    h.createUpdate("INSERT INTO noise_flapping (fingerprint, incident_id, since, last_transition_at) "
            + "VALUES (:fp, :id, :since, :last) ON CONFLICT (fingerprint) DO UPDATE SET "
            + "incident_id = excluded.incident_id, since = excluded.since, "
            + "last_transition_at = excluded.last_transition_at")
        .bind("fp", f.fingerprint()).bind("id", f.incidentId())
        .bind("since", f.since().toEpochMilli()).bind("last", f.lastTransitionAt().toEpochMilli())
        .execute();
  }

  @Override
  public void clearFlapping(String fingerprint) {
    h.createUpdate("DELETE FROM noise_flapping WHERE fingerprint = :fp").bind("fp", fingerprint)
        .execute();
  }

  @Override
  public List<FlappingState> flappingQuietSince(Instant quietSince, int limit) {
    return h.createQuery("SELECT * FROM noise_flapping WHERE last_transition_at < :quiet "
            + "ORDER BY last_transition_at LIMIT :limit")
        .bind("quiet", quietSince.toEpochMilli()).bind("limit", limit)
        .map((rs, ctx) -> flapping(rs)).list();
  }

  @Override
  public void addEvent(long incidentId, IncidentEvent event) {
    JdbiIncidentRepository.writeEvents(h, incidentId, List.of(event));
  }

  @Override
  public void enqueue(long incidentId, OutgoingMessage message) {
    JdbiIncidentRepository.writeOutbox(h, incidentId, List.of(message), nowMillis, slackEnabled);
  }

  @Override
  public void enqueueLatestUpdate(long incidentId, OutgoingMessage message) {
    JdbiOutbox.insertLatestUpdate(h, incidentId, message, nowMillis,
        OutboxStatus.initial(slackEnabled));
  }

  @Override
  public @Nullable Incident lockIncident(long incidentId) {
    Optional<String[]> group = h.createQuery("SELECT receiver, group_key FROM incident WHERE id = :id")
        .bind("id", incidentId)
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).findOne();
    if (group.isEmpty()) {
      return null;
    }
    // The same row the ingest transaction upserts first: holds notifications of the group off.
    h.createUpdate("UPDATE alert_group SET last_notification_at = last_notification_at "
            + "WHERE receiver = :receiver AND group_key = :groupKey")
        .bind("receiver", group.get()[0]).bind("groupKey", group.get()[1]).execute();
    return JdbiIncidentRepository.loadIncident(h, incidentId).orElse(null);
  }

  @Override
  public IncidentResponse response(long incidentId, Instant now) {
    return JdbiIncidentResponses.load(h, incidentId, now);
  }

  @Override
  public List<ChannelState.Delayed> delayedDue(Instant now, int limit) {
    return h.createQuery("SELECT * FROM incident_channel WHERE mode = :mode AND notify_at <= :now "
            + "ORDER BY notify_at LIMIT :limit")
        .bind("mode", ChannelMode.DELAYED.wire()).bind("now", now.toEpochMilli())
        .bind("limit", limit).map((rs, ctx) -> (ChannelState.Delayed) channelState(rs)).list();
  }

  @Override
  public List<ChannelState.Posted> remindersDue(Instant now, int limit) {
    return h.createQuery("SELECT * FROM incident_channel WHERE mode = :mode "
            + "AND next_reminder_at <= :now ORDER BY next_reminder_at LIMIT :limit")
        .bind("mode", ChannelMode.POSTED.wire()).bind("now", now.toEpochMilli())
        .bind("limit", limit).map((rs, ctx) -> (ChannelState.Posted) channelState(rs)).list();
  }

  /**
   * Maps an {@code incident_channel} row to the state of its {@code mode}; the columns of other
   * modes are ignored (they are null or 0 in the rows this class writes).
   *
   * @throws IllegalStateException when a column the mode needs is null
   */
  private static ChannelState channelState(ResultSet rs) throws SQLException {
    long incidentId = rs.getLong("incident_id");
    ChannelState.Routing routing = new ChannelState.Routing(incidentId, rs.getString("channel"),
        rs.getInt("route_index"), rs.getString("mention"), rs.getString("correlation_key"));
    ChannelMode mode = ChannelMode.fromWire(rs.getString("mode"));
    return switch (mode) {
      case POSTED -> new ChannelState.Posted(routing,
          JdbiIncidentRepository.instant(rs, "next_reminder_at"), rs.getInt("reminders_sent"));
      case HISTORY_ONLY -> new ChannelState.HistoryOnly(routing);
      case DELAYED -> new ChannelState.Delayed(routing,
          required(JdbiIncidentRepository.instant(rs, "notify_at"), incidentId, mode));
      case SUPPRESSED -> new ChannelState.Suppressed(routing);
      case ROLLED_UP -> new ChannelState.RolledUp(routing,
          required(nullableLong(rs, "storm_id"), incidentId, mode));
      case CORRELATED -> new ChannelState.Correlated(routing,
          required(nullableLong(rs, "related_incident_id"), incidentId, mode));
    };
  }

  private static <T> T required(@Nullable T value, long incidentId, ChannelMode mode) {
    if (value == null) {
      throw new IllegalStateException("incident_channel row of incident " + incidentId
          + " in mode " + mode.wire() + " lacks the column its mode needs");
    }
    return value;
  }

  private static StormState storm(ResultSet rs) throws SQLException {
    return new StormState(rs.getLong("id"), rs.getString("channel"),
        rs.getLong("anchor_incident_id"), Instant.ofEpochMilli(rs.getLong("started_at")),
        JdbiIncidentRepository.instant(rs, "ended_at"));
  }

  private static FlappingState flapping(ResultSet rs) throws SQLException {
    return new FlappingState(rs.getString("fingerprint"), rs.getLong("incident_id"),
        Instant.ofEpochMilli(rs.getLong("since")),
        Instant.ofEpochMilli(rs.getLong("last_transition_at")));
  }

  private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
