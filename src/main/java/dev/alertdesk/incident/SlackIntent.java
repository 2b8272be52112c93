package dev.alertdesk.incident;

import dev.alertdesk.alert.Alert;
import java.util.List;

/**
 * What the engine wants said in Slack after one notification. The planner turns it into an
 * {@link OutgoingMessage} intent, written to the outbox in the same transaction; the outbox
 * worker composes it into Block Kit when it sends it.
 *
 * @param kind post the parent, update the parent, or reply in the thread
 * @param reply for {@link Kind#THREAD_REPLY}, what the reply announces; else {@link Reply#NONE}
 * @param firing alerts that joined or fired again (reply content); may be empty
 * @param resolved alerts that resolved (reply content); may be empty
 */
public record SlackIntent(Kind kind, Reply reply, List<Alert> firing, List<Alert> resolved) {
  /** Copies the lists. */
  public SlackIntent {
    firing = List.copyOf(firing);
    resolved = List.copyOf(resolved);
  }

  /** The Slack call an intent becomes. */
  public enum Kind {
    /** {@code chat.postMessage} of the parent message. */
    PARENT_POST,
    /** {@code chat.update} of the parent message. */
    PARENT_UPDATE,
    /** {@code chat.postMessage} with {@code thread_ts} of the parent. */
    THREAD_REPLY,
    /**
     * A graph of the incident's query uploaded into the thread by the outbox worker, which
     * renders it when it runs; the intent's {@code chart} parameter names the chart kind.
     */
    GRAPH
  }

  /** What a thread reply announces. */
  public enum Reply {
    /** Not a reply. */
    NONE,
    /** Alerts joined or fired again; some may also have resolved. */
    ALERTS_CHANGED,
    /** The incident reopened within the reopen window. */
    REOPENED,
    /** Every member resolved: "Resolved after 12m". */
    RESOLVED
  }

  /** A parent post. */
  public static SlackIntent parentPost() {
    return new SlackIntent(Kind.PARENT_POST, Reply.NONE, List.of(), List.of());
  }

  /** A parent update. */
  public static SlackIntent parentUpdate() {
    return new SlackIntent(Kind.PARENT_UPDATE, Reply.NONE, List.of(), List.of());
  }

  /** A thread reply. */
  public static SlackIntent threadReply(Reply reply, List<Alert> firing, List<Alert> resolved) {
    return new SlackIntent(Kind.THREAD_REPLY, reply, firing, resolved);
  }
}
