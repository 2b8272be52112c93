package dev.alertdesk.slack;

import static dev.alertdesk.slack.BlockKitLimits.clip;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.slack.api.model.Attachment;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.util.json.GsonFactory;
import dev.alertdesk.config.Durations;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.noise.StormMember;
import dev.alertdesk.noise.StormTally;
import dev.alertdesk.noise.StormState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Lays out the messages noise control adds (storm message, "Related" replies, the flapping
 * reply, reminders) for {@link SlackMessageComposer}. Block Kit through the Slack SDK model
 * classes; every message respects {@link BlockKitLimits}. Pure and thread-safe.
 */
final class NoiseMessageRenderer {
  /** Incidents named per alertname in a storm message before "+N more". */
  public static final int MAX_LISTED_PER_ALERTNAME = 20;
  /** Alertnames given a section of their own in a storm message; the rest are summed up. */
  public static final int MAX_STORM_SECTIONS = 40;

  private static final Gson GSON = GsonFactory.createSnakeCase();
  private static final String COLOR_STORM = "#ECB22E";
  private static final String COLOR_STORM_ENDED = "#2EB67D";


  /**
   * The "Alert storm" message listing rolled-up incidents, oldest first.
   *
   * @param members the oldest of the storm's incidents, at most a bounded number of them
   * @param tally how many incidents the storm holds in all; those past {@code members} are
   *     counted in the headline and summed up in a "not listed" line
   */
  String storm(StormState storm, List<StormMember> members, StormTally tally, Duration window,
      int maxNewIncidents) {
    boolean ended = storm.endedAt() != null;
    int total = Math.max(tally.incidents(), members.size());
    long firing = total == members.size()
        ? members.stream().filter(m -> m.status() != IncidentStatus.RESOLVED).count()
        : tally.firing();
    String headline = (ended ? ":white_check_mark: Alert storm ended: " : ":thunder_cloud_and_rain: Alert storm: ")
        + total + " incident" + (total == 1 ? "" : "s")
        + " (" + firing + " firing)";
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(HeaderBlock.builder().text(PlainTextObject.builder().emoji(true)
        .text(clip(headline, BlockKitLimits.MAX_HEADER_CHARS)).build()).build());
    blocks.add(section("More than " + maxNewIncidents + " new incidents reached this channel within "
        + Durations.humanize(window) + ", so the ones after them are listed here instead of "
        + "posted one by one. Each is still its own incident in history."
        + (ended ? " Ended " + IncidentMessageRenderer.slackDate(storm.endedAt())
            + ": new incidents are posted again." : "")));

    Map<String, List<StormMember>> byName = new LinkedHashMap<>();
    for (StormMember m : members) {
      byName.computeIfAbsent(m.alertname(), k -> new ArrayList<>()).add(m);
    }
    List<Map.Entry<String, List<StormMember>>> groups = new ArrayList<>(byName.entrySet());
    groups.sort((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()));
    int shownGroups = 0;
    int hiddenIncidents = 0;
    for (Map.Entry<String, List<StormMember>> group : groups) {
      if (shownGroups == MAX_STORM_SECTIONS) {
        hiddenIncidents += group.getValue().size();
        continue;
      }
      blocks.add(section(groupText(group.getKey(), group.getValue())));
      shownGroups++;
    }
    if (hiddenIncidents > 0) {
      blocks.add(section("+" + hiddenIncidents + " more incidents of "
          + (groups.size() - shownGroups) + " other alertnames"));
    }
    if (total > members.size()) {
      blocks.add(section("+" + (total - members.size()) + " newer incidents not listed here"));
    }
    blocks.add(context("Storm #" + storm.id() + " since "
        + IncidentMessageRenderer.slackDate(storm.startedAt())
        + " · every incident listed is in the history API and web UI"));
    if (blocks.size() > BlockKitLimits.MAX_BLOCKS) {
      blocks = new ArrayList<>(blocks.subList(0, BlockKitLimits.MAX_BLOCKS));
    }
    Attachment attachment = Attachment.builder()
        .color(ended ? COLOR_STORM_ENDED : COLOR_STORM)
        .fallback(headline)
        .blocks(blocks)
        .build();
    JsonObject payload = new JsonObject();
    payload.addProperty("text", clip(headline, BlockKitLimits.MAX_FALLBACK_TEXT_CHARS));
    JsonArray attachments = new JsonArray();
    attachments.add(GSON.toJsonTree(attachment));
    payload.add("attachments", attachments);
    return GSON.toJson(payload);
  }

  /** "*HighLatency* — 37 incidents, 30 firing" and a line per incident, "+N more" past the cap. */
  private static String groupText(String alertname, List<StormMember> members) {
    long firing = members.stream().filter(m -> m.status() != IncidentStatus.RESOLVED).count();
    StringBuilder out = new StringBuilder("*" + IncidentMessageRenderer.escape(alertname) + "* — "
        + members.size() + " incident" + (members.size() == 1 ? "" : "s") + ", " + firing
        + " firing\n");
    int shown = 0;
    for (StormMember m : members) {
      if (shown == MAX_LISTED_PER_ALERTNAME) {
        break;
      }
      String line = (m.status() == IncidentStatus.RESOLVED ? ":white_check_mark: " : ":fire: ")
          + "#" + m.incidentId() + " " + keyLabels(m) + "\n";
      if (out.length() + line.length() > BlockKitLimits.MAX_SECTION_CHARS - 40) {
        break;
      }
      out.append(line);
      shown++;
    }
    if (members.size() > shown) {
      out.append("+").append(members.size() - shown).append(" more");
    }
    return out.toString().stripTrailing();
  }

  private static String keyLabels(StormMember m) {
    List<String> parts = new ArrayList<>();
    m.groupLabels().values().forEach((k, v) -> {
      if (!k.equals("alertname")) {
        parts.add(k + "=" + v);
      }
    });
    String labels = parts.isEmpty() ? "" : "`" + IncidentMessageRenderer.escape(
        clip(String.join(", ", parts), 120)) + "`";
    return (labels + (m.firingCount() > 1 ? " ×" + m.firingCount() : "")).strip();
  }

  /** The reply in a related incident's thread when {@code incident} joins it. */
  String related(Incident incident, List<String> correlateBy) {
    String text = ":link: Related: incident #" + incident.id() + " "
        + IncidentMessageRenderer.escape(IncidentMessageRenderer.title(incident)) + " — "
        + incident.firingCount() + " firing";
    return reply(text, "Same " + String.join(", ", correlateBy) + " as this incident; it gets no "
        + "message of its own. Incident #" + incident.id() + " is in the history API and web UI.");
  }

  /** The reply in a related incident's thread when {@code incident} resolves. */
  String relatedResolved(Incident incident) {
    return reply(":white_check_mark: Related incident #" + incident.id() + " "
        + IncidentMessageRenderer.escape(IncidentMessageRenderer.title(incident)) + " resolved",
        null);
  }

  /** The one reply that says an incident is flapping. */
  String flapping(Incident incident, int transitions, Duration window) {
    return reply(":repeat: Flapping: " + transitions + " changes between firing and resolved in "
        + "the last " + Durations.humanize(window) + ". Further changes update the message above "
        + "instead of replying here, until it has been quiet for " + Durations.humanize(window)
        + ".", "Incident #" + incident.id());
  }

  /** A reminder that an incident is still unacknowledged. */
  String reminder(Incident incident, @Nullable String mention, Duration unacknowledgedFor) {
    String text = (mention == null ? "" : mention + " ") + ":alarm_clock: Still unacknowledged "
        + "after " + Durations.humanize(unacknowledgedFor) + ": "
        + IncidentMessageRenderer.escape(IncidentMessageRenderer.title(incident)) + " — "
        + incident.firingCount() + " firing";
    return reply(text, "Incident #" + incident.id());
  }

  private static String reply(String text, @Nullable String note) {
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(section(text));
    if (note != null) {
      blocks.add(context(note));
    }
    JsonObject payload = new JsonObject();
    payload.addProperty("text", clip(text, BlockKitLimits.MAX_FALLBACK_TEXT_CHARS));
    payload.add("blocks", GSON.toJsonTree(blocks));
    return GSON.toJson(payload);
  }

  private static SectionBlock section(String mrkdwn) {
    return SectionBlock.builder().text(MarkdownTextObject.builder()
        .text(clip(mrkdwn, BlockKitLimits.MAX_SECTION_CHARS)).build()).build();
  }

  private static ContextBlock context(String mrkdwn) {
    return ContextBlock.builder().elements(List.of(MarkdownTextObject.builder()
        .text(clip(mrkdwn, BlockKitLimits.MAX_SECTION_CHARS)).build())).build();
  }
}
