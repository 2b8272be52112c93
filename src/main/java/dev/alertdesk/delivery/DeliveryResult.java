package dev.alertdesk.delivery;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How one delivery to a target other than Slack ended, classified by its {@link TargetSender}
 * for the {@link TargetWorker}.
 *
 * @param outcome how it ended: {@link DeliveryOutcome#DELIVERED}; {@link DeliveryOutcome#RETRY}
 *     (transient: retried with the sender's backoff); {@link DeliveryOutcome#RETRY_AFTER} (the
 *     target asked to wait: retried after {@code retryAfter}, not counted as an attempt); or
 *     {@link DeliveryOutcome#FAILED} (retrying cannot help)
 * @param retryAfter for {@link DeliveryOutcome#RETRY_AFTER}, how long to wait; else null
 * @param error for failures, what went wrong, without secrets (it is stored, logged and shown);
 *     else null
 * @param sentJson for a delivery, what was sent as a JSON object with a {@code text} field (kept
 *     on the outbox row and shown in the message preview); null when nothing was sent
 */
public record DeliveryResult(
    DeliveryOutcome outcome,
    @Nullable Duration retryAfter,
    @Nullable String error,
    @Nullable String sentJson) {

  /** Delivered; {@code sentJson} is kept as the message sent. */
  public static DeliveryResult delivered(@Nullable String sentJson) {
    return new DeliveryResult(DeliveryOutcome.DELIVERED, null, null, sentJson);
  }

  /** Nothing left to send (its incident is gone, or the target has nothing to say): settled. */
  public static DeliveryResult nothingToSend() {
    return new DeliveryResult(DeliveryOutcome.DELIVERED, null, null, null);
  }

  /** A transient failure: retried with backoff. */
  public static DeliveryResult retry(String error) {
    return new DeliveryResult(DeliveryOutcome.RETRY, null, error, null);
  }

  /** The target asked to come back after {@code wait}: not a failed attempt. */
  public static DeliveryResult retryAfter(Duration wait, String error) {
    return new DeliveryResult(DeliveryOutcome.RETRY_AFTER, wait, error, null);
  }

  /** A permanent failure: the job is marked failed for good. */
  public static DeliveryResult failed(String error) {
    return new DeliveryResult(DeliveryOutcome.FAILED, null, error, null);
  }
}
