package dev.alertdesk.graph;

import java.time.Instant;

/**
 * A rendered chart kept under {@code STORAGE_DIR/charts/}.
 *
 * @param id the random, unguessable id (32 lower-case hex characters), as in
 *     {@code GET /api/charts/{id}.png}
 * @param incidentId the incident it belongs to
 * @param kind {@link ChartKind#FIRING} or {@link ChartKind#RESOLVED}
 * @param createdAt when it was rendered
 * @param fileName the PNG's file name inside the charts directory
 * @param query the PromQL drawn
 */
public record StoredChart(
    String id, long incidentId, ChartKind kind, Instant createdAt, String fileName, String query) {}
