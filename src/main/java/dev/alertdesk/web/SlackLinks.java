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
}
