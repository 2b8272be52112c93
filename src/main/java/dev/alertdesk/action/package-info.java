/**
 * Actions taken from Slack on an incident: acknowledge, silence in Alertmanager, snooze a
 * fingerprint's thread replies. One {@link dev.alertdesk.action.ActionHandler} per action kind,
 * reached through the {@link dev.alertdesk.action.ActionDispatcher} whatever the transport; each
 * changes state, appends an audit row and queues the Slack updates in one transaction
 * ({@link dev.alertdesk.action.ActionWriter}). {@link dev.alertdesk.action.SilenceExpiry} expires
 * "until resolved" silences.
 */
@NullMarked
package dev.alertdesk.action;

import org.jspecify.annotations.NullMarked;
