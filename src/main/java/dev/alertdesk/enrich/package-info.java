/**
 * Context for incidents from Prometheus: the choice of PromQL for an alert, the Prometheus HTTP
 * API client, value formatting, the enrichment jobs that render and store each incident's value
 * line and graph whether Slack is on or off ({@code IncidentCharts}, {@code EnrichmentWorker}),
 * and the enrichment the outbox worker applies (current value on the parent message, the stored
 * graph uploaded into the thread).
 */
@NullMarked
package dev.alertdesk.enrich;

import org.jspecify.annotations.NullMarked;
