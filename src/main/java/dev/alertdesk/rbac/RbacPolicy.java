package dev.alertdesk.rbac;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code rbac} section of {@code CONFIG_FILE}, validated, and the pure decision over it
 * ({@link #decide}). Roles name Slack users and user groups; grants give actions to roles,
 * optionally only in some channels. Anything not granted is denied.
 *
 * @param roles role name to role, in file order
 * @param grants the grants, in file order; every grant's role is in {@code roles}
 */
public record RbacPolicy(Map<String, Role> roles, List<Grant> grants) {
  /** Copies the collections, keeping their order. */
  public RbacPolicy {
    roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    grants = List.copyOf(grants);
  }

  /**
   * One role.
   *
   * @param name its name, as grants refer to it
   * @param users Slack user IDs ({@code U…}, {@code W…}) that hold it
   * @param usergroups Slack user-group IDs ({@code S…}) whose members hold it
   */
  public record Role(String name, Set<String> users, Set<String> usergroups) {
    /** Copies the sets, keeping their order. */
    public Role {
      users = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(users));
      usergroups = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(usergroups));
    }
  }

  /**
   * One grant.
   *
   * @param role the role it gives the actions to
   * @param actions action names or patterns ({@link ActionNames#problem} accepts each)
   * @param channels where it applies: {@code #name}s or channel IDs; empty for everywhere
   */
  public record Grant(String role, List<String> actions, List<String> channels) {
    /** Copies the lists. */
    public Grant {
      actions = List.copyOf(actions);
      channels = List.copyOf(channels);
    }

    /** Returns true when this grant gives {@code action} in the channel. */
    boolean applies(String action, @Nullable String channelId, Set<String> channelNames) {
      if (actions.stream().noneMatch(p -> ActionNames.grants(p, action))) {
        return false;
      }
      if (channels.isEmpty()) {
        return true;
      }
      for (String c : channels) {
        if (c.startsWith("#")) {
          if (channelNames.contains(normalName(c))) {
            return true;
          }
        } else if (c.equals(channelId)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Where {@link #decide} reads the members of a user group.
   */
  @FunctionalInterface
  public interface Members {
    /**
     * @param usergroupId the group
     * @return its members' user IDs
     * @throws MembershipUnreadableException when they cannot be read
     */
    Set<String> of(String usergroupId);
  }

  /**
   * A channel name compared as Slack compares names: without its {@code #}, in lower case.
   *
   * @param name {@code #alerts}, {@code alerts} or {@code #Alerts}
   */
  public static String normalName(String name) {
    String n = name.startsWith("#") ? name.substring(1) : name;
    return n.toLowerCase(Locale.ROOT);
  }

  /**
   * The roles whose grants give {@code action} in the channel, in file order.
   *
   * @param action a grant name
   * @param channelId the channel ID, or null when unknown (then only grants without channels
   *     apply)
   * @param channelNames the names the channel is known under, any form
   */
  public List<String> rolesGranting(String action, @Nullable String channelId,
      Set<String> channelNames) {
    Set<String> names = new LinkedHashSet<>();
    channelNames.forEach(n -> names.add(normalName(n)));
    Set<String> out = new LinkedHashSet<>();
    for (Grant g : grants) {
      if (g.applies(action, channelId, names)) {
        out.add(g.role());
      }
    }
    return List.copyOf(out);
  }

  /**
   * Decides whether {@code userId} may run {@code action} in the channel. Pure apart from
   * {@code members}. A role held directly (its {@code users}) decides without reading any user
   * group; otherwise the groups of the granting roles are read in file order until one holds the
   * user. When none does and one could not be read, the decision is a denial that says so
   * (fails closed).
   *
   * @param userId the Slack user ID
   * @param action the grant name
   * @param channelId the channel ID, or null when unknown
   * @param channelNames the names the channel is known under
   * @param members reads a group's members
   * @return the decision; its roles are the roles found held (direct ones, and those through a
   *     group read), its memberships every group read
   */
  public AccessDecision decide(String userId, String action, @Nullable String channelId,
      Set<String> channelNames, Members members) {
    Set<String> held = new LinkedHashSet<>();
    roles.values().forEach(r -> {
      if (r.users().contains(userId)) {
        held.add(r.name());
      }
    });
    if (!ActionNames.isAction(action)) {
      return new AccessDecision(false, "unknown action " + action, List.copyOf(held), Map.of());
    }
    List<String> granting = rolesGranting(action, channelId, channelNames);
    if (granting.isEmpty()) {
      return new AccessDecision(false, "no role is granted " + action
          + (channelId == null ? "" : " in this channel"), List.copyOf(held), Map.of());
    }
    for (String role : granting) {
      if (held.contains(role)) {
        return new AccessDecision(true, "role " + role, List.copyOf(held), Map.of());
      }
    }
    Map<String, Boolean> memberships = new LinkedHashMap<>();
    List<String> unreadable = new ArrayList<>();
    for (String role : granting) {
      for (String group : roles.get(role).usergroups()) {
        if (memberships.containsKey(group)) {
          continue;
        }
        boolean in;
        try {
          in = members.of(group).contains(userId);
        } catch (MembershipUnreadableException e) {
          if (unreadable.size() < 3) {
            unreadable.add(group + ": " + e.getMessage());
          }
          continue;
        }
        memberships.put(group, in);
        if (in) {
          roles.values().forEach(r -> {
            if (r.usergroups().contains(group)) {
              held.add(r.name());
            }
          });
          return new AccessDecision(true, "role " + role + " through user group " + group,
              List.copyOf(held), memberships);
        }
      }
    }
    String needs = "needs role " + String.join(" or ", granting);
    if (!unreadable.isEmpty()) {
      return new AccessDecision(false, needs + "; Slack user groups could not be read ("
          + String.join("; ", unreadable) + ")", List.copyOf(held), memberships);
    }
    return new AccessDecision(false, needs, List.copyOf(held), memberships);
  }

  /** Every user group any role names, in file order. */
  public Set<String> usergroups() {
    Set<String> out = new LinkedHashSet<>();
    roles.values().forEach(r -> out.addAll(r.usergroups()));
    return out;
  }
}
