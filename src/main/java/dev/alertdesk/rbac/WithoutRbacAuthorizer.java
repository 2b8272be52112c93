package dev.alertdesk.rbac;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Authorizer} when {@code CONFIG_FILE} has no {@code rbac} section: Alertdesk's
 * behaviour before RBAC. Everyone who can click in the incident's channel may
 * {@code acknowledge}, {@code unacknowledge}, {@code silence}, {@code unsilence} and
 * {@code snooze}; every other action ({@code remediate:*}, {@code approve:*}) is denied, so
 * remediation stays off. Pure and thread-safe.
 */
public final class WithoutRbacAuthorizer implements Authorizer {
  /** The reason given for a denial. */
  public static final String OFF_REASON = "remediation is off: CONFIG_FILE has no rbac section";

  @Override
  public AccessDecision check(String userId, String action, @Nullable String channelId,
      Freshness freshness) {
    if (ActionNames.PLAIN.contains(action)) {
      return new AccessDecision(true, "no rbac section: " + action + " is open to the channel",
          List.of(), Map.of());
    }
    return new AccessDecision(false, OFF_REASON, List.of(), Map.of());
  }
}
