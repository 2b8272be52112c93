package dev.alertdesk.config;

import dev.alertdesk.rbac.ActionNames;
import dev.alertdesk.rbac.RbacPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code rbac} section of {@code CONFIG_FILE} into an {@link RbacPolicy}:
 *
 * <pre>
 * rbac:
 *   roles:
 *     oncall: {users: [U0ALICE], usergroups: [S0ONCALL]}
 *   grants:
 *     - {role: oncall, actions: [acknowledge, silence, snooze, "remediate:*"]}
 *     - {role: oncall, actions: ["approve:*"], channels: ["#prod-alerts"]}
 * </pre>
 *
 * <p>Every error names the file, the line and the key path: an unknown key, a grant naming an
 * unknown role, a user ID that is not {@code U…}/{@code W…}, a user-group ID that is not
 * {@code S…}, a channel that is neither {@code #name} nor a channel ID, an unknown action.
 * Lists are bounded ({@value #MAX_ROLES} roles, {@value #MAX_GRANTS} grants,
 * {@value #MAX_ITEMS} entries per list).
 */
final class RbacConfig {
  static final int MAX_ROLES = 100;
  static final int MAX_GRANTS = 500;
  static final int MAX_ITEMS = 1_000;

  /** Slack user IDs: {@code U…}, or {@code W…} on Enterprise Grid. */
  private static final Pattern USER = Pattern.compile("[UW][A-Z0-9]{2,30}");
  /** Slack user-group IDs. */
  private static final Pattern USERGROUP = Pattern.compile("S[A-Z0-9]{2,30}");
  /** Slack channel IDs: public {@code C…}, private {@code G…}. */
  private static final Pattern CHANNEL_ID = Pattern.compile("[CG][A-Z0-9]{2,30}");
  /** Slack channel names: lower-case letters, digits, hyphens, underscores, at most 80. */
  private static final Pattern CHANNEL_NAME = Pattern.compile("#[a-z0-9][a-z0-9._-]{0,79}");
  private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private RbacConfig() {}

  /**
   * Reads the section.
   *
   * @param file names the source in error messages
   * @param root the parsed file, or null when it is empty
   * @return the policy, or null when the file has no {@code rbac} section
   * @throws ConfigException naming the file, line and key path of every problem, in file order
   */
  static @Nullable RbacPolicy read(Path file, YamlTree.@Nullable Node root) {
    if (root == null || !(root.value() instanceof Map)) {
      return null;
    }
    YamlTree.Node section = root.mapping(file, "(top level)").get("rbac");
    if (section == null) {
      return null;
    }
    List<String> problems = new ArrayList<>();
    if (!(section.value() instanceof Map)) {
      throw new ConfigException(file + " line " + section.line() + ": rbac: must be a mapping "
          + "with the keys roles and grants");
    }
    Map<String, YamlTree.Node> top = known(file, section.mapping(file, "rbac"), "rbac",
        Set.of("roles", "grants"), problems);
    Map<String, RbacPolicy.Role> roles = new LinkedHashMap<>();
    YamlTree.Node rolesNode = top.get("roles");
    if (rolesNode != null && rolesNode.value() != null) {
      try {
        Map<String, YamlTree.Node> byName = rolesNode.mapping(file, "rbac.roles");
        if (byName.size() > MAX_ROLES) {
          problems.add(at(file, rolesNode, "rbac.roles", "at most " + MAX_ROLES + " roles"));
        }
        for (Map.Entry<String, YamlTree.Node> e : byName.entrySet()) {
          String path = "rbac.roles." + e.getKey();
          if (!ROLE_NAME.matcher(e.getKey()).matches()) {
            problems.add(at(file, e.getValue(), path, "a role name is letters, digits, . _ -, "
                + "at most 64"));
          }
          try {
            roles.put(e.getKey(), role(file, e.getKey(), e.getValue(), path, problems));
          } catch (ConfigException ex) {
            problems.addAll(ex.problems());
          }
        }
      } catch (ConfigException ex) {
        problems.addAll(ex.problems());
      }
    }
    List<RbacPolicy.Grant> grants = new ArrayList<>();
    YamlTree.Node grantsNode = top.get("grants");
    if (grantsNode != null && grantsNode.value() != null) {
      try {
        List<YamlTree.Node> list = grantsNode.sequence(file, "rbac.grants");
        if (list.size() > MAX_GRANTS) {
          problems.add(at(file, grantsNode, "rbac.grants", "at most " + MAX_GRANTS + " grants"));
        }
        for (int i = 0; i < list.size(); i++) {
          try {
            grants.add(grant(file, list.get(i), "rbac.grants[" + i + "]", roles.keySet(),
                problems));
          } catch (ConfigException ex) {
            problems.addAll(ex.problems());
          }
        }
      } catch (ConfigException ex) {
        problems.addAll(ex.problems());
      }
    }
    if (!problems.isEmpty()) {
      // In file order, as every section reports them (a stable sort keeps a line's order).
      String prefix = file + " line ";
      problems.sort(java.util.Comparator.comparingInt(p -> lineOf(p, prefix)));
      throw new ConfigException(problems);
    }
    return new RbacPolicy(roles, grants);
  }

  private static RbacPolicy.Role role(Path file, String name, YamlTree.Node node, String path,
      List<String> problems) {
    if (node.value() == null) {
      return new RbacPolicy.Role(name, Set.of(), Set.of());
    }
    Map<String, YamlTree.Node> m = known(file, node.mapping(file, path), path,
        Set.of("users", "usergroups"), problems);
    Set<String> users = new LinkedHashSet<>(ids(file, m.get("users"), path + ".users", USER,
        "a Slack user ID such as U0123ABC (the member ID in the user's profile), not a name",
        problems));
    Set<String> groups = new LinkedHashSet<>(ids(file, m.get("usergroups"),
        path + ".usergroups", USERGROUP,
        "a Slack user-group ID such as S0123ABC (in the group's profile), not a handle",
        problems));
    return new RbacPolicy.Role(name, users, groups);
  }

  private static RbacPolicy.Grant grant(Path file, YamlTree.Node node, String path,
      Set<String> roles, List<String> problems) {
    Map<String, YamlTree.Node> m = known(file, node.mapping(file, path), path,
        Set.of("role", "actions", "channels"), problems);
    YamlTree.Node roleNode = m.get("role");
    String role = "";
    if (roleNode == null || roleNode.value() == null) {
      problems.add(at(file, node, path + ".role", "required: the role the actions are granted "
          + "to"));
    } else {
      role = roleNode.scalar(file, path + ".role");
      if (!roles.contains(role)) {
        problems.add(at(file, roleNode, path + ".role", "unknown role \"" + role
            + "\"; roles are " + (roles.isEmpty() ? "(none: define them under rbac.roles)"
                : String.join(", ", roles))));
      }
    }
    YamlTree.Node actionsNode = m.get("actions");
    List<String> actions = new ArrayList<>();
    if (actionsNode == null || actionsNode.value() == null) {
      problems.add(at(file, node, path + ".actions", "required: a list of actions"));
    } else {
      List<YamlTree.Node> list = actionsNode.sequence(file, path + ".actions");
      bound(file, actionsNode, path + ".actions", list, problems);
      for (int i = 0; i < list.size(); i++) {
        String p = path + ".actions[" + i + "]";
        String action = list.get(i).scalar(file, p);
        String problem = ActionNames.problem(action);
        if (problem != null) {
          problems.add(at(file, list.get(i), p, problem + " (got \"" + clip(action) + "\")"));
        } else {
          actions.add(action);
        }
      }
    }
    List<String> channels = new ArrayList<>();
    YamlTree.Node channelsNode = m.get("channels");
    if (channelsNode != null && channelsNode.value() != null) {
      List<YamlTree.Node> list = channelsNode.sequence(file, path + ".channels");
      bound(file, channelsNode, path + ".channels", list, problems);
      for (int i = 0; i < list.size(); i++) {
        String p = path + ".channels[" + i + "]";
        String channel = list.get(i).scalar(file, p);
        if (CHANNEL_NAME.matcher(channel).matches() || CHANNEL_ID.matcher(channel).matches()) {
          channels.add(channel);
        } else {
          problems.add(at(file, list.get(i), p, "a channel is #name (lower case, as in Slack) "
              + "or a channel ID such as C0123ABC (got \"" + clip(channel) + "\")"));
        }
      }
    }
    return new RbacPolicy.Grant(role, actions, channels);
  }

  private static List<String> ids(Path file, YamlTree.@Nullable Node node, String path,
      Pattern pattern, String what, List<String> problems) {
    if (node == null || node.value() == null) {
      return List.of();
    }
    List<YamlTree.Node> list = node.sequence(file, path);
    bound(file, node, path, list, problems);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String p = path + "[" + i + "]";
      String id = list.get(i).scalar(file, p);
      if (pattern.matcher(id).matches()) {
        out.add(id);
      } else {
        problems.add(at(file, list.get(i), p, "must be " + what + " (got \"" + clip(id)
            + "\")"));
      }
    }
    return out;
  }

  private static void bound(Path file, YamlTree.Node node, String path, List<YamlTree.Node> list,
      List<String> problems) {
    if (list.size() > MAX_ITEMS) {
      problems.add(at(file, node, path, "at most " + MAX_ITEMS + " entries"));
    }
  }

  private static Map<String, YamlTree.Node> known(Path file, Map<String, YamlTree.Node> map,
      String path, Set<String> keys, List<String> problems) {
    Map<String, YamlTree.Node> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlTree.Node> e : map.entrySet()) {
      if (keys.contains(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      } else {
        problems.add(at(file, e.getValue(), path + "." + e.getKey(), "unknown key; known keys "
            + "are " + String.join(", ", keys.stream().sorted().toList())));
      }
    }
    return out;
  }

  private static int lineOf(String problem, String prefix) {
    if (!problem.startsWith(prefix)) {
      return Integer.MAX_VALUE;
    }
    int end = problem.indexOf(':', prefix.length());
    try {
      return Integer.parseInt(problem.substring(prefix.length(), end));
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static String at(Path file, YamlTree.Node node, String path, String message) {
    return file + " line " + node.line() + ": " + path + ": " + message;
  }

  /** A bad value, shortened for the message; config values here are IDs, never secrets. */
  private static String clip(String s) {
    String oneLine = s.replaceAll("[\\p{Cntrl}]", "?");
    return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 80) + "…";
  }
}
