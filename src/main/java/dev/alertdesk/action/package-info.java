/**
 * Actions taken from Slack on an incident: acknowledge, silence in Alertmanager, snooze a
 * fingerprint's thread replies. Each changes state, appends an audit row and queues the Slack
 * updates in one transaction.
 */
@NullMarked
package dev.alertdesk.action;

import org.jspecify.annotations.NullMarked;
