package dev.alertdesk.delivery;

import java.time.Instant;
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

  /** The {@code event_type} of the message metadata every parent post carries. */
  String PARENT_EVENT_TYPE = "alertdesk_incident";

  /**
   * {@code chat.postMessage} of an incident's parent message, carrying message metadata
   * (docs.slack.dev/messaging/message-metadata): {@code event_type} {@value #PARENT_EVENT_TYPE},
   * {@code event_payload} {@code {"incident_id": …, "channel": …}}, so that
   * {@link #findParent} can find it again when the answer was lost. This default, for gateways
   * without metadata, posts without it.
   *
   * @param channel channel name or ID, as configured
   * @param payloadJson rendered message
   * @param incidentId the incident the message is the parent of
   */
  default SlackCallResult postParent(String channel, String payloadJson, long incidentId) {
    return post(channel, null, payloadJson);
  }

  /**
   * Looks for the parent message of {@code incidentId} among the channel's messages since
   * {@code since}, by its metadata ({@code conversations.history} with
   * {@code include_all_metadata=true}; needs the {@code channels:history} scope, or
   * {@code groups:history} for a private channel).
   *
   * @param channelId the channel's ID (the method takes no names)
   * @param channel the channel as configured, as written in the metadata
   * @param incidentId the incident
   * @param since the oldest message to look at
   * @return {@link DeliveryOutcome#DELIVERED} with the found message's channel ID and ts, or with
   *     a null ts when no such message exists; {@link DeliveryOutcome#RETRY} or
   *     {@link DeliveryOutcome#RETRY_AFTER} when Slack could not be asked now;
   *     {@link DeliveryOutcome#FAILED} when the history cannot be read at all ({@code
   *     missing_scope}: see {@link SlackCallResult#neededScope()}). This default, for gateways
   *     that cannot read history, fails.
   */
  default SlackCallResult findParent(String channelId, String channel, long incidentId,
      Instant since) {
    return SlackCallResult.failure(DeliveryOutcome.FAILED, "history lookups are not supported");
  }

  /**
   * {@code chat.update}.
   *
   * @param channelId the channel ID (not a name) that the post answered with
   * @param ts the message to replace
   * @param payloadJson rendered message
   */
  SlackCallResult update(String channelId, String ts, String payloadJson);

  /**
   * Uploads a file into a thread with {@code files.getUploadURLExternal}, the upload, then
   * {@code files.completeUploadExternal} (the SDK's {@code filesUploadV2};
   * docs.slack.dev/messaging/working-with-files). Needs the {@code files:write} scope.
   *
   * @param channelId the channel ID of the thread
   * @param threadTs the parent message's ts
   * @param fileName the file name shown, e.g. {@code graph.png}
   * @param title the file title
   * @param data the file content
   * @param initialComment a message posted with the file, or null
   * @return the outcome; {@code ts} is null. This default, for gateways that cannot upload,
   *     fails for good.
   */
  default SlackCallResult upload(String channelId, String threadTs, String fileName, String title,
      byte[] data, @Nullable String initialComment) {
    return SlackCallResult.failure(DeliveryOutcome.FAILED, "file uploads are not supported");
  }
}
