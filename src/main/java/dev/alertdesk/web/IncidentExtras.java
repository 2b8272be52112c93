package dev.alertdesk.web;

import java.util.List;
import java.util.Map;

/**
 * What the incident page and {@code GET /api/incidents/{id}} show beyond the incident store:
 * graphs and audit entries, each owned by its own feature.
 */
public interface IncidentExtras {
  /** No extras: no graphs beyond the built-in ones, no audit entries. */
  IncidentExtras NONE = new IncidentExtras() {
    @Override
    public List<Graph> graphs(long incidentId) {
      return List.of();
    }

    @Override
    public List<Map<String, Object>> audit(long incidentId) {
      return List.of();
    }
  };

  /**
   * Returns the images to show for an incident, oldest first.
   *
   * @param incidentId the incident
   * @return its graphs; empty when none
   */
  List<Graph> graphs(long incidentId);

  /**
   * Returns the incident's audit entries, oldest first, each as JSON-ready fields including
   * {@code at} (RFC 3339), {@code actor} and {@code action}.
   *
   * @param incidentId the incident
   * @return its audit entries; empty when none
   */
  List<Map<String, Object>> audit(long incidentId);

  /**
   * Returns the incident's remediation requests, newest first, at most 100, each as JSON-ready
   * fields (the API's {@code Remediation} schema).
   *
   * @param incidentId the incident
   * @return its requests; empty when none (the default)
   */
  default List<Map<String, Object>> remediations(long incidentId) {
    return List.of();
  }

  /**
   * One image.
   *
   * @param title what it shows; used as the image's alternative text
   * @param url where the PNG is served, relative to this service
   */
  record Graph(String title, String url) {}
}
