package dev.alertdesk.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Links into Slack for people reading the history. */
final class SlackLinks {
  private SlackLinks() {}

  /**
   * Returns {@code https://slack.com/app_redirect?channel=ID}, which opens the channel in the
   * reader's Slack client or browser (api.slack.com/reference/deep-linking).
   */
  static String channel(String channelId) {
    return "https://slack.com/app_redirect?channel="
        + URLEncoder.encode(channelId, StandardCharsets.UTF_8);
  }

  /**
   * Returns {@code https://slack.com/app_redirect?channel=ID&message_ts=TS}, which opens the
   * incident's parent message, and so its thread, rather than the bottom of the channel.
   *
   * @param channelId the channel ID Slack answered the post with
   * @param ts the parent message's ts, e.g. {@code 1700000000.000100}
   */
  static String message(String channelId, String ts) {
    return channel(channelId) + "&message_ts=" + URLEncoder.encode(ts, StandardCharsets.UTF_8);
  }
}
