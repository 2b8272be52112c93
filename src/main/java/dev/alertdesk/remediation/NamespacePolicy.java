package dev.alertdesk.remediation;

import java.util.List;
import java.util.Optional;

/**
 * Which namespaces an action may touch: those matching an {@code allow} glob and no {@code deny}
 * glob; {@value #ALWAYS_DENIED} is always denied. Globs know {@code *} (any run of characters)
 * and {@code ?} (one character). Pure.
 *
 * @param allow allow-list globs; at least one
 * @param deny deny-list globs; may be empty
 */
public record NamespacePolicy(List<String> allow, List<String> deny) {
  /** The namespace no remediation ever touches. */
  public static final String ALWAYS_DENIED = "kube-system";

  /** Copies the lists. */
  public NamespacePolicy {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
  }

  /**
   * Checks a namespace.
   *
   * @return why it is refused, or empty when it is allowed
   */
  public Optional<String> refusal(String namespace) {
    if (namespace.equals(ALWAYS_DENIED)) {
      return Optional.of("namespace " + ALWAYS_DENIED + " is always denied");
    }
    for (String glob : deny) {
      if (glob(glob, namespace)) {
        return Optional.of("namespace " + namespace + " is on the deny-list (" + glob + ")");
      }
    }
    for (String glob : allow) {
      if (glob(glob, namespace)) {
        return Optional.empty();
      }
    }
    return Optional.of("namespace " + namespace + " is not on the allow-list");
  }

  /** Returns true when {@code text} matches the whole {@code glob}. */
  static boolean glob(String glob, String text) {
    return glob(glob, 0, text, 0);
  }

  private static boolean glob(String g, int gi, String t, int ti) {
    // Iterative with one backtrack point, linear-ish for these short strings.
    int star = -1;
    int mark = 0;
    while (ti < t.length()) {
      if (gi < g.length() && (g.charAt(gi) == '?' || g.charAt(gi) == t.charAt(ti))) {
        gi++;
        ti++;
      } else if (gi < g.length() && g.charAt(gi) == '*') {
        star = gi++;
        mark = ti;
      } else if (star >= 0) {
        gi = star + 1;
        ti = ++mark;
      } else {
        return false;
      }
    }
    while (gi < g.length() && g.charAt(gi) == '*') {
      gi++;
    }
    return gi == g.length();
  }
}
