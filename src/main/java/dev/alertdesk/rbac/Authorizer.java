package dev.alertdesk.rbac;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a Slack user may run an action in a channel, from the {@code rbac} section of
 * {@code CONFIG_FILE}. Action names are the grant names: {@code acknowledge},
 * {@code unacknowledge}, {@code silence}, {@code unsilence}, {@code snooze},
 * {@code remediate:<action id>} and {@code approve:<action id>}. Implementations are thread-safe
 * and never throw: anything that cannot be resolved denies (fails closed) with a reason.
 */
public interface Authorizer {
  /**
   * @param userId the Slack user ID ({@code U…})
   * @param action the grant name of the action
   * @param channelId the Slack channel ID the request came from, or null when unknown (then only
   *     grants without a channel list apply)
   * @param freshness whether user-group membership may come from the cache
   * @return the decision, with the roles and memberships it rested on
   */
  AccessDecision check(String userId, String action, @Nullable String channelId,
      Freshness freshness);
}
