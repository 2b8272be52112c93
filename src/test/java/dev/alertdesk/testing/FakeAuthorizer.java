package dev.alertdesk.testing;

import dev.alertdesk.rbac.AccessDecision;
import dev.alertdesk.rbac.Authorizer;
import dev.alertdesk.rbac.Freshness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A hand-written {@link Authorizer} for tests: users hold roles, roles are granted action
 * patterns ({@code remediate:*}, {@code approve:restart-deployment}); every check is recorded
 * with its freshness. Membership of user {@code U…} in role {@code r} is reported as the
 * pseudo-group {@code S_r}.
 */
public final class FakeAuthorizer implements Authorizer {
  private final Map<String, List<String>> roles = new ConcurrentHashMap<>();
  private final Map<String, List<String>> grants = new ConcurrentHashMap<>();
  private final List<String> checks = new CopyOnWriteArrayList<>();
  private volatile boolean unreadable;

  /** Gives {@code userId} these roles (replacing earlier ones). */
  public FakeAuthorizer user(String userId, String... userRoles) {
    roles.put(userId, List.of(userRoles));
    return this;
  }

  /** Grants {@code role} these action patterns. */
  public FakeAuthorizer grant(String role, String... actions) {
    grants.put(role, List.of(actions));
    return this;
  }

  /** Makes every check fail closed, as when user groups cannot be read. */
  public void unreadable(boolean on) {
    unreadable = on;
  }

  /** The checks made, as {@code user action FRESHNESS}. */
  public List<String> checks() {
    return List.copyOf(checks);
  }

  @Override
  public AccessDecision check(String userId, String action, @Nullable String channelId,
      Freshness freshness) {
    checks.add(userId + " " + action + " " + freshness);
    List<String> held = roles.getOrDefault(userId, List.of());
    Map<String, Boolean> memberships = new java.util.TreeMap<>();
    grants.keySet().forEach(r -> memberships.put("S_" + r, held.contains(r)));
    if (unreadable) {
      return new AccessDecision(false, "user groups unreadable: plan_upgrade_required",
          List.of(), Map.of());
    }
    List<String> needed = new ArrayList<>();
    for (String role : held) {
      for (String pattern : grants.getOrDefault(role, List.of())) {
        if (pattern.equals(action) || (pattern.endsWith("*")
            && action.startsWith(pattern.substring(0, pattern.length() - 1)))) {
          return new AccessDecision(true, "granted to role " + role, held, memberships);
        }
      }
    }
    grants.forEach((role, patterns) -> patterns.forEach(p -> {
      if (p.equals(action) || (p.endsWith("*")
          && action.startsWith(p.substring(0, p.length() - 1)))) {
        needed.add(role);
      }
    }));
    return new AccessDecision(false, "needs role " + (needed.isEmpty() ? "(none grants it)"
        : String.join(" or ", needed)), held, memberships);
  }
}
