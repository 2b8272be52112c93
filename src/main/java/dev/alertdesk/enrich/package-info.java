/**
 * Context for incidents from Prometheus: the choice of PromQL for an alert, the Prometheus HTTP
 * API client, value formatting, and the enrichment the outbox worker applies (current value on
 * the parent message, graphs in the thread).
 */
@NullMarked
package dev.alertdesk.enrich;

import org.jspecify.annotations.NullMarked;
