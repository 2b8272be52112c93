package dev.alertdesk.rbac;

/** How fresh the user-group membership behind an access decision must be. */
public enum Freshness {
  /** A click: membership may come from the cache (at most 5 minutes old). */
  CACHED,
  /** Execution time: membership is read from Slack again, without the cache. */
  FRESH
}
