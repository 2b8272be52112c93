package dev.alertdesk.delivery;

import org.jspecify.annotations.Nullable;

/**
 * The Slack Web API calls delivery needs. Implementations classify every answer into a
 * {@link SlackCallResult} and never throw for HTTP or Slack errors.
 */
public interface SlackGateway {
  /**
   * {@code chat.postMessage}.
   *
   * @param channel channel name or ID
   * @param threadTs the parent's ts for a thread reply, or null for a new message
   * @param payloadJson rendered message: {@code text} plus {@code blocks} and/or {@code attachments}
   */
  SlackCallResult post(String channel, @Nullable String threadTs, String payloadJson);

  /**
   * {@code chat.update}.
   *
   * @param channelId the channel ID (not a name) that the post answered with
   * @param ts the message to replace
   * @param payloadJson rendered message
   */
  SlackCallResult update(String channelId, String ts, String payloadJson);
}
