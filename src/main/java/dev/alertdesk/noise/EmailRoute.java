package dev.alertdesk.noise;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A route's {@code email}: who gets mail about its incidents, and on which moments.
 *
 * @param to the recipients, RFC 5322 addresses; at least one
 * @param on the moments mailed about; at least one
 */
public record EmailRoute(List<String> to, Set<On> on) {
  /** Copies the lists. */
  public EmailRoute {
    to = List.copyOf(to);
    on = Set.copyOf(on);
    if (to.isEmpty() || on.isEmpty()) {
      throw new IllegalArgumentException("an e-mail route needs recipients and moments");
    }
  }

  /** A moment a route mails about ({@code email.on}). */
  public enum On {
    /** The incident opened (or reopened): a {@code [FIRING]} mail starting its thread. */
    OPENED,
    /** The incident resolved: a {@code [RESOLVED]} mail in its thread. */
    RESOLVED,
    /**
     * A critical incident is still unacknowledged after {@code reminders.unacknowledged_after}:
     * one escalation mail in its thread.
     */
    UNACKNOWLEDGED;

    /** Returns the configured form, e.g. {@code opened}. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
