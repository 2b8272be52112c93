package dev.alertdesk.rbac;

import java.util.Set;

/**
 * Reads the members of one Slack user group, uncached. The service's implementation calls
 * Slack's {@code usergroups.users.list} (scope {@code usergroups:read}; Slack docs:
 * docs.slack.dev/reference/methods/usergroups.users.list). Thread-safe.
 */
public interface UserGroupReader {
  /**
   * @param usergroupId the user group's ID ({@code S…})
   * @return the Slack user IDs of its members, at most {@link UserGroupMembership#MAX_MEMBERS}
   * @throws MembershipUnreadableException when the members cannot be read, saying why
   */
  Set<String> members(String usergroupId);
}
