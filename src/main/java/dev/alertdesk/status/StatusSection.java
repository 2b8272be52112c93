package dev.alertdesk.status;

/**
 * One part of {@code GET /api/status}, such as Slack or the database. Implementations must
 * answer within about a second, never throw for an unreachable dependency (that is a
 * {@link SectionStatus.Level#ERROR} answer), and never put a secret into what they answer.
 */
public interface StatusSection {
  /** Returns the section's stable name, e.g. {@code slack}; lower case, shown as its key. */
  String name();

  /** Checks the dependency now and says how it is. */
  SectionStatus check();
}
