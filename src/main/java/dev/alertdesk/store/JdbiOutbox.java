package dev.alertdesk.store;

import dev.alertdesk.delivery.Outbox;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentRepository.SlackMessageRef;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.incident.StorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * {@link Outbox} on the {@code outbox} and {@code slack_message} tables. A claim is a lease
 * ({@code locked_until}), taken with a conditional update, so it works the same on SQLite and
 * PostgreSQL and with several replicas.
 */
public final class JdbiOutbox implements Outbox {
  private static final String DELIVERED = "delivered";
  private static final String FAILED = "failed";
  private static final int MAX_ERROR_CHARS = 500;

  private final Jdbi jdbi;

  /** @param database a migrated database */
  public JdbiOutbox(Database database) {
    this.jdbi = database.jdbi();
  }

  @Override
  public List<OutboxJob> claimDue(Instant now, Duration lease, String workerId, int limit) {
    long nowMillis = now.toEpochMilli();
    return storage("claim outbox jobs", () -> jdbi.inTransaction(h -> {
      List<OutboxJob> candidates = h.createQuery("SELECT o.* FROM outbox o WHERE o.status = :pending "
              + "AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.incident_id = o.incident_id "
              + "AND p.status = :pending) AND o.next_attempt_at <= :now "
              + "AND (o.locked_until IS NULL OR o.locked_until < :now) ORDER BY o.id LIMIT :limit")
          .bind("pending", JdbiIncidentRepository.PENDING)
          .bind("now", nowMillis)
          .bind("limit", limit)
          .map((rs, ctx) -> new OutboxJob(
              rs.getLong("id"),
              rs.getLong("incident_id"),
              rs.getString("channel"),
              SlackIntent.Kind.valueOf(rs.getString("kind")),
              rs.getString("payload_json"),
              rs.getInt("attempts"),
              Instant.ofEpochMilli(rs.getLong("created_at"))))
          .list();
      List<OutboxJob> claimed = new ArrayList<>();
      for (OutboxJob job : candidates) {
        int updated = h.createUpdate("UPDATE outbox SET locked_until = :until, locked_by = :worker "
                + "WHERE id = :id AND status = :pending "
                + "AND (locked_until IS NULL OR locked_until < :now)")
            .bind("until", nowMillis + lease.toMillis())
            .bind("worker", workerId)
            .bind("id", job.id())
            .bind("pending", JdbiIncidentRepository.PENDING)
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
        .bind("pending", JdbiIncidentRepository.PENDING)
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
  public void markDelivered(OutboxJob job, Instant now, @Nullable SlackMessageRef posted) {
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
      h.createUpdate("UPDATE outbox SET status = :status, finished_at = :now, locked_until = NULL "
              + "WHERE id = :id")
          .bind("status", DELIVERED).bind("now", now.toEpochMilli()).bind("id", job.id())
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
          .bind("status", FAILED).bind("now", now.toEpochMilli()).bind("error", clip(error))
          .bind("id", job.id()).execute();
      JdbiIncidentRepository.writeEvents(h, job.incidentId(), List.of(new IncidentEvent(
          EventKind.SLACK_FAILED, now, Map.of("call", job.kind().name().toLowerCase(
              java.util.Locale.ROOT), "error", clip(error)))));
    }));
  }

  @Override
  public Depth depth() {
    return storage("measure the outbox", () -> jdbi.withHandle(h -> h.createQuery(
            "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = :pending")
        .bind("pending", JdbiIncidentRepository.PENDING)
        .map((rs, ctx) -> {
          long oldest = rs.getLong(2);
          return new Depth(rs.getLong(1), rs.wasNull() ? null : Instant.ofEpochMilli(oldest));
        })
        .one()));
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
