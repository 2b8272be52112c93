package dev.alertdesk.status;

/**
 * One part of {@code GET /api/status}, such as Slack or the database. Implementations must
 * answer within about a second, never throw for an unreachable dependency (that is a
 * {@link SectionStatus.Level#ERROR} answer), and never put a secret into what they answer.
 */
public interface StatusSection {
  /** Returns the section's stable name, e.g. {@code slack}; lower case, shown as its key. */
  String name();

  /** Checks the dependency now and says how it is. */
  SectionStatus check();

  /**
   * Returns the section of a dependency with a Prometheus-style {@code /-/ready} endpoint
   * (Alertmanager, Prometheus): OK when it answers 200 within 1 s.
   *
   * @param name the section name, e.g. {@code alertmanager}
   * @param baseUrl the dependency's base URL; user information in it is never sent nor shown
   */
  static StatusSection readyEndpoint(String name, String baseUrl) {
    return new ReadyEndpointSection(name, baseUrl);
  }

  /**
   * Returns the database section: OK once it is reachable and migrated.
   *
   * @param ready true once the database is reachable and migrated
   */
  static StatusSection database(java.util.function.BooleanSupplier ready) {
    return new DatabaseSection(ready);
  }

  /**
   * Returns the outbox section: how many Slack calls wait and how old the oldest is.
   *
   * @param outbox the queue of Slack calls
   * @param clock the source of "now"
   */
  static StatusSection outbox(dev.alertdesk.delivery.Outbox outbox, java.time.Clock clock) {
    return new OutboxSection(outbox, clock);
  }

  /**
   * Returns the section of a delivery target other than Slack, named after the target (e.g.
   * {@code email}): its configuration, waiting jobs and last delivery.
   *
   * @param worker the target's worker
   * @param clock the source of "now"
   */
  static StatusSection deliveryTarget(dev.alertdesk.delivery.TargetWorker worker,
      java.time.Clock clock) {
    return new DeliveryTargetSection(worker, clock);
  }
}
