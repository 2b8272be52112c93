package dev.alertdesk.rbac;

import dev.alertdesk.status.SectionStatus;
import dev.alertdesk.status.StatusSection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code rbac} section of {@code GET /api/status}: whether RBAC is on, the size of the
 * policy, and whether Slack user-group membership can be read (the last read, and the last
 * failure with its cause). Shows no user or group IDs and no secrets.
 */
public final class RbacStatus implements StatusSection {
  private final @Nullable ConfiguredAuthorizer authorizer;

  /**
   * @param authorizer the configured authorizer, or null when there is no {@code rbac} section
   */
  public RbacStatus(@Nullable ConfiguredAuthorizer authorizer) {
    this.authorizer = authorizer;
  }

  @Override
  public String name() {
    return "rbac";
  }

  @Override
  public SectionStatus check() {
    Map<String, Object> details = new LinkedHashMap<>();
    if (authorizer == null) {
      details.put("enabled", false);
      return new SectionStatus(SectionStatus.Level.OFF, "off: no rbac section in CONFIG_FILE; "
          + "acknowledge, silence and snooze are open to the channel, remediation is off",
          details);
    }
    RbacPolicy policy = authorizer.policy();
    UserGroupMembership membership = authorizer.membership();
    details.put("enabled", true);
    details.put("roles", policy.roles().size());
    details.put("grants", policy.grants().size());
    details.put("usergroups", policy.usergroups().size());
    details.put("cached_usergroups", membership.cachedGroups());
    UserGroupMembership.LastRead last = membership.lastRead();
    UserGroupMembership.LastRead failure = membership.lastFailure();
    details.put("last_membership_read_at", last == null ? null : last.at().toString());
    details.put("last_membership_read_ok", last == null ? null : last.ok());
    details.put("last_membership_error", failure == null ? null : failure.error());
    details.put("last_membership_error_at", failure == null ? null : failure.at().toString());
    if (last != null && !last.ok()) {
      return new SectionStatus(SectionStatus.Level.ERROR, "on; user groups unreadable ("
          + last.error() + "): access through user groups is denied", details);
    }
    return SectionStatus.ok("on: " + policy.roles().size() + " roles, "
        + policy.grants().size() + " grants" + (policy.usergroups().isEmpty() ? ""
            : last == null ? "; user groups not read yet" : "; user groups readable"), details);
  }
}
