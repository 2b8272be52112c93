package dev.alertdesk.slack;

import dev.alertdesk.status.SectionStatus;
import dev.alertdesk.status.StatusSection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack answers that will never succeed until a person changes the app, token or channel
 * ({@code missing_scope}, {@code not_in_channel}, {@code invalid_auth}, …): each distinct
 * {@code (method, error)} is logged once, as an error saying what to do; every one is counted in
 * {@code alertdesk_slack_permanent_errors_total{method,error}}; and they are the Slack section of
 * {@code GET /api/status} ("missing scope files:write"). At most {@value #MAX_PROBLEMS} distinct
 * problems are kept. Thread-safe.
 */
public final class SlackProblems implements StatusSection {
  private static final Logger log = LoggerFactory.getLogger(SlackProblems.class);
  static final int MAX_PROBLEMS = 20;

  /**
   * One distinct permanent problem.
   *
   * @param method the Web API method, e.g. {@code files.getUploadURLExternal}
   * @param error Slack's error code
   * @param neededScope for {@code missing_scope}, the scope needed; else null
   * @param firstSeen when it was first answered
   * @param lastSeen when it was last answered
   * @param count how often it was answered
   */
  public record Problem(String method, String error, @Nullable String neededScope,
      Instant firstSeen, Instant lastSeen, long count) {}

  private final Map<String, Problem> problems = new LinkedHashMap<>();
  private final Map<String, Note> notes = new LinkedHashMap<>();
  private final MeterRegistry metrics;
  private final Clock clock;
  private final boolean enabled;
  private volatile @Nullable Instant lastDelivered;

  /**
   * @param metrics where the counter is registered
   * @param clock the source of "first seen" and "last seen"
   * @param enabled false when no bot token is set (the section then says Slack is off)
   */
  public SlackProblems(MeterRegistry metrics, Clock clock, boolean enabled) {
    this.metrics = metrics;
    this.clock = clock;
    this.enabled = enabled;
  }

  /**
   * Records a permanent error answer.
   *
   * @param method the Web API method
   * @param error Slack's error code
   * @param neededScope for {@code missing_scope}, Slack's {@code needed} field; else null
   */
  public void record(String method, String error, @Nullable String neededScope) {
    metrics.counter("alertdesk_slack_permanent_errors", "method", method, "error", error)
        .increment();
    Instant now = clock.instant();
    String key = method + " " + error + " " + neededScope;
    boolean first;
    synchronized (problems) {
      Problem known = problems.get(key);
      first = known == null;
      if (first && problems.size() >= MAX_PROBLEMS) {
        problems.remove(problems.keySet().iterator().next());
      }
      problems.put(key, new Problem(method, error, neededScope,
          first ? now : known.firstSeen(), now, first ? 1 : known.count() + 1));
    }
    if (first) {
      log.error("Slack answered {} to {}, which will not succeed until the app is changed: {}",
          error, method, advice(error, neededScope));
    }
  }

  /**
   * Records a delivered call: shown as the last successful delivery, and it clears the problems
   * recorded for the same method (someone fixed the app).
   *
   * @param method the Web API method that succeeded
   */
  public void delivered(String method) {
    lastDelivered = clock.instant();
    synchronized (problems) {
      problems.values().removeIf(p -> p.method().equals(method));
    }
  }

  /**
   * Records a limitation that delivery works around (an optional scope the token lacks, such
   * as {@code channels:history}): logged once per {@code (method, error)} as a warning saying
   * what is lost, and shown by {@code GET /api/status} as a warning while no problem is recorded.
   * Cleared by {@link #noteResolved}.
   *
   * @param method the Web API method refused
   * @param error Slack's error code
   * @param neededScope for {@code missing_scope}, Slack's {@code needed} field; else null
   * @param consequence what delivery does without it, in plain words
   */
  public void note(String method, String error, @Nullable String neededScope,
      String consequence) {
    metrics.counter("alertdesk_slack_permanent_errors", "method", method, "error", error)
        .increment();
    String key = method + " " + error + " " + neededScope;
    boolean first;
    synchronized (notes) {
      first = !notes.containsKey(key);
      if (first && notes.size() >= MAX_PROBLEMS) {
        notes.remove(notes.keySet().iterator().next());
      }
      notes.put(key, new Note(method, error, neededScope, consequence, clock.instant()));
    }
    if (first) {
      log.warn("Slack answered {} to {}: {}; {}", error, method, consequence,
          advice(error, neededScope));
    }
  }

  /** Forgets the notes of {@code method}: it succeeded (someone added the scope). */
  public void noteResolved(String method) {
    synchronized (notes) {
      notes.values().removeIf(n -> n.method().equals(method));
    }
  }

  /**
   * A limitation delivery works around.
   *
   * @param method the Web API method refused
   * @param error Slack's error code
   * @param neededScope for {@code missing_scope}, the scope needed; else null
   * @param consequence what delivery does without it
   * @param firstSeen when it was first answered
   */
  public record Note(String method, String error, @Nullable String neededScope,
      String consequence, Instant firstSeen) {}

  /** Returns the notes recorded, oldest first. */
  public List<Note> notes() {
    synchronized (notes) {
      return List.copyOf(notes.values());
    }
  }

  /** Returns the distinct problems seen, oldest first. */
  public List<Problem> problems() {
    synchronized (problems) {
      return List.copyOf(problems.values());
    }
  }

  /**
   * What a person should do about a permanent error, in plain words.
   *
   * @param error Slack's error code
   * @param neededScope for {@code missing_scope}, the scope needed; else null
   */
  public static String advice(String error, @Nullable String neededScope) {
    return switch (error) {
      case "missing_scope" -> "the bot token lacks the " + (neededScope == null ? "needed"
          : neededScope) + " scope: add it under OAuth & Permissions and reinstall the app"
          + ("files:write".equals(neededScope)
              ? ", or set IMAGE_DELIVERY=url with BASE_URL so graphs need no upload" : "");
      case "plan_upgrade_required" -> "this Slack workspace's plan has no user groups: list "
          + "the people of each rbac role under users instead of usergroups";
      case "not_in_channel" -> "invite the bot to the channel (/invite @Alertdesk)";
      case "channel_not_found" -> "check SLACK_CHANNEL and the routes' channels, and invite the "
          + "bot to private channels";
      case "is_archived" -> "the channel is archived: unarchive it or route to another channel";
      case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired" ->
          "the bot token is no longer valid: install the app again and set SLACK_BOT_TOKEN";
      case "no_permission", "restricted_action", "ekm_access_denied" ->
          "the workspace does not let the app do this: ask a Slack admin";
      case "msg_too_long", "invalid_blocks", "invalid_attachments", "too_many_attachments" ->
          "Slack refused the message's content: please report this as a bug";
      default -> "see docs.slack.dev/reference/methods for what " + error + " means";
    };
  }

  @Override
  public String name() {
    return "slack";
  }

  @Override
  public SectionStatus check() {
    Map<String, Object> details = new LinkedHashMap<>();
    if (!enabled) {
      return new SectionStatus(SectionStatus.Level.OFF,
          "delivery off: SLACK_BOT_TOKEN is not set", details);
    }
    Instant last = lastDelivered;
    details.put("last_delivered_at", last == null ? null : last.toString());
    List<Problem> seen = problems();
    List<Note> noted = notes();
    if (!noted.isEmpty()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Note n : noted) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("method", n.method());
        row.put("error", n.error());
        row.put("needed_scope", n.neededScope());
        row.put("consequence", n.consequence());
        row.put("advice", advice(n.error(), n.neededScope()));
        row.put("first_seen_at", n.firstSeen().toString());
        rows.add(row);
      }
      details.put("notes", rows);
    }
    if (seen.isEmpty()) {
      if (!noted.isEmpty()) {
        Note n = noted.get(0);
        String what = "missing_scope".equals(n.error()) && n.neededScope() != null
            ? "missing scope " + n.neededScope() : n.error().replace('_', ' ');
        return new SectionStatus(SectionStatus.Level.WARNING,
            "delivering; " + what + " (" + n.method() + "): " + n.consequence(), details);
      }
      return SectionStatus.ok("delivering", details);
    }
    List<String> summaries = new ArrayList<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Problem p : seen) {
      String summary = "missing_scope".equals(p.error()) && p.neededScope() != null
          ? "missing scope " + p.neededScope()
          : p.error().replace('_', ' ');
      if (!summaries.contains(summary)) {
        summaries.add(summary);
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("method", p.method());
      row.put("error", p.error());
      row.put("needed_scope", p.neededScope());
      row.put("advice", advice(p.error(), p.neededScope()));
      row.put("count", p.count());
      row.put("first_seen_at", p.firstSeen().toString());
      row.put("last_seen_at", p.lastSeen().toString());
      rows.add(row);
    }
    details.put("problems", rows);
    return new SectionStatus(SectionStatus.Level.ERROR, String.join("; ", summaries), details);
  }
}
