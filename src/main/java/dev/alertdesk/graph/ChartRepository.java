package dev.alertdesk.graph;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rendered charts: PNG files under {@code STORAGE_DIR/charts/} with a row each naming the
 * incident, so the history can list an incident's graphs and retention can delete them.
 * Implementations throw {@link dev.alertdesk.incident.StorageException} when the database or
 * the file system fails.
 */
public interface ChartRepository {
  /** The format of a chart id: 32 lower-case hex characters (128 random bits). */
  Pattern ID = Pattern.compile("[0-9a-f]{32}");

  /**
   * Stores a PNG under a new random id: the file first (written whole, then moved into place),
   * then its row.
   *
   * @param incidentId the incident it belongs to
   * @param kind firing or resolved
   * @param outboxId the outbox job that rendered it, so a retried job reuses it; or null
   * @param query the PromQL drawn
   * @param png the encoded image
   * @return the stored chart
   */
  StoredChart save(long incidentId, ChartKind kind, @org.jspecify.annotations.Nullable Long outboxId,
      String query, byte[] png);

  /**
   * Returns the chart an outbox job already stored, if it ran before and was retried; empty, too,
   * when that chart's kind is one this version does not know (a newer version wrote it).
   */
  Optional<StoredChart> forOutboxJob(long outboxId);

  /**
   * Returns an incident's charts, oldest first; empty when it has none. Charts of a kind this
   * version does not know (a newer version wrote them) are left out.
   */
  List<StoredChart> chartsForIncident(long incidentId);

  /**
   * Returns the PNG file of a chart.
   *
   * @param id a chart id; anything not matching {@link #ID} finds nothing
   * @return the existing file, or empty when the id is malformed, unknown or its file is gone
   */
  Optional<Path> file(String id);

  /**
   * Returns the PNG the autometrics slack-app stored for one of its {@code alerts} rows (imported
   * at start-up), which its old Slack messages show as {@code BASE_URL/api/chart/{id}}. The file
   * is its {@code chart_filename} directly inside {@code STORAGE_DIR}; a name that would lead
   * anywhere else finds nothing.
   *
   * @param alertId the slack-app's {@code alerts.id}
   * @return the existing file, or empty when the row, its chart or the file is missing (the
   *     default, for stores without an import)
   */
  default Optional<Path> slackAppChart(long alertId) {
    return Optional.empty();
  }
}
