package dev.alertdesk.history;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Read access to incident history for the API and the web UI, and the retention purge.
 * Implementations must be safe for concurrent use. Every method throws
 * {@link dev.alertdesk.incident.StorageException} when the database cannot be reached.
 */
public interface HistoryRepository {
  /**
   * Searches incidents, newest first.
   *
   * @param query filters and page
   * @return the page and the total count matching the filters
   */
  SearchPage search(IncidentQuery query);

  /**
   * Streams every incident matching the filters, newest first, for exports. Reads in chunks, so
   * memory stays bounded by the number of matching ids.
   *
   * @param filters the filters; its {@code limit} and {@code offset} are ignored
   * @param each receives each row in order
   */
  void forEach(IncidentQuery filters, java.util.function.Consumer<IncidentRow> each);

  /**
   * Loads the history of one alert series.
   *
   * @param fingerprint Alertmanager's fingerprint
   * @return its history, or empty when the fingerprint was never seen (or was purged)
   */
  Optional<FingerprintHistory> fingerprint(String fingerprint);

  /**
   * Collects what the store knows about a period.
   *
   * @param from the period's start, inclusive
   * @param to the period's end, exclusive; after {@code from}
   * @return the facts for {@link Insights#compute}
   */
  InsightFacts insightFacts(Instant from, Instant to);

  /**
   * Returns the Slack messages rendered for an incident: posted, pending, failed or (when Slack
   * delivery is off) kept as previews, oldest first; at most the newest 1,000.
   *
   * @param incidentId the incident
   * @return its messages; empty when it has none or does not exist
   */
  List<RenderedMessage> messages(long incidentId);

  /**
   * Returns the firing periods of an incident's alerts, oldest first; at most the newest 10,000.
   *
   * @param incidentId the incident
   * @return its periods; empty when it has none or does not exist
   */
  List<FingerprintHistory.Occurrence> occurrences(long incidentId);

  /**
   * Deletes resolved incidents that resolved before {@code cutoff}, with everything that hangs
   * off them (members, occurrences, timeline, Slack message refs, outbox rows, raw
   * notifications, charts), plus raw notifications that touched no incident and fingerprints
   * last seen before it. Audit records are kept. Firing incidents are never deleted. One
   * transaction per batch of incidents, so a failure leaves whole incidents.
   *
   * @param cutoff delete what ended before this instant
   * @return what was deleted
   */
  PurgeResult purge(Instant cutoff);

  /**
   * A stored Slack message of an incident.
   *
   * @param id the outbox row id
   * @param kind {@code PARENT_POST}, {@code PARENT_UPDATE} or {@code THREAD_REPLY}
   * @param channel the channel it goes to
   * @param status {@code pending}, {@code delivered}, {@code failed} or {@code skipped} (a preview)
   * @param createdAt when it was rendered
   * @param payloadJson the message as the Slack Web API takes it: {@code text} plus
   *     {@code blocks} and/or {@code attachments}
   */
  record RenderedMessage(long id, String kind, String channel, String status, Instant createdAt,
      String payloadJson) {}

  /**
   * What a purge deleted.
   *
   * @param incidents incidents deleted
   * @param notifications raw notifications deleted
   * @param charts charts deleted (rows, and their image files)
   */
  record PurgeResult(int incidents, int notifications, int charts) {}
}
