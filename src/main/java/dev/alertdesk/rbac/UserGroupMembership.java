package dev.alertdesk.rbac;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack user-group members, cached for {@link #TTL} per group ({@link Freshness#CACHED}) or read
 * again ({@link Freshness#FRESH}, which also refreshes the cache). A failed read is never cached
 * and never answered from an older entry: the caller fails closed. At most {@link #MAX_GROUPS}
 * groups are kept (the oldest read is dropped first). Remembers the last read's outcome for
 * {@code GET /api/status}. Thread-safe.
 */
public final class UserGroupMembership {
  private static final Logger log = LoggerFactory.getLogger(UserGroupMembership.class);
  /** How long a group's members are taken from the cache: 5 minutes. */
  public static final Duration TTL = Duration.ofMinutes(5);
  /** The most groups cached. */
  public static final int MAX_GROUPS = 1_000;
  /** The most members read of one group; further members are not seen (so they are denied). */
  public static final int MAX_MEMBERS = 10_000;

  private record Entry(Set<String> members, Instant readAt) {}

  /**
   * The last read's outcome.
   *
   * @param ok whether it succeeded
   * @param at when it was made
   * @param usergroupId the group read
   * @param error the cause when it failed ({@link MembershipUnreadableException#code()} and
   *     message), else null
   */
  public record LastRead(boolean ok, Instant at, String usergroupId, @Nullable String error) {}

  private final UserGroupReader reader;
  private final Clock clock;
  private final Map<String, Entry> cache = new LinkedHashMap<>();
  private volatile @Nullable LastRead lastRead;
  private volatile @Nullable LastRead lastFailure;

  /**
   * @param reader reads a group from Slack
   * @param clock decides when an entry is older than {@link #TTL}
   */
  public UserGroupMembership(UserGroupReader reader, Clock clock) {
    this.reader = reader;
    this.clock = clock;
  }

  /**
   * Returns the members of a user group.
   *
   * @param usergroupId the group ({@code S…})
   * @param freshness {@link Freshness#CACHED} accepts an entry read less than {@link #TTL} ago
   * @return the members' user IDs
   * @throws MembershipUnreadableException when they cannot be read now
   */
  public Set<String> members(String usergroupId, Freshness freshness) {
    Instant now = clock.instant();
    if (freshness == Freshness.CACHED) {
      synchronized (cache) {
        Entry e = cache.get(usergroupId);
        if (e != null && now.isBefore(e.readAt().plus(TTL)) && !now.isBefore(e.readAt())) {
          return e.members();
        }
      }
    }
    Set<String> members;
    try {
      members = reader.members(usergroupId);
    } catch (MembershipUnreadableException e) {
      LastRead failed = new LastRead(false, now, usergroupId, e.code() + ": " + e.getMessage());
      LastRead before = lastRead;
      if (before == null || before.ok() || !failed.error().equals(before.error())) {
        // Once per change of cause, not per click: RBAC denies until it can read again.
        log.warn("cannot read Slack user group {}, access through it is denied until it can: {}",
            usergroupId, failed.error());
      }
      lastRead = failed;
      lastFailure = failed;
      throw e;
    }
    lastRead = new LastRead(true, now, usergroupId, null);
    Set<String> kept = members.size() <= MAX_MEMBERS ? Set.copyOf(members)
        : Set.copyOf(members.stream().limit(MAX_MEMBERS).toList());
    synchronized (cache) {
      cache.remove(usergroupId);
      if (cache.size() >= MAX_GROUPS) {
        Iterator<String> oldest = cache.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      cache.put(usergroupId, new Entry(kept, now));
    }
    return kept;
  }

  /** Returns the last read's outcome, or null before the first read. */
  public @Nullable LastRead lastRead() {
    return lastRead;
  }

  /** Returns the last failed read, or null when none failed since the start. */
  public @Nullable LastRead lastFailure() {
    return lastFailure;
  }

  /** Returns how many groups are cached. */
  public int cachedGroups() {
    synchronized (cache) {
      return cache.size();
    }
  }
}
