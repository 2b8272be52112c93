/**
 * What an operator must know at a glance ({@code GET /api/status}): one {@link StatusSection}
 * per dependency (Slack, Alertmanager, Prometheus, the database, the outbox), listed in one
 * {@link StatusReport}. A feature adds its own section; nothing here sends or stores anything.
 */
@NullMarked
package dev.alertdesk.status;

import org.jspecify.annotations.NullMarked;
