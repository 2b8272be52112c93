package dev.alertdesk.store;

import dev.alertdesk.delivery.Outbox;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.delivery.OutboxStatus;
import dev.alertdesk.incident.DeliveryTarget;
import dev.alertdesk.incident.MessageKind;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentRepository.SlackMessageRef;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.incident.StorageException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jspecify.annotations.Nullable;

/**
 * {@link Outbox} on the {@code outbox} and {@code slack_message} tables. A claim is a lease
 * ({@code locked_until}), taken with a conditional update, so it works the same on SQLite and
 * PostgreSQL and with several replicas. Also the one writer of outbox rows
 * ({@link #insert}), which the incident, action and noise stores call inside their transactions.
 *
 * <p>A row is a typed intent: {@code kind} (the Slack call), {@code message} ({@link MessageKind}),
 * {@code reason} and {@code params_json}; {@code payload_json} holds the message as it was sent
 * ({@code ''} until then, or the rendered message of a job pending at the upgrade to intents).
 */
public final class JdbiOutbox implements Outbox {
  private static final String PENDING = OutboxStatus.PENDING.wire();
  private static final int MAX_ERROR_CHARS = 500;

  private final Jdbi jdbi;

  /** @param database a migrated database */
  public JdbiOutbox(Database database) {
    this.jdbi = database.jdbi();
  }

  @Override
  public List<OutboxJob> claimDue(DeliveryTarget target, Instant now, Duration lease,
      String workerId, int limit) {
    long nowMillis = now.toEpochMilli();
    return storage("claim outbox jobs", () -> jdbi.inTransaction(h -> {
      // A job waits for every earlier unfinished job of its incident, except that text messages
      // never wait for a graph upload (a graph job still waits for the parent it goes under).
      // Only jobs of the same target wait for each other.
      List<OutboxJob> candidates = h.createQuery("SELECT o.* FROM outbox o WHERE o.status = :pending "
              + "AND o.target = :target "
              + "AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.incident_id = o.incident_id "
              + "AND p.target = o.target "
              + "AND p.status = :pending AND p.id < o.id AND (o.kind = :graph OR p.kind <> :graph)) "
              + "AND o.next_attempt_at <= :now "
              + "AND (o.locked_until IS NULL OR o.locked_until < :now) "
              // Parents first: new incidents' parent posts before anything of older incidents.
              + "ORDER BY CASE WHEN o.kind = :parentPost THEN 0 ELSE 1 END, o.id LIMIT :limit")
          .bind("pending", PENDING)
          .bind("target", target.wire())
          .bind("graph", SlackIntent.Kind.GRAPH.name())
          .bind("parentPost", SlackIntent.Kind.PARENT_POST.name())
          .bind("now", nowMillis)
          .bind("limit", limit)
          // An expired lease still set: an earlier claim was never settled nor released.
          .map((rs, ctx) -> job(rs).withUnknownOutcome(rs.getObject("locked_until") != null))
          .list();
      List<OutboxJob> claimed = new ArrayList<>();
      for (OutboxJob job : candidates) {
        int updated = h.createUpdate("UPDATE outbox SET locked_until = :until, locked_by = :worker "
                + "WHERE id = :id AND status = :pending "
                + "AND (locked_until IS NULL OR locked_until < :now)")
            .bind("until", nowMillis + lease.toMillis())
            .bind("worker", workerId)
            .bind("id", job.id())
            .bind("pending", PENDING)
            .bind("now", nowMillis)
            .execute();
        if (updated == 1) {
          claimed.add(job);
        }
      }
      return claimed;
    }));
  }

  @Override
  public boolean renew(OutboxJob job, String workerId, Instant now, Duration lease) {
    return storage("renew an outbox claim", () -> jdbi.withHandle(h -> h.createUpdate(
            "UPDATE outbox SET locked_until = :until WHERE id = :id AND status = :pending "
                + "AND locked_by = :worker AND locked_until IS NOT NULL")
        .bind("until", now.toEpochMilli() + lease.toMillis())
        .bind("id", job.id())
        .bind("pending", PENDING)
        .bind("worker", workerId)
        .execute())) == 1;
  }

  @Override
  public Optional<SlackMessageRef> parentMessage(long incidentId, String channel) {
    return storage("load the parent message", () -> jdbi.withHandle(h -> h.createQuery(
            "SELECT channel, channel_id, ts FROM slack_message WHERE incident_id = :id "
                + "AND channel = :channel")
        .bind("id", incidentId).bind("channel", channel)
        .map((rs, ctx) -> new SlackMessageRef(rs.getString(1), rs.getString(2), rs.getString(3)))
        .findOne()));
  }

  @Override
  public Optional<String> channelId(String channel) {
    if (SLACK_ID.matcher(channel).matches()) {
      return Optional.of(channel);
    }
    return storage("look up a channel ID", () -> jdbi.withHandle(h -> h.createQuery(
            "SELECT channel_id FROM slack_message WHERE channel = :channel "
                + "ORDER BY posted_at DESC LIMIT 1")
        .bind("channel", channel)
        .mapTo(String.class)
        .findOne()));
  }

  /** A Slack conversation ID: public (C), private (G) or direct (D) channel. */
  private static final java.util.regex.Pattern SLACK_ID =
      java.util.regex.Pattern.compile("[CGD][A-Z0-9]{6,}");

  @Override
  public Optional<SlackMessageRef> adoptSlackAppMessage(long incidentId, String channel,
      Instant now) {
    return storage("adopt a slack-app message", () -> jdbi.inTransaction(h -> {
      Optional<SlackAppMessage> found = h.createQuery(
              "SELECT s.id, s.slack_channel, s.slack_ts FROM slack_app_alert s "
                  + "JOIN incident_alert a ON a.fingerprint = s.fingerprint "
                  + "WHERE a.incident_id = :id AND s.resolved = 0 AND s.slack_ts IS NOT NULL "
                  + "AND s.slack_channel IS NOT NULL AND s.adopted_incident_id IS NULL "
                  + "ORDER BY s.id DESC LIMIT 1")
          .bind("id", incidentId)
          .map((rs, ctx) -> new SlackAppMessage(rs.getLong(1), rs.getString(2), rs.getString(3)))
          .findOne();
      if (found.isEmpty()) {
        return Optional.<SlackMessageRef>empty();
      }
      SlackAppMessage m = found.get();
      int claimed = h.createUpdate("UPDATE slack_app_alert SET adopted_incident_id = :incident "
              + "WHERE id = :id AND adopted_incident_id IS NULL")
          .bind("incident", incidentId).bind("id", m.id()).execute();
      if (claimed != 1) {
        return Optional.<SlackMessageRef>empty();
      }
      h.createUpdate("INSERT INTO slack_message (incident_id, channel, channel_id, ts, posted_at) "
              + "VALUES (:id, :channel, :channelId, :ts, :now)")
          .bind("id", incidentId).bind("channel", channel).bind("channelId", m.channelId())
          .bind("ts", m.ts()).bind("now", now.toEpochMilli()).execute();
      JdbiIncidentRepository.writeEvents(h, incidentId, List.of(new IncidentEvent(
          EventKind.SLACK_POSTED, now,
          Map.of("channel", m.channelId(), "ts", m.ts(), "adopted_from", "autometrics slack-app"))));
      return Optional.of(new SlackMessageRef(channel, m.channelId(), m.ts()));
    }));
  }

  /** An unresolved message of the autometrics slack-app: its alerts.id, channel ID and ts. */
  private record SlackAppMessage(long id, String channelId, String ts) {}

  @Override
  public void markDelivered(OutboxJob job, Instant now, @Nullable SlackMessageRef posted,
      @Nullable String sentPayloadJson) {
    storage("mark an outbox job delivered", () -> jdbi.useTransaction(h -> {
      if (posted != null) {
        h.createUpdate("INSERT INTO slack_message (incident_id, channel, channel_id, ts, posted_at) "
                + "VALUES (:id, :channel, :channelId, :ts, :now) ON CONFLICT (incident_id, channel) "
                + "DO UPDATE SET channel_id = excluded.channel_id, ts = excluded.ts")
            .bind("id", job.incidentId()).bind("channel", job.channel())
            .bind("channelId", posted.channelId()).bind("ts", posted.ts())
            .bind("now", now.toEpochMilli()).execute();
        JdbiIncidentRepository.writeEvents(h, job.incidentId(), List.of(new IncidentEvent(
            EventKind.SLACK_POSTED, now,
            Map.of("channel", posted.channelId(), "ts", posted.ts()))));
      }
      if (!job.intent().isSlack()) {
        JdbiIncidentRepository.writeEvents(h, job.incidentId(), List.of(new IncidentEvent(
            EventKind.DELIVERED, now, Map.of("target", job.intent().target().wire(),
                "message", job.intent().message().wire(), "to", clip(job.channel())))));
      }
      h.createUpdate("UPDATE outbox SET status = :status, finished_at = :now, locked_until = NULL, "
              + "payload_json = COALESCE(:sent, payload_json) WHERE id = :id")
          .bind("status", OutboxStatus.DELIVERED.wire()).bind("now", now.toEpochMilli()).bind("id", job.id())
          .bind("sent", sentPayloadJson)
          .execute();
    }));
  }

  @Override
  public void reschedule(OutboxJob job, Instant nextAttemptAt, String error) {
    storage("reschedule an outbox job", () -> jdbi.useHandle(h -> h.createUpdate(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = :next, "
                + "last_error = :error, locked_until = NULL WHERE id = :id")
        .bind("next", nextAttemptAt.toEpochMilli()).bind("error", clip(error)).bind("id", job.id())
        .execute()));
  }

  @Override
  public void postpone(OutboxJob job, Instant nextAttemptAt, String error) {
    storage("postpone an outbox job", () -> jdbi.useHandle(h -> h.createUpdate(
            "UPDATE outbox SET next_attempt_at = :next, last_error = :error, "
                + "locked_until = NULL WHERE id = :id")
        .bind("next", nextAttemptAt.toEpochMilli()).bind("error", clip(error)).bind("id", job.id())
        .execute()));
  }

  @Override
  public void release(OutboxJob job) {
    storage("release an outbox job", () -> jdbi.useHandle(h -> h.createUpdate(
            "UPDATE outbox SET locked_until = NULL WHERE id = :id")
        .bind("id", job.id()).execute()));
  }

  @Override
  public void markFailed(OutboxJob job, Instant now, String error) {
    storage("mark an outbox job failed", () -> jdbi.useTransaction(h -> {
      h.createUpdate("UPDATE outbox SET status = :status, attempts = attempts + 1, "
              + "finished_at = :now, last_error = :error, locked_until = NULL WHERE id = :id")
          .bind("status", OutboxStatus.FAILED.wire()).bind("now", now.toEpochMilli()).bind("error", clip(error))
          .bind("id", job.id()).execute();
      IncidentEvent event = job.intent().isSlack()
          ? new IncidentEvent(EventKind.SLACK_FAILED, now, Map.of("call",
              job.kind().name().toLowerCase(java.util.Locale.ROOT), "error", clip(error)))
          : new IncidentEvent(EventKind.DELIVERY_FAILED, now, Map.of(
              "target", job.intent().target().wire(), "message", job.intent().message().wire(),
              "to", clip(job.channel()), "error", clip(error)));
      JdbiIncidentRepository.writeEvents(h, job.incidentId(), List.of(event));
    }));
  }

  @Override
  public Depth depth(DeliveryTarget target) {
    return storage("measure the outbox", () -> jdbi.withHandle(h -> h.createQuery(
            "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = :pending "
                + "AND target = :target")
        .bind("pending", PENDING)
        .bind("target", target.wire())
        .map((rs, ctx) -> {
          // wasNull() speaks of the column read last: read MIN(created_at) last, so an empty
          // outbox has no oldest job (not one created at the epoch).
          long pending = rs.getLong(1);
          long oldest = rs.getLong(2);
          boolean empty = rs.wasNull();
          return new Depth(pending, empty ? null : Instant.ofEpochMilli(oldest));
        })
        .one()));
  }

  /**
   * Writes outbox rows, inside the caller's transaction: the one place rows are inserted.
   *
   * @param h the open transaction
   * @param incidentId the incident whose parent or thread the messages belong to
   * @param messages the intents, in order
   * @param nowMillis creation and first due time, epoch milliseconds
   * @param status {@link OutboxStatus#PENDING}, or {@link OutboxStatus#SKIPPED} when Slack
   *     delivery is off (kept as previews); applies to Slack intents only: an intent for
   *     another target is only planned when that target is configured, so it is always pending
   */
  static void insert(Handle h, long incidentId, List<OutgoingMessage> messages, long nowMillis,
      OutboxStatus status) {
    if (messages.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch("INSERT INTO outbox (incident_id, channel, kind, "
        + "message, reason, params_json, payload_json, status, attempts, next_attempt_at, "
        + "created_at, target) VALUES (:incidentId, :channel, :kind, :message, :reason, :params, "
        + "'', :status, 0, :now, :now, :target)");
    for (OutgoingMessage m : messages) {
      batch.bind("incidentId", incidentId).bind("channel", m.channel())
          .bind("kind", m.kind().name()).bind("message", m.message().wire())
          .bind("reason", m.reason()).bind("params", StoreJson.write(m.params()))
          .bind("status", (m.isSlack() ? status : OutboxStatus.PENDING).wire())
          .bind("now", nowMillis).bind("target", m.target().wire()).add();
    }
    batch.execute();
  }

  /**
   * Coalesces a parent update: when the incident's last waiting job is an unclaimed update of
   * the same channel and message, it stays the one job (it is composed from current state when
   * sent, so it will show the newer state) and takes the new reason and parameters; else the
   * update is inserted.
   */
  static void insertLatestUpdate(Handle h, long incidentId, OutgoingMessage message,
      long nowMillis, OutboxStatus status) {
    if (message.kind() != SlackIntent.Kind.PARENT_UPDATE) {
      throw new IllegalArgumentException("only parent updates are coalesced");
    }
    int replaced = h.createUpdate("UPDATE outbox SET reason = :reason, params_json = :params "
            + "WHERE id = (SELECT MAX(id) FROM outbox WHERE incident_id = :id AND status = :pending "
            + "AND target = :target) AND channel = :channel AND kind = :kind AND message = :message "
            + "AND locked_until IS NULL")
        .bind("reason", message.reason()).bind("params", StoreJson.write(message.params()))
        .bind("id", incidentId).bind("pending", PENDING).bind("channel", message.channel())
        .bind("kind", SlackIntent.Kind.PARENT_UPDATE.name())
        .bind("message", message.message().wire())
        .bind("target", message.target().wire())
        .execute();
    if (replaced == 0) {
      insert(h, incidentId, List.of(message), nowMillis, status);
    }
  }

  /** Reads one outbox row as a job. */
  static OutboxJob job(ResultSet rs) throws SQLException {
    SlackIntent.Kind kind = SlackIntent.Kind.valueOf(rs.getString("kind"));
    String message = rs.getString("message");
    String params = rs.getString("params_json");
    String payload = rs.getString("payload_json");
    MessageKind messageKind = message == null ? MessageKind.PRERENDERED
        : MessageKind.fromWire(message);
    String reason = rs.getString("reason");
    String target = rs.getString("target");
    OutgoingMessage intent = new OutgoingMessage(kind, rs.getString("channel"), messageKind,
        reason == null ? "" : reason,
        params == null || params.isEmpty() ? Map.of() : StoreJson.details(params),
        target == null ? DeliveryTarget.SLACK : DeliveryTarget.fromWire(target));
    return new OutboxJob(rs.getLong("id"), rs.getLong("incident_id"), intent,
        messageKind == MessageKind.PRERENDERED ? payload : null, rs.getInt("attempts"),
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  private static String clip(String s) {
    return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS);
  }

  private static <T> T storage(String what, Supplier<T> action) {
    try {
      return action.get();
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
