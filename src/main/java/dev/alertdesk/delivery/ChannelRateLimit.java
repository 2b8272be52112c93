package dev.alertdesk.delivery;

/**
 * The per-channel Slack budget: about one message per second with short bursts (Slack docs:
 * docs.slack.dev/apis/web-api/rate-limits, "chat.postMessage … 1 message per second per
 * channel"). Every Slack call the outbox worker makes spends one token of its channel's bucket.
 *
 * <p><b>Parents first.</b> One token of each bucket is kept for new incidents' parent posts:
 * any other call (thread replies, graph uploads and notes, updates) only spends a token when at
 * least two are left. Under a stream of new alerts the parents therefore go out at once and the
 * replies of older incidents take what the parents leave.
 *
 * <p>Implementations: {@link LocalChannelRateLimit} (one process; SQLite) and
 * {@code store.PostgresChannelRateLimit} (one budget shared by every replica on PostgreSQL).
 * Thread-safe.
 */
public interface ChannelRateLimit {
  /** Tokens a channel may burst before the 1/s rate applies. */
  int BURST = 5;

  /** Tokens of each bucket that only a parent post may spend. */
  int PARENT_RESERVE = 1;

  /**
   * Takes one token of the channel's budget, if the call may go now.
   *
   * @param channel the channel as configured (name or ID)
   * @param parent true for a new incident's parent post, which may spend the reserved token
   * @return true when the call may be sent now; false when it must wait for a later pass
   * @throws dev.alertdesk.incident.StorageException when a shared budget cannot be read
   */
  boolean tryAcquire(String channel, boolean parent);
}
