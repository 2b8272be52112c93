package dev.alertdesk.delivery;

import java.util.Optional;

/**
 * Composes an outbox job into the Slack message to send, from the state the job's incident is in
 * when it is sent (the slack package's {@code SlackMessageComposer}). Implementations never
 * call Slack or Prometheus: the worker hands them what {@link Enrichment} found.
 */
public interface MessageComposer {
  /**
   * Composes one job.
   *
   * @param job a parent post or update, or a thread reply (not a graph upload)
   * @param context the incident's current value, buttons and image from {@link Enrichment};
   *     {@link Enrichment.ParentContext#NONE} for none
   * @return the payload ({@code text} plus {@code blocks} and/or {@code attachments}), or empty
   *     when there is nothing left to say (its incident or storm is gone)
   * @throws dev.alertdesk.incident.StorageException when the state cannot be read
   */
  Optional<String> compose(OutboxJob job, Enrichment.ParentContext context);
}
