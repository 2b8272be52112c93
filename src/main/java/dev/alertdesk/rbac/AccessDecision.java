package dev.alertdesk.rbac;

import java.util.List;
import java.util.Map;

/**
 * The answer of an {@link Authorizer}: allowed or not, why, and the facts it rested on, so that
 * an audit row can record them.
 *
 * @param allowed whether the user may run the action
 * @param reason a short sentence for the user and the audit row, such as {@code needs role
 *     oncall} or {@code user groups unreadable: plan_upgrade_required}; never a secret
 * @param roles the roles the user holds at this moment (role names from {@code rbac.roles}),
 *     possibly empty; as far as resolved: roles held directly, and roles of the user groups read
 *     for this decision (a group not needed for it is not read)
 * @param memberships the Slack user groups consulted and whether the user was in each (group ID
 *     to membership), as resolved at this moment
 */
public record AccessDecision(boolean allowed, String reason, List<String> roles,
    Map<String, Boolean> memberships) {

  /** Copies the collections. */
  public AccessDecision {
    roles = List.copyOf(roles);
    memberships = Map.copyOf(memberships);
  }
}
