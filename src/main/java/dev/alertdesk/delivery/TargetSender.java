package dev.alertdesk.delivery;

import dev.alertdesk.incident.DeliveryTarget;
import java.util.Map;

/**
 * Delivers the outbox jobs of one {@link DeliveryTarget} other than Slack (e-mail, Sentry): the
 * target's composer and client in one. A {@link TargetWorker} claims the target's jobs in order
 * per incident and hands each to {@link #send}; it settles the row, retries and counts.
 *
 * <p>To add a target: a value in {@link DeliveryTarget}, an implementation of this interface,
 * intents planned with {@link dev.alertdesk.incident.OutgoingMessage#to}, and a
 * {@code new TargetWorker(outbox, sender, ...)} in {@code app/Application} when the target is
 * configured.
 */
public interface TargetSender {
  /** Returns the target whose jobs this sender delivers. */
  DeliveryTarget target();

  /**
   * Composes the job from its incident's current state and delivers it. Never throws for the
   * target's errors: classifies them instead (a {@link RuntimeException} thrown anyway is
   * retried as {@link DeliveryOutcome#RETRY}). Must not put secrets into the result's error.
   *
   * @param job a claimed job of {@link #target()}
   * @return how it ended
   */
  DeliveryResult send(OutboxJob job);

  /** Returns how transient failures are retried; {@link RetryPolicy#DEFAULT} unless overridden. */
  default RetryPolicy retryPolicy() {
    return RetryPolicy.DEFAULT;
  }

  /**
   * Returns what {@code /api/status} shows about the target's configuration, without secrets
   * (e.g. the SMTP host and port); empty by default.
   */
  default Map<String, Object> describe() {
    return Map.of();
  }
}
