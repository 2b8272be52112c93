package dev.alertdesk.incident;

/**
 * One rendered Slack call waiting in the outbox.
 *
 * @param kind post the parent, update it, or reply in its thread
 * @param channel the Slack channel, as a name ({@code #alerts}) or an ID
 * @param payloadJson the rendered message: a JSON object with {@code text} and {@code blocks}
 *     and/or {@code attachments}, as the Slack Web API takes them
 */
public record OutgoingMessage(SlackIntent.Kind kind, String channel, String payloadJson) {}
