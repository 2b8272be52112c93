package dev.alertdesk.history;

import java.util.List;

/**
 * One page of an incident search.
 *
 * @param rows the page, newest first
 * @param total how many incidents match the filters
 */
public record SearchPage(List<IncidentRow> rows, long total) {
  /** Copies the rows. */
  public SearchPage {
    rows = List.copyOf(rows);
  }
}
