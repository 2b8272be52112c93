package dev.alertdesk.sentry;

import dev.alertdesk.delivery.DeliveryResult;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.delivery.TargetSender;
import dev.alertdesk.incident.DeliveryTarget;
import dev.alertdesk.incident.MessageKind;
import dev.alertdesk.incident.OutgoingMessage;
import java.util.Map;

/**
 * The Sentry delivery target: reads each claimed outbox job back into its {@link SentryIntent}
 * and carries it out with {@link SentryDelivery}; the {@link dev.alertdesk.delivery.TargetWorker}
 * settles, retries and counts the row.
 */
public final class SentrySender implements TargetSender {
  private final SentryDelivery delivery;

  /** @param delivery sends events and resolves issues */
  public SentrySender(SentryDelivery delivery) {
    this.delivery = delivery;
  }

  /**
   * The outbox intent of one Sentry intent.
   *
   * @param address where it goes, shown in the preview: the DSN's host and project, no key
   */
  public static OutgoingMessage intent(SentryIntent intent, String address) {
    boolean event = intent.type() == SentryIntent.Type.EVENT;
    return OutgoingMessage.to(DeliveryTarget.SENTRY, address, event,
        event ? MessageKind.SENTRY_EVENT : MessageKind.SENTRY_RESOLVE,
        event ? "occurrence_started" : "occurrence_ended", intent.params());
  }

  @Override
  public DeliveryTarget target() {
    return DeliveryTarget.SENTRY;
  }

  @Override
  public DeliveryResult send(OutboxJob job) {
    OutgoingMessage m = job.intent();
    SentryIntent.Type type = m.message() == MessageKind.SENTRY_RESOLVE
        ? SentryIntent.Type.RESOLVE : m.message() == MessageKind.SENTRY_EVENT
            ? SentryIntent.Type.EVENT : null;
    SentryIntent intent = type == null ? null
        : SentryIntent.of(type, m.text("event_id"), m.text("fingerprint"), m.text("starts_at"));
    if (intent == null) {
      return DeliveryResult.failed("not a Sentry intent: " + m.message().wire());
    }
    SentryDelivery.Sent sent = delivery.deliver(intent, job.incidentId());
    SentryResult r = sent.result();
    return switch (r.outcome()) {
      case DELIVERED -> sent.sentJson() == null ? DeliveryResult.nothingToSend()
          : DeliveryResult.delivered(sent.sentJson());
      case RETRY -> DeliveryResult.retry(String.valueOf(r.error()));
      case RETRY_AFTER -> DeliveryResult.retryAfter(r.retryAfter() == null
          ? java.time.Duration.ofSeconds(60) : r.retryAfter(), String.valueOf(r.error()));
      case FAILED -> DeliveryResult.failed(String.valueOf(r.error()));
    };
  }

  @Override
  public Map<String, Object> describe() {
    return delivery.describe();
  }
}
