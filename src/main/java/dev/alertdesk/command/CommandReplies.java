package dev.alertdesk.command;

import dev.alertdesk.config.Durations;
import dev.alertdesk.config.Urls;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.slack.BlockKitLimits;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.slack.IncidentMessageRenderer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The ephemeral answers of {@code /alertdesk}, in Slack mrkdwn. Pure. Every label, annotation and
 * user input is escaped ({@link IncidentMessageRenderer#escapeText}), links are shown only when
 * they are http(s), and each answer stays within Slack's message text limit
 * ({@link BlockKitLimits#MAX_FALLBACK_TEXT_CHARS}).
 */
public final class CommandReplies {
  /** The most incidents {@code list} shows; the rest are counted ("+N more"). */
  public static final int MAX_LISTED = 15;
  /** The longest title shown per incident in a list. */
  private static final int MAX_TITLE_CHARS = 120;
  /** The longest summary shown by {@code show}. */
  private static final int MAX_SUMMARY_CHARS = 500;

  private CommandReplies() {}

  /**
   * The usage text, with the command name as typed.
   *
   * @param command such as {@code /alertdesk}
   */
  public static String help(String command) {
    String c = IncidentMessageRenderer.escapeText(command);
    return "*Alertdesk* commands:\n"
        + "• `" + c + "` or `" + c + " list`: the open incidents of this channel\n"
        + "• `" + c + " show 42`: incident #42, its current value and links\n"
        + "• `" + c + " ack 42`: acknowledge incident #42\n"
        + "• `" + c + " silence 42 4h`: silence it in Alertmanager for "
        + CommandParser.durations() + "\n"
        + "• `" + c + " unsilence 42`: expire its silence\n"
        + "• `" + c + " help`: this text\n"
        + "Answers are visible only to you; actions are also shown in the incident's thread.";
  }

  /**
   * The answer to text that is not a command: what was wrong, then the usage text.
   *
   * @param command such as {@code /alertdesk}
   * @param problem from {@link Verb.Usage}
   */
  public static String usage(String command, String problem) {
    return ":grey_question: Sorry, " + IncidentMessageRenderer.escapeText(problem) + ".\n"
        + help(command);
  }

  /**
   * The answer to {@code list}.
   *
   * @param open the open incidents, newest first, at most {@link #MAX_LISTED}
   * @param total how many are open in the channel
   * @param now the current time, for ages
   */
  public static String list(List<CommandStore.Listed> open, int total, Instant now) {
    if (open.isEmpty()) {
      return ":white_check_mark: No open incidents in this channel.";
    }
    StringBuilder s = new StringBuilder("*Open incidents in this channel* (" + total + ")");
    int shown = 0;
    for (CommandStore.Listed i : open) {
      String line = line(i, now);
      // Whole lines only: room is kept for the "+N more" line, so no link is cut in half.
      if (shown == MAX_LISTED
          || s.length() + line.length() + 20 > BlockKitLimits.MAX_FALLBACK_TEXT_CHARS) {
        break;
      }
      s.append('\n').append(line);
      shown++;
    }
    if (total > shown) {
      s.append("\n+").append(total - shown).append(" more");
    }
    return s.toString();
  }

  private static String line(CommandStore.Listed i, Instant now) {
    StringBuilder s = new StringBuilder();
    s.append(emoji(i, now)).append(" <").append(threadLink(i.channelId(), i.ts())).append("|#")
        .append(i.id()).append("> ").append(title(i)).append(" · ")
        .append(state(i, now)).append(" · started ").append(age(i.startedAt(), now))
        .append(" ago");
    if (i.acknowledgedById() != null) {
      s.append(" · ack <@").append(IncidentMessageRenderer.escapeText(i.acknowledgedById()))
          .append('>');
    } else {
      s.append(" · not acknowledged");
    }
    return s.toString();
  }

  /**
   * The answer to {@code show}.
   *
   * @param shown the incident
   * @param baseUrl the service's public URL ({@code BASE_URL}), or null
   * @param now the current time
   */
  public static String show(CommandStore.Shown shown, @Nullable String baseUrl, Instant now) {
    CommandStore.Listed i = shown.incident();
    StringBuilder s = new StringBuilder();
    s.append(emoji(i, now)).append(" *Incident #").append(i.id()).append("* ").append(title(i))
        .append('\n').append("Status: ").append(state(i, now)).append(" · ")
        .append(i.firingCount()).append(" firing, ").append(shown.resolvedCount())
        .append(" resolved · started ").append(age(i.startedAt(), now)).append(" ago");
    s.append('\n').append(i.acknowledgedById() == null ? "Not acknowledged"
        : "Acknowledged by <@" + IncidentMessageRenderer.escapeText(i.acknowledgedById()) + ">");
    String summary = shown.commonAnnotations().get("summary");
    if (summary == null) {
      summary = shown.commonAnnotations().get("description");
    }
    if (summary != null && !summary.isBlank()) {
      s.append('\n').append("> ").append(IncidentMessageRenderer.escapeText(
          BlockKitLimits.clip(summary.strip().replace('\n', ' '), MAX_SUMMARY_CHARS)));
    }
    if (shown.valueLine() != null) {
      s.append('\n').append(shown.valueLine());
      if (shown.valueAt() != null) {
        s.append(" (as of ").append(age(shown.valueAt(), now)).append(" ago)");
      }
    } else {
      s.append('\n').append("Current value: none stored (no query to run, or Prometheus not "
          + "reached yet)");
    }
    List<String> links = new ArrayList<>();
    links.add("<" + threadLink(i.channelId(), i.ts()) + "|thread>");
    if (baseUrl != null && Urls.isHttpLink(baseUrl)) {
      links.add("<" + baseUrl + "/incidents/" + i.id() + "|incident page>");
    }
    String runbook = shown.commonAnnotations().get("runbook_url");
    if (Urls.isHttpLink(runbook)) {
      links.add("<" + linkTarget(runbook) + "|runbook>");
    }
    if (Urls.isHttpLink(shown.externalUrl())) {
      links.add("<" + linkTarget(shown.externalUrl()) + "|Alertmanager>");
    }
    s.append('\n').append("Links: ").append(String.join(" · ", links));
    return BlockKitLimits.clip(s.toString(), BlockKitLimits.MAX_FALLBACK_TEXT_CHARS);
  }

  /**
   * The confirmation of an action typed as a command, or null when the state shows no change by
   * this user (the handler then told why, or someone else changed it meanwhile).
   *
   * @param actionId the action asked for ({@link IncidentActionBlocks#ACKNOWLEDGE},
   *     {@link IncidentActionBlocks#SILENCE} or {@link IncidentActionBlocks#UNSILENCE})
   * @param before the incident before the action
   * @param after the incident after it
   * @param userId who asked
   * @param now the current time
   */
  public static @Nullable String confirmation(String actionId, CommandStore.Listed before,
      CommandStore.Listed after, String userId, Instant now) {
    String link = "<" + threadLink(after.channelId(), after.ts()) + "|#" + after.id() + ">";
    if (actionId.equals(IncidentActionBlocks.ACKNOWLEDGE) && before.acknowledgedById() == null
        && userId.equals(after.acknowledgedById())) {
      return ":eyes: You acknowledged incident " + link + "; its thread shows it.";
    }
    if (actionId.equals(IncidentActionBlocks.SILENCE) && before.silencedUntil() == null
        && after.silencedUntil() != null) {
      return ":mute: Incident " + link + " is silenced in Alertmanager for "
          + Durations.humanize(Duration.between(now, after.silencedUntil()).plusSeconds(30))
          + "; its thread "
          + "shows it.";
    }
    if (actionId.equals(IncidentActionBlocks.UNSILENCE) && before.silencedUntil() != null
        && after.silencedUntil() == null) {
      return ":loud_sound: The silence of incident " + link + " is expired; its thread shows it.";
    }
    return null;
  }

  /** The answer when an incident does not exist or has no message in this channel. */
  public static String notInChannel(long incidentId) {
    return "Incident #" + incidentId + " has no message in this channel. `/alertdesk list` "
        + "shows the open incidents here.";
  }

  /**
   * Returns {@code https://slack.com/app_redirect?channel=ID&message_ts=TS}, which opens the
   * parent message and its thread (docs.slack.dev/interactivity/deep-linking).
   */
  static String threadLink(String channelId, String ts) {
    return "https://slack.com/app_redirect?channel="
        + URLEncoder.encode(channelId, StandardCharsets.UTF_8) + "&message_ts="
        + URLEncoder.encode(ts, StandardCharsets.UTF_8);
  }

  /**
   * A URL made safe inside {@code <url|text>}: Slack ends the link at {@code |} or {@code >}, so
   * those are percent-encoded, and {@code &}, {@code <} are escaped as Slack requires.
   */
  static String linkTarget(String url) {
    return url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C").replace(" ", "%20")
        .replace("&", "&amp;");
  }

  private static String emoji(CommandStore.Listed i, Instant now) {
    if (i.status() == IncidentStatus.RESOLVED) {
      return ":large_green_circle:";
    }
    if (i.silencedUntil() != null && i.silencedUntil().isAfter(now)) {
      return ":mute:";
    }
    return i.acknowledgedById() != null ? ":eyes:" : ":red_circle:";
  }

  private static String state(CommandStore.Listed i, Instant now) {
    if (i.status() == IncidentStatus.RESOLVED) {
      return "resolved";
    }
    if (i.silencedUntil() != null && i.silencedUntil().isAfter(now)) {
      return "silenced for " + Durations.humanize(Duration.between(now, i.silencedUntil()));
    }
    return i.acknowledgedById() != null ? "acknowledged" : "firing";
  }

  private static String age(Instant since, Instant now) {
    Duration d = Duration.between(since, now);
    return Durations.humanize(d.isNegative() ? Duration.ZERO : d);
  }

  /** "DiskFull · namespace=prod": the alertname and the other group labels, escaped, clipped. */
  static String title(CommandStore.Listed i) {
    StringBuilder s = new StringBuilder(i.alertname());
    List<String> rest = new ArrayList<>();
    for (Map.Entry<String, String> e : i.groupLabels().values().entrySet()) {
      if (!e.getKey().equals("alertname")) {
        rest.add(e.getKey() + "=" + e.getValue());
      }
    }
    if (!rest.isEmpty()) {
      s.append(" · ").append(String.join(", ", rest));
    }
    String oneLine = s.toString().replace('\n', ' ').replace('\r', ' ');
    return IncidentMessageRenderer.escapeText(BlockKitLimits.clip(oneLine, MAX_TITLE_CHARS));
  }
}
