package dev.alertdesk.delivery;

import org.jspecify.annotations.Nullable;
import dev.alertdesk.incident.IncidentRepository.SlackMessageRef;

/**
 * Context the outbox worker adds to Slack messages right before sending them (DESIGN.md "Data
 * flow": enrichment happens in the worker, never in the webhook request). Implementations never
 * throw for a failing metrics source: they degrade to the message without context and a short
 * note, so context never blocks or drops a message.
 */
public interface Enrichment {
  /** No enrichment: parent messages go out as rendered and graph jobs are settled unsent. */
  Enrichment NONE = new Enrichment() {
    @Override
    public String parentPayload(OutboxJob job) {
      return job.payloadJson();
    }

    @Override
    public GraphResult graph(OutboxJob job, SlackMessageRef parent) {
      return new GraphResult("none", SlackCallResult.delivered(null, null));
    }
  };

  /**
   * Returns the payload to send for a parent post or update: the job's rendered payload, with the
   * incident's current value (or a "metrics unavailable" note) and, when images are delivered by
   * URL, an image block added.
   *
   * @param job a {@code PARENT_POST} or {@code PARENT_UPDATE} job
   * @return a Slack message payload; the job's own payload when there is nothing to add
   */
  String parentPayload(OutboxJob job);

  /**
   * Carries out a {@code GRAPH} job: renders the incident's graph and puts it into the thread of
   * {@code parent}, or posts a short note there when there is no query or no metrics.
   *
   * @param job the graph job
   * @param parent the incident's parent message
   * @return the Slack method called and how the call ended
   */
  GraphResult graph(OutboxJob job, SlackMessageRef parent);

  /**
   * What a graph job did.
   *
   * @param method the Slack method called ({@code files.uploadV2}, {@code chat.postMessage}), or
   *     {@code none} when nothing needed saying
   * @param result how it ended
   * @param sentPayloadJson what was put into the thread, as a message payload (for an upload:
   *     its comment and an image block pointing at the stored chart,
   *     {@code /api/charts/{id}.png}), kept for the message preview; null when nothing was sent
   */
  record GraphResult(String method, SlackCallResult result, @Nullable String sentPayloadJson) {
    /** A result that sent nothing worth keeping. */
    public GraphResult(String method, SlackCallResult result) {
      this(method, result, null);
    }
  }
}
