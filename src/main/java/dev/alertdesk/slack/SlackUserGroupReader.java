package dev.alertdesk.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.request.usergroups.users.UsergroupsUsersListRequest;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import dev.alertdesk.rbac.MembershipUnreadableException;
import dev.alertdesk.rbac.UserGroupMembership;
import dev.alertdesk.rbac.UserGroupReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads Slack user-group members with {@code usergroups.users.list} (scope
 * {@code usergroups:read}; Slack docs: docs.slack.dev/reference/methods/usergroups.users.list)
 * through the Slack Java SDK, pointed at {@code SLACK_API_URL}. Each call times out after 5 s.
 * Every failure becomes a {@link MembershipUnreadableException} whose message says what to do,
 * e.g. for Slack's free plan ({@code plan_upgrade_required}) or a token without the scope
 * ({@code missing_scope}); the token never appears in it. Thread-safe.
 */
public final class SlackUserGroupReader implements UserGroupReader, AutoCloseable {
  /** The Web API method called. */
  public static final String METHOD = "usergroups.users.list";

  private final Slack slack;
  private final MethodsClient methods;
  private final @Nullable SlackProblems problems;

  /**
   * @param apiUrl the Web API base ending in {@code /}
   * @param botToken the {@code xoxb-} token
   * @param problems where permanent errors (a missing scope, the free plan) are also recorded for
   *     the Slack status section, or null
   */
  public SlackUserGroupReader(String apiUrl, String botToken, @Nullable SlackProblems problems) {
    this.problems = problems;
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(apiUrl);
    config.setStatsEnabled(false);
    config.getMethodsConfig().setStatsEnabled(false);
    config.setPrettyResponseLoggingEnabled(false);
    config.setHttpClientReadTimeoutMillis(5_000);
    config.setHttpClientWriteTimeoutMillis(5_000);
    config.setHttpClientCallTimeoutMillis(5_000);
    this.slack = Slack.getInstance(config);
    this.methods = slack.methods(botToken);
  }

  @Override
  public Set<String> members(String usergroupId) {
    UsergroupsUsersListResponse response;
    try {
      response = methods.usergroupsUsersList(UsergroupsUsersListRequest.builder()
          .usergroup(usergroupId).build());
    } catch (SlackApiException e) {
      int status = e.getResponse().code();
      throw new MembershipUnreadableException("http_" + status, status == 429
          ? "Slack rate-limited " + METHOD + " (HTTP 429)"
          : "Slack answered HTTP " + status + " to " + METHOD);
    } catch (InterruptedIOException e) {
      throw new MembershipUnreadableException("timeout", "Slack did not answer " + METHOD
          + " within 5 s");
    } catch (IOException e) {
      throw new MembershipUnreadableException("unreachable", "Slack is unreachable ("
          + e.getClass().getSimpleName() + ")");
    } catch (RuntimeException e) {
      // The SDK's JSON parsing of an unexpected body.
      throw new MembershipUnreadableException("bad_response", "Slack's answer to " + METHOD
          + " could not be read");
    }
    if (!response.isOk()) {
      // Slack's codes are short snake_case words; anything else is not echoed into logs,
      // metrics or messages.
      String error = response.getError() != null
          && response.getError().matches("[a-z0-9_]{1,64}") ? response.getError()
          : "unknown_error";
      if (problems != null && !error.equals("no_such_subteam")) {
        problems.record(METHOD, error, response.getNeeded());
      }
      throw new MembershipUnreadableException(error, explain(error, usergroupId));
    }
    if (problems != null) {
      problems.delivered(METHOD);
    }
    List<String> users = response.getUsers() == null ? List.of() : response.getUsers();
    return Set.copyOf(users.size() <= UserGroupMembership.MAX_MEMBERS ? users
        : users.subList(0, UserGroupMembership.MAX_MEMBERS));
  }

  /** What an error code of {@code usergroups.users.list} means, in plain words. */
  static String explain(String error, String usergroupId) {
    return switch (error) {
      case "plan_upgrade_required" -> "plan_upgrade_required: this Slack workspace's plan has "
          + "no user groups; list the people in the role's users instead";
      case "missing_scope" -> "missing_scope: the bot token lacks usergroups:read; add it under "
          + "OAuth & Permissions and reinstall the app";
      case "no_such_subteam" -> "no_such_subteam: Slack knows no user group "
          + IncidentMessageRenderer.escapeText(usergroupId);
      case "subteam_not_found" -> "subteam_not_found: Slack knows no user group "
          + IncidentMessageRenderer.escapeText(usergroupId);
      default -> error + ": " + SlackProblems.advice(error, null);
    };
  }

  @Override
  public void close() throws Exception {
    slack.close();
  }
}
