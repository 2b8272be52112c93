package dev.alertdesk.app;

import dev.alertdesk.config.Settings;
import dev.alertdesk.rbac.Authorizer;
import dev.alertdesk.rbac.ConfiguredAuthorizer;
import dev.alertdesk.rbac.CountingAuthorizer;
import dev.alertdesk.rbac.MembershipUnreadableException;
import dev.alertdesk.rbac.RbacPolicy;
import dev.alertdesk.rbac.RbacStatus;
import dev.alertdesk.rbac.UserGroupMembership;
import dev.alertdesk.rbac.UserGroupReader;
import dev.alertdesk.rbac.WithoutRbacAuthorizer;
import dev.alertdesk.slack.SlackProblems;
import dev.alertdesk.slack.SlackUserGroupReader;
import dev.alertdesk.store.Database;
import dev.alertdesk.store.JdbiChannelNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's one {@link Authorizer}, built from the {@code rbac} section: a
 * {@link ConfiguredAuthorizer} over Slack's {@code usergroups.users.list}, or, without the
 * section, {@link WithoutRbacAuthorizer} (with a start-up warning); either wrapped in a
 * {@link CountingAuthorizer} for {@code alertdesk_rbac_denied_total}.
 *
 * @param authorizer what every action check calls
 * @param status the {@code rbac} section of {@code GET /api/status}
 * @param reader the Slack client reading user groups, closed with the service; or null
 */
record RbacWiring(Authorizer authorizer, RbacStatus status,
    @Nullable SlackUserGroupReader reader) implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RbacWiring.class);

  /**
   * @param settings the settings, with their {@code rbac} section or none
   * @param database resolves {@code #name} channels of grants to IDs
   * @param clock times the 5-minute user-group cache
   * @param metrics where denials are counted
   * @param slackProblems where a permanent Slack error of {@code usergroups.users.list} (a
   *     missing scope, the free plan) is also shown
   * @param interactive whether Slack actions are on (the warning is only worth giving then)
   */
  static RbacWiring build(Settings settings, Database database, Clock clock,
      MeterRegistry metrics, SlackProblems slackProblems, boolean interactive) {
    RbacPolicy policy = settings.rbac();
    if (policy == null) {
      if (interactive) {
        log.warn("CONFIG_FILE has no rbac section: anyone who can click in an incident's channel "
            + "may acknowledge, silence and snooze it, and remediation is off; add an rbac "
            + "section (README: RBAC) to restrict who may act");
      }
      return new RbacWiring(new CountingAuthorizer(new WithoutRbacAuthorizer(), metrics),
          new RbacStatus(null), null);
    }
    SlackUserGroupReader slack = null;
    UserGroupReader reader;
    if (settings.slackBotToken() != null) {
      slack = new SlackUserGroupReader(settings.slackApiUrl(), settings.slackBotToken(),
          slackProblems);
      reader = slack;
    } else {
      reader = group -> {
        throw new MembershipUnreadableException("no_token",
            "SLACK_BOT_TOKEN is not set, so Slack user groups cannot be read");
      };
      if (!policy.usergroups().isEmpty()) {
        log.warn("rbac: roles name Slack user groups but SLACK_BOT_TOKEN is not set: access "
            + "through user groups is denied");
      }
    }
    ConfiguredAuthorizer configured = new ConfiguredAuthorizer(policy,
        new UserGroupMembership(reader, clock), new JdbiChannelNames(database));
    log.info("rbac on: {} roles, {} grants, {} Slack user groups (read with "
        + "usergroups.users.list, cached 5 min)", policy.roles().size(), policy.grants().size(),
        policy.usergroups().size());
    return new RbacWiring(new CountingAuthorizer(configured, metrics), new RbacStatus(configured),
        slack);
  }

  @Override
  public void close() {
    if (reader != null) {
      try {
        reader.close();
      } catch (Exception e) {
        log.debug("closing the Slack user-group client failed", e);
      }
    }
  }
}
