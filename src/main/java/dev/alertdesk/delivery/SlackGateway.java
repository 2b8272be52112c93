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
