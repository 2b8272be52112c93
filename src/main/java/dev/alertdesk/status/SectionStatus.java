package dev.alertdesk.status;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one dependency is, in words an operator can act on.
 *
 * @param level how bad it is
 * @param summary one line, e.g. {@code missing scope files:write}
 * @param details further facts as JSON-ready values (strings, numbers, booleans, lists), in
 *     order; never secrets
 */
public record SectionStatus(Level level, String summary, Map<String, Object> details) {
  /** Copies the details, keeping their order. */
  public SectionStatus {
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** How bad a section's state is, best first. */
  public enum Level {
    /** Working. */
    OK,
    /** Turned off by configuration (for example no Slack token): nothing to fix. */
    OFF,
    /** Working, but something needs a look (an outbox growing old, a degraded feature). */
    WARNING,
    /** Not working: a person must act. */
    ERROR;

    /** Returns the lower-case form used in JSON. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A working section. */
  public static SectionStatus ok(String summary, Map<String, Object> details) {
    return new SectionStatus(Level.OK, summary, details);
  }
}
