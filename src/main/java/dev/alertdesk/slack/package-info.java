/**
 * The one Slack message composer ({@link dev.alertdesk.slack.SlackMessageComposer}: outbox
 * intents and current state to Block Kit, within {@link dev.alertdesk.slack.BlockKitLimits}) and
 * the Slack Web API gateway, both on the official Slack Java SDK. A new message kind is a
 * {@link dev.alertdesk.incident.MessageKind} plus one case in the composer.
 */
@NullMarked
package dev.alertdesk.slack;

import org.jspecify.annotations.NullMarked;
