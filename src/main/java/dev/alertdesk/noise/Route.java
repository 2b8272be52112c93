package dev.alertdesk.noise;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.alert.Matchers;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the {@code routes} list of {@code CONFIG_FILE}.
 *
 * @param matchers all must match the incident's common labels; empty matches every incident
 * @param channel the Slack channel (name or ID), or null for {@code SLACK_CHANNEL}
 * @param mention Slack mention markup added to the parent of new incidents and to reminders,
 *     e.g. {@code <!subteam^S0ONCALL>}, or null
 * @param slack false keeps matching incidents in history only, never posted
 * @param continueMatching true lets the next routes match too ({@code continue: true})
 */
public record Route(
    Matchers matchers,
    @Nullable String channel,
    @Nullable String mention,
    boolean slack,
    boolean continueMatching) {

  /** Returns true when every matcher matches {@code labels}. */
  public boolean matches(Labels labels) {
    return matchers.matches(labels);
  }
}
