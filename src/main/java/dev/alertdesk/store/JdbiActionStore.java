package dev.alertdesk.store;

import dev.alertdesk.action.ActionChange;
import dev.alertdesk.action.ActionContext;
import dev.alertdesk.action.ActionStore;
import dev.alertdesk.action.FingerprintSnooze;
import dev.alertdesk.audit.AuditEntry;
import dev.alertdesk.delivery.OutboxStatus;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.noise.ChannelMode;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.StorageException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * {@link ActionStore} on SQLite or PostgreSQL. An action's transaction first touches the
 * incident's {@code alert_group} row, the same row every notification of the group upserts, so
 * actions and notifications on one incident never interleave (a row lock on PostgreSQL;
 * {@code BEGIN IMMEDIATE} on SQLite).
 */
public final class JdbiActionStore implements ActionStore {
  private static final String PENDING = "pending";
  /** Channels one parent update fans out to, at most. */
  private static final int MAX_PARENT_CHANNELS = 50;
  private static final String DONE = "done";

  private final Database database;
  private final Clock clock;
  private final boolean slackEnabled;
  private final @Nullable String defaultChannel;

  /**
   * @param database a migrated database
   * @param clock the source of "now" for stored times
   * @param slackEnabled false when no bot token is set: outbox rows are stored as skipped previews
   * @param defaultChannel the channel for an incident with no queued message yet, or null
   */
  public JdbiActionStore(Database database, Clock clock, boolean slackEnabled,
      @Nullable String defaultChannel) {
    this.database = database;
    this.clock = clock;
    this.slackEnabled = slackEnabled;
    this.defaultChannel = defaultChannel;
  }

  @Override
  public Optional<Long> accept(String actionKey, String payloadJson, Instant now) {
    return storage("record a Slack interaction", () -> jdbi().inTransaction(h -> {
      int inserted = h.createUpdate("INSERT INTO slack_interaction (action_key, received_at, "
              + "status, payload_json) VALUES (:key, :now, :status, :payload) "
              + "ON CONFLICT (action_key) DO NOTHING")
          .bind("key", actionKey).bind("now", now.toEpochMilli()).bind("status", PENDING)
          .bind("payload", payloadJson)
          .execute();
      if (inserted == 0) {
        return Optional.<Long>empty();
      }
      return Optional.of(h.createQuery("SELECT id FROM slack_interaction WHERE action_key = :key")
          .bind("key", actionKey).mapTo(Long.class).one());
    }));
  }

  @Override
  public List<PendingInteraction> pending(Instant since) {
    return storage("list pending Slack interactions", () -> jdbi().withHandle(h -> h.createQuery(
            "SELECT id, payload_json, received_at FROM slack_interaction WHERE status = :pending "
                + "AND received_at >= :since ORDER BY id")
        .bind("pending", PENDING).bind("since", since.toEpochMilli())
        .map((rs, ctx) -> new PendingInteraction(rs.getLong(1), rs.getString(2),
            Instant.ofEpochMilli(rs.getLong(3))))
        .list()));
  }

  @Override
  public void finish(long interactionId, Instant now) {
    storage("finish a Slack interaction", () -> jdbi().withHandle(h -> h.createUpdate(
            "UPDATE slack_interaction SET status = :done, finished_at = :now WHERE id = :id")
        .bind("done", DONE).bind("now", now.toEpochMilli()).bind("id", interactionId).execute()));
  }

  @Override
  public boolean hasParentIn(long incidentId, String channelId) {
    return storage("find the parent of incident " + incidentId, () -> jdbi().withHandle(h ->
        h.createQuery("SELECT COUNT(*) FROM slack_message WHERE incident_id = :id "
                + "AND channel_id = :channelId")
            .bind("id", incidentId).bind("channelId", channelId).mapTo(Long.class).one() > 0));
  }

  @Override
  public Optional<ActionContext> load(long incidentId) {
    return storage("load incident " + incidentId, () -> jdbi().withHandle(h ->
        context(h, incidentId)));
  }

  @Override
  public Optional<ActionChange> apply(long incidentId, Function<ActionContext, ActionChange> step) {
    return storage("record an action on incident " + incidentId, () -> jdbi().inTransaction(h -> {
      Optional<String[]> group = h.createQuery("SELECT receiver, group_key FROM incident "
              + "WHERE id = :id")
          .bind("id", incidentId).map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
          .findOne();
      if (group.isEmpty()) {
        return Optional.<ActionChange>empty();
      }
      h.createUpdate("UPDATE alert_group SET last_notification_at = last_notification_at "
              + "WHERE receiver = :receiver AND group_key = :groupKey")
          .bind("receiver", group.get()[0]).bind("groupKey", group.get()[1]).execute();
      ActionContext context = context(h, incidentId).orElseThrow();
      ActionChange change = step.apply(context);
      write(h, incidentId, change);
      return Optional.of(change);
    }));
  }

  @Override
  public void audit(AuditEntry entry) {
    storage("append to the audit log", () -> jdbi().inTransaction(h ->
        JdbiAuditLog.append(h, entry)));
  }

  @Override
  public List<ActionContext> untilResolvedSilences() {
    return storage("find silences to expire", () -> jdbi().withHandle(h -> {
      List<Long> ids = h.createQuery("SELECT r.incident_id FROM incident_response r "
              + "WHERE r.silence_until_resolved = 1 AND r.silence_id IS NOT NULL "
              + "ORDER BY r.incident_id LIMIT 100")
          .mapTo(Long.class).list();
      List<ActionContext> out = new ArrayList<>();
      for (long id : ids) {
        context(h, id).ifPresent(out::add);
      }
      return out;
    }));
  }

  private Optional<ActionContext> context(Handle h, long incidentId) {
    Optional<Incident> incident = JdbiIncidentRepository.loadIncident(h, incidentId);
    if (incident.isEmpty()) {
      return Optional.empty();
    }
    String channel = h.createQuery("SELECT channel FROM outbox WHERE incident_id = :id "
            + "AND target = 'slack' ORDER BY id LIMIT 1")
        .bind("id", incidentId).mapTo(String.class).findOne()
        .orElse(defaultChannel == null ? "(none)" : defaultChannel);
    return Optional.of(new ActionContext(incident.get(),
        JdbiIncidentResponses.load(h, incidentId, clock.instant()), channel,
        JdbiIncidentRepository.occurrenceCounts(h, incidentId),
        h.createQuery("SELECT COUNT(*) FROM incident_event WHERE incident_id = :id "
                + "AND kind = :kind")
            .bind("id", incidentId).bind("kind", EventKind.ACKNOWLEDGED.wire())
            .mapTo(Long.class).one() > 0));
  }

  private void write(Handle h, long incidentId, ActionChange change) {
    Instant now = clock.instant();
    if (change.response() != null) {
      JdbiIncidentResponses.store(h, change.response(), now);
    }
    for (FingerprintSnooze s : change.snoozes()) {
      JdbiIncidentResponses.snooze(h, s);
    }
    JdbiIncidentRepository.writeEvents(h, incidentId, change.events());
    if (change.audit() != null) {
      JdbiAuditLog.append(h, change.audit());
    }
    List<OutgoingMessage> messages = new java.util.ArrayList<>();
    for (OutgoingMessage m : change.messages()) {
      if (m.kind() == SlackIntent.Kind.PARENT_UPDATE) {
        // Every channel where the incident has a parent shows the action, not just this one.
        List<String> channels = parentChannels(h, incidentId);
        if (channels.isEmpty()) {
          messages.add(m);
        }
        channels.forEach(c -> messages.add(m.withChannel(c)));
      } else {
        messages.add(m);
      }
    }
    JdbiOutbox.insert(h, incidentId, messages, now.toEpochMilli(),
        OutboxStatus.initial(slackEnabled));
  }

  /**
   * The channels where the incident has its own parent message: those noise control posted it
   * to, and those it was posted to before noise control existed; never a storm's channel, where
   * its parent is the storm message. At most {@value #MAX_PARENT_CHANNELS}, by name.
   */
  static List<String> parentChannels(Handle h, long incidentId) {
    return h.createQuery("SELECT channel FROM incident_channel WHERE incident_id = :id "
            + "AND mode = :posted UNION SELECT m.channel FROM slack_message m "
            + "WHERE m.incident_id = :id AND NOT EXISTS (SELECT 1 FROM incident_channel c "
            + "WHERE c.incident_id = m.incident_id AND c.channel = m.channel) "
            + "ORDER BY 1 LIMIT :limit")
        .bind("id", incidentId).bind("posted", ChannelMode.POSTED.wire())
        .bind("limit", MAX_PARENT_CHANNELS)
        .mapTo(String.class).list();
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
    } catch (JdbiException e) {
      throw new StorageException("could not " + what, e);
    }
  }
}
