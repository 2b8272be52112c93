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
 * @param sentry {@code sentry: true|false}: whether matching incidents go to the Sentry sink;
 *     null when the route does not say (the next matching route decides, else on)
 * @param email who gets mail about the route's incidents, and when; null for no mail
 */
public record Route(
    Matchers matchers,
    @Nullable String channel,
    @Nullable String mention,
    boolean slack,
    boolean continueMatching,
    @Nullable Boolean sentry,
    @Nullable EmailRoute email) {

  /** A route that does not say whether its incidents go to Sentry, without e-mail. */
  public Route(Matchers matchers, @Nullable String channel, @Nullable String mention,
      boolean slack, boolean continueMatching) {
    this(matchers, channel, mention, slack, continueMatching, null, null);
  }

  /** A route without e-mail. */
  public Route(Matchers matchers, @Nullable String channel, @Nullable String mention,
      boolean slack, boolean continueMatching, @Nullable Boolean sentry) {
    this(matchers, channel, mention, slack, continueMatching, sentry, null);
  }

  /** A route with e-mail that does not say whether its incidents go to Sentry. */
  public Route(Matchers matchers, @Nullable String channel, @Nullable String mention,
      boolean slack, boolean continueMatching, @Nullable EmailRoute email) {
    this(matchers, channel, mention, slack, continueMatching, null, email);
  }

  /** Returns true when every matcher matches {@code labels}. */
  public boolean matches(Labels labels) {
    return matchers.matches(labels);
  }
}
