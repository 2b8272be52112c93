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
  /** No enrichment: parent messages go out without context and graph jobs are settled unsent. */
  Enrichment NONE = new Enrichment() {
    @Override
    public ParentContext parentContext(OutboxJob job) {
      return ParentContext.NONE;
    }

    @Override
    public GraphResult graph(OutboxJob job, SlackMessageRef parent) {
      return new GraphResult("none", SlackCallResult.delivered(null, null));
    }
  };

  /**
   * Returns what the parent message shows about the incident's metrics right now: its current
   * value (or a "metrics unavailable" note), an "Open in Explorer" link for SLO alerts and, when
   * images are delivered by URL, the graph's URL. The composer turns these into blocks.
   *
   * @param job a {@code PARENT_POST} or {@code PARENT_UPDATE} job
   * @return the context; {@link ParentContext#NONE} when there is nothing to add
   */
  ParentContext parentContext(OutboxJob job);

  /**
   * What enrichment adds to a parent message; every part may be null.
   *
   * @param valueLine mrkdwn such as "Current value: 0.87 (threshold 0.5)", already escaped
   * @param explorerUrl an http(s) link to the autometrics Explorer for an SLO alert
   * @param imageUrl an http(s) URL of the incident's graph ({@code BASE_URL/api/charts/{id}.png})
   * @param imageAltText the image's alt text, required with {@code imageUrl}
   */
  record ParentContext(@Nullable String valueLine, @Nullable String explorerUrl,
      @Nullable String imageUrl, @Nullable String imageAltText) {
    /** Nothing to add. */
    public static final ParentContext NONE = new ParentContext(null, null, null, null);
  }

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
