package dev.alertdesk.action;

import org.jspecify.annotations.Nullable;

/**
 * One action asked for on one incident, independent of the transport that carried it (a Block
 * Kit click over HTTP today; Socket Mode or a slash command later).
 *
 * @param actionId the action kind, a Block Kit {@code action_id} such as
 *     {@code incident_silence}
 * @param incidentId the incident, positive
 * @param choice the selected choice ({@code 4h}, {@code n10}), or null for a button; untrusted:
 *     each handler parses its own
 * @param userId who asked (Slack user ID), or {@value #SYSTEM_USER} for Alertdesk itself
 * @param userName their Slack user name
 * @param channelId the channel the request came from (a Slack channel ID), or null when unknown
 * @param responseUrl where to answer the user ephemerally, or null when nobody can be answered
 */
public record ActionRequest(String actionId, long incidentId, @Nullable String choice,
    String userId, String userName, @Nullable String channelId, @Nullable String responseUrl) {

  /** The user ID and name under which Alertdesk's own actions (silence expiry) are recorded. */
  public static final String SYSTEM_USER = "alertdesk";

  /**
   * A request made by Alertdesk itself, with nobody to answer.
   *
   * @param actionId the action kind
   * @param incidentId the incident
   */
  static ActionRequest bySystem(String actionId, long incidentId) {
    return new ActionRequest(actionId, incidentId, null, SYSTEM_USER, SYSTEM_USER, null, null);
  }
}
