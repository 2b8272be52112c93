package dev.alertdesk.slack;

import org.jspecify.annotations.Nullable;

/**
 * The {@code value} of an action element on an incident's parent message: a button's value is
 * the incident id ({@code 42}); a select option's value is {@code {incident id}:{choice}}
 * ({@code 42:4h}, see {@link SilenceChoice} and {@link SnoozeChoice}). Rendered by
 * {@link IncidentActionBlocks} and parsed by the action dispatcher, both through this record.
 *
 * @param incidentId the incident id, positive
 * @param choice the text after the first colon (possibly empty), or null when there is no colon
 */
public record ActionValue(long incidentId, @Nullable String choice) {

  /** The value of a button about incident {@code incidentId}. */
  public static String button(long incidentId) {
    return String.valueOf(incidentId);
  }

  /** The value of a select option choosing {@code choice} for incident {@code incidentId}. */
  public static String option(long incidentId, String choice) {
    return incidentId + ":" + choice;
  }

  /**
   * Reads a value sent back by Slack (or typed by a user: it is untrusted).
   *
   * @param value the element's value, or null
   * @return what it says, or null when it is null or its incident id is not a positive decimal
   *     number that fits in a {@code long}
   */
  public static @Nullable ActionValue parse(@Nullable String value) {
    if (value == null) {
      return null;
    }
    int colon = value.indexOf(':');
    String id = colon < 0 ? value : value.substring(0, colon);
    if (id.isEmpty() || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    try {
      long incidentId = Long.parseLong(id);
      return incidentId > 0
          ? new ActionValue(incidentId, colon < 0 ? null : value.substring(colon + 1)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
