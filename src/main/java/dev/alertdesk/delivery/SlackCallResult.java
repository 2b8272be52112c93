package dev.alertdesk.delivery;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The result of one Slack Web API call.
 *
 * @param outcome how it ended
 * @param channelId for a delivered post, the channel ID Slack answered with; else null
 * @param ts for a delivered post, the new message's ts; else null
 * @param retryAfter for {@link DeliveryOutcome#RETRY_AFTER}, Slack's {@code Retry-After}; else null
 * @param error for failures, Slack's error code or the exception's message, without secrets
 * @param neededScope for Slack's {@code missing_scope} error, the scope the token lacks (Slack's
 *     {@code needed} field, e.g. {@code files:write}); else null
 */
public record SlackCallResult(
    DeliveryOutcome outcome,
    @Nullable String channelId,
    @Nullable String ts,
    @Nullable Duration retryAfter,
    @Nullable String error,
    @Nullable String neededScope) {

  /** A result without a missing scope. */
  public SlackCallResult(DeliveryOutcome outcome, @Nullable String channelId, @Nullable String ts,
      @Nullable Duration retryAfter, @Nullable String error) {
    this(outcome, channelId, ts, retryAfter, error, null);
  }

  /**
   * A permanent {@code missing_scope} failure.
   *
   * @param neededScope the scope Slack says is needed, e.g. {@code files:write}
   */
  public static SlackCallResult missingScope(String neededScope) {
    return new SlackCallResult(DeliveryOutcome.FAILED, null, null, null,
        "missing_scope (needed: " + neededScope + ")", neededScope);
  }

  /** A delivered post or update. */
  public static SlackCallResult delivered(@Nullable String channelId, @Nullable String ts) {
    return new SlackCallResult(DeliveryOutcome.DELIVERED, channelId, ts, null, null);
  }

  /** A failure with the given outcome. */
  public static SlackCallResult failure(DeliveryOutcome outcome, String error) {
    return new SlackCallResult(outcome, null, null, null, error);
  }

  /** A 429 answer. */
  public static SlackCallResult rateLimited(Duration retryAfter) {
    return new SlackCallResult(DeliveryOutcome.RETRY_AFTER, null, null, retryAfter, "ratelimited");
  }
}
