package dev.alertdesk.rbac;

import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Authorizer} of a configured {@code rbac} section: {@link RbacPolicy#decide} with
 * user groups from {@link UserGroupMembership} and channel names from {@link ChannelNames}.
 * Fails closed: an unreadable group or channel name, or any unexpected error, denies with a
 * reason. Thread-safe.
 */
public final class ConfiguredAuthorizer implements Authorizer {
  private static final Logger log = LoggerFactory.getLogger(ConfiguredAuthorizer.class);

  private final RbacPolicy policy;
  private final UserGroupMembership membership;
  private final ChannelNames channelNames;
  private final boolean namesChannels;

  /**
   * @param policy the {@code rbac} section
   * @param membership user-group members (cached 5 minutes)
   * @param channelNames the names a channel ID is known under (consulted only when a grant
   *     names a channel as {@code #name})
   */
  public ConfiguredAuthorizer(RbacPolicy policy, UserGroupMembership membership,
      ChannelNames channelNames) {
    this.policy = policy;
    this.membership = membership;
    this.channelNames = channelNames;
    this.namesChannels = policy.grants().stream()
        .anyMatch(g -> g.channels().stream().anyMatch(c -> c.startsWith("#")));
  }

  /** Returns the policy. */
  public RbacPolicy policy() {
    return policy;
  }

  /** Returns the user-group membership it reads (for the status section). */
  public UserGroupMembership membership() {
    return membership;
  }

  @Override
  public AccessDecision check(String userId, String action, @Nullable String channelId,
      Freshness freshness) {
    try {
      Set<String> names = namesChannels && channelId != null
          ? channelNames.namesOf(channelId) : Set.of();
      return policy.decide(userId, action, channelId, names,
          group -> membership.members(group, freshness));
    } catch (RuntimeException e) {
      log.warn("access check failed, denied {} {}: {}", action, userId, e.toString());
      return new AccessDecision(false, "the access check failed ("
          + e.getClass().getSimpleName() + "); please try again", java.util.List.of(), Map.of());
    }
  }
}
