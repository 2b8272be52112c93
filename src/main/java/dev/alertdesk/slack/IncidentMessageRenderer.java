package dev.alertdesk.slack;

import static dev.alertdesk.slack.BlockKitLimits.clip;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.slack.api.model.Attachment;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.ImageBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.util.json.GsonFactory;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.config.Durations;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.SlackIntent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Renders incidents into Slack messages (Block Kit JSON). Pure and thread-safe: time comes from
 * the injected clock. Every message respects {@link BlockKitLimits}.
 *
 * <p>The parent message is a coloured attachment (status colour) holding: a header with the
 * alertname and group labels; a status line with counts, start and duration; fields for
 * severity, namespace, service/deployment and start; the summary and description; the alerts
 * with the labels that tell them apart ("+N more" past {@value #MAX_LISTED_ALERTS}); a note of
 * alerts Alertmanager truncated; who acknowledged it and until when it is silenced; when
 * interactive, the action buttons of {@link IncidentActionBlocks}; and link buttons (Runbook,
 * Source, Alertmanager).
 */
public final class IncidentMessageRenderer {
  /** Alerts listed by name in a message before "+N more". */
  public static final int MAX_LISTED_ALERTS = 10;

  private static final String COLOR_CRITICAL = "#E01E5A";
  private static final String COLOR_WARNING = "#E8912D";
  private static final String COLOR_INFO = "#36C5F0";
  private static final String COLOR_RESOLVED = "#2EB67D";
  private static final Set<String> HIDDEN_LABELS = Set.of("alertname");
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final Gson GSON = GsonFactory.createSnakeCase();

  private static final String COLOR_ACKNOWLEDGED = "#1D9BD1";
  private static final String COLOR_SILENCED = "#9E9EA6";

  private final Clock clock;
  private final boolean interactive;
  private final RemediationMessageRenderer remediation;

  /**
   * A renderer without action buttons (interactivity off: no signing secret).
   *
   * @param clock the source of "now" for durations
   */
  public IncidentMessageRenderer(Clock clock) {
    this(clock, false);
  }

  /**
   * @param clock the source of "now" for durations
   * @param interactive true to add the action buttons of {@link IncidentActionBlocks} to open
   *     incidents (only when {@code SLACK_SIGNING_SECRET} is set, so clicks can be verified)
   */
  public IncidentMessageRenderer(Clock clock, boolean interactive) {
    this(clock, interactive, new RemediationMessageRenderer(
        dev.alertdesk.remediation.RemediationCatalogue.EMPTY));
  }

  /**
   * @param clock the source of "now" for durations
   * @param interactive true to add the action buttons (see {@link #IncidentMessageRenderer(Clock,
   *     boolean)})
   * @param remediation lays out the remediation buttons and result lines on the parent
   */
  public IncidentMessageRenderer(Clock clock, boolean interactive,
      RemediationMessageRenderer remediation) {
    this.clock = clock;
    this.interactive = interactive;
    this.remediation = remediation;
  }

  /**
   * Renders one intent as a Slack message payload.
   *
   * @param incident the incident after the change, with its id set
   * @param intent what to say
   * @return a JSON object with {@code text} and {@code blocks} or {@code attachments}, ready for
   *     {@code chat.postMessage}/{@code chat.update}
   */
  public String render(Incident incident, SlackIntent intent) {
    return render(incident, intent, IncidentResponse.none(idOf(incident)));
  }

  /**
   * Renders one intent as a Slack message payload, showing how people responded.
   *
   * @param incident the incident after the change, with its id set
   * @param intent what to say
   * @param response acknowledgement and silence shown on the parent
   * @return the message payload JSON, as {@link #render(Incident, SlackIntent)}
   */
  public String render(Incident incident, SlackIntent intent, IncidentResponse response) {
    return switch (intent.kind()) {
      case PARENT_POST, PARENT_UPDATE -> parent(incident, response);
      case THREAD_REPLY -> reply(incident, intent);
      case GRAPH -> throw new IllegalArgumentException(
          "graphs are rendered by the outbox worker, not from an intent");
    };
  }

  /** Renders the parent message of {@code incident} in its current state. */
  public String parent(Incident incident) {
    return parent(incident, IncidentResponse.none(idOf(incident)));
  }

  /**
   * Renders a thread reply announcing an action taken from Slack.
   *
   * @param incident the incident acted on, with its id
   * @param mrkdwn what happened, e.g. ":eyes: Acknowledged by <@U123>"
   * @return the message payload JSON
   */
  public String actionReply(Incident incident, String mrkdwn) {
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(section(mrkdwn));
    blocks.add(context("Incident #" + incident.id()));
    JsonObject payload = new JsonObject();
    payload.addProperty("text", clip(mrkdwn, BlockKitLimits.MAX_FALLBACK_TEXT_CHARS));
    payload.add("blocks", GSON.toJsonTree(blocks));
    return GSON.toJson(payload);
  }

  /**
   * Renders the parent message of {@code incident} in its current state, with who acknowledged
   * it, until when it is silenced, and (when interactive and open) the action buttons.
   *
   * @param incident the incident, with its id
   * @param response how people responded
   * @return the message payload JSON
   */
  public String parent(Incident incident, IncidentResponse response) {
    return parent(incident, response, null, 0, Duration.ZERO, Enrichment.ParentContext.NONE);
  }

  /**
   * Renders the parent message for one channel: as {@link #parent(Incident, IncidentResponse)},
   * with the route's mention in the text (so the mentioned people are notified), a "Flapping"
   * line third when members flap, and enrichment's value line, Explorer link and image before
   * the closing context line, as far as {@link BlockKitLimits#MAX_BLOCKS} allows.
   *
   * @param mention the route's mention for the channel, or null
   * @param flappingTransitions the transitions within {@code flappingWindow} when flapping, else 0
   * @param flappingWindow the flapping window named in the line
   * @param context what enrichment found; {@link Enrichment.ParentContext#NONE} for nothing
   * @return the message payload JSON
   */
  public String parent(Incident incident, IncidentResponse response, @Nullable String mention,
      int flappingTransitions, Duration flappingWindow, Enrichment.ParentContext context) {
    return parent(incident, response, mention, flappingTransitions, flappingWindow, context,
        List.of());
  }

  /**
   * Renders the parent as {@link #parent(Incident, IncidentResponse, String, int, Duration,
   * Enrichment.ParentContext)}, with the remediation result lines of {@code remediations}
   * ("Restart deployment by @alice, approved by @bob, 14:05") and the request buttons of the
   * catalogue actions the incident offers.
   *
   * @param remediations the incident's remediation requests, newest first; may be empty
   */
  public String parent(Incident incident, IncidentResponse response, @Nullable String mention,
      int flappingTransitions, Duration flappingWindow, Enrichment.ParentContext context,
      List<dev.alertdesk.remediation.RemediationRequest> remediations) {
    Instant now = clock.instant();
    boolean resolved = incident.status() == IncidentStatus.RESOLVED;
    List<LayoutBlock> blocks = new ArrayList<>();

    blocks.add(HeaderBlock.builder().text(plain(clip(
        statusEmoji(incident, response, now) + " " + title(incident), BlockKitLimits.MAX_HEADER_CHARS))).build());

    String statusLine = (resolved
        ? "*Resolved* after " + Durations.humanize(incident.duration(now))
        : "*Firing* since " + slackDate(incident.startedAt()))
        + " · " + incident.firingCount() + " firing, " + incident.resolvedCount() + " resolved"
        + (incident.reopenCount() > 0 ? " · reopened " + incident.reopenCount() + "×" : "");
    blocks.add(section(statusLine));
    String responseLine = resolved ? null : IncidentActionBlocks.responseLine(response, now);
    if (responseLine != null) {
      blocks.add(context(responseLine));
    }
    List<String> remediationLines = remediation.parentLines(remediations);
    if (!remediationLines.isEmpty()) {
      blocks.add(context(String.join("\n", remediationLines)));
    }

    List<TextObject> fields = new ArrayList<>();
    fields.add(field("Severity", orDash(incident.severity())));
    fields.add(field("Namespace", orDash(label(incident, "namespace"))));
    String service = label(incident, "service");
    String deployment = label(incident, "deployment");
    fields.add(field(deployment != null && service == null ? "Deployment" : "Service",
        orDash(service != null ? service : deployment)));
    fields.add(field("Started", slackDate(incident.startedAt())));
    blocks.add(SectionBlock.builder().fields(fields).build());

    String about = about(incident);
    if (!about.isEmpty()) {
      blocks.add(section(about));
    }
    List<Alert> firing = incident.members().stream().filter(Alert::isFiring).toList();
    if (!firing.isEmpty()) {
      blocks.add(section("*Firing alerts*\n" + alertList(incident, firing)));
    }
    if (incident.truncatedAlerts() > 0) {
      blocks.add(context(":warning: Alertmanager left " + incident.truncatedAlerts()
          + " more alert" + (incident.truncatedAlerts() == 1 ? "" : "s")
          + " out of the last notification (max_alerts); counts above cover only the alerts received."));
    }
    if (interactive && !resolved && incident.id() != null) {
      blocks.add(IncidentActionBlocks.actions(incident, response, now,
          remediation.offers(incident.id(), incident.commonLabels())));
    }
    List<BlockElement> buttons = linkButtons(incident);
    if (!buttons.isEmpty()) {
      blocks.add(ActionsBlock.builder().blockId("links").elements(buttons).build());
    }
    blocks.add(context("Incident #" + incident.id() + " · receiver `" + escape(incident.receiver())
        + "`"));

    List<LayoutBlock> limited = new ArrayList<>(limitBlocks(blocks));
    if (flappingTransitions > 0 && limited.size() < BlockKitLimits.MAX_BLOCKS) {
      limited.add(Math.min(2, limited.size()), context(":repeat: *Flapping:* "
          + flappingTransitions + " changes between firing and resolved in the last "
          + Durations.humanize(flappingWindow)
          + "; changes update this message instead of replying."));
    }
    int at = Math.max(0, limited.size() - 1);
    for (LayoutBlock extra : enrichmentBlocks(context)) {
      if (limited.size() >= BlockKitLimits.MAX_BLOCKS) {
        break;
      }
      limited.add(at++, extra);
    }
    Attachment attachment = Attachment.builder()
        .color(color(incident, response, now))
        .fallback(fallback(incident))
        .blocks(limited)
        .build();
    JsonObject payload = new JsonObject();
    // The top-level text is shown above the attachment and notifies the mentioned people.
    payload.addProperty("text", mention == null ? fallback(incident)
        : clip(mention + " " + fallback(incident), BlockKitLimits.MAX_FALLBACK_TEXT_CHARS));
    JsonArray attachments = new JsonArray();
    attachments.add(GSON.toJsonTree(attachment));
    payload.add("attachments", attachments);
    return GSON.toJson(payload);
  }

  /** The value line, the "Open in Explorer" link and the image that enrichment found. */
  private static List<LayoutBlock> enrichmentBlocks(Enrichment.ParentContext context) {
    List<LayoutBlock> out = new ArrayList<>(3);
    if (context.valueLine() != null) {
      out.add(context(context.valueLine()));
    }
    String explorer = context.explorerUrl();
    if (explorer != null && explorer.length() <= BlockKitLimits.MAX_BUTTON_URL_CHARS
        && dev.alertdesk.config.Urls.isHttpLink(explorer)) {
      out.add(ActionsBlock.builder().elements(List.of(ButtonElement.builder()
          .actionId("open_in_explorer")
          .text(PlainTextObject.builder().text("Open in Explorer").build())
          .url(explorer).build())).build());
    }
    String image = context.imageUrl();
    if (image != null && image.length() <= BlockKitLimits.MAX_IMAGE_URL_CHARS
        && dev.alertdesk.config.Urls.isHttpLink(image)) {
      out.add(ImageBlock.builder().imageUrl(image).altText(clip(
          context.imageAltText() == null ? "graph" : context.imageAltText(),
          BlockKitLimits.MAX_IMAGE_ALT_TEXT_CHARS)).build());
    }
    return out;
  }

  private String reply(Incident incident, SlackIntent intent) {
    List<LayoutBlock> blocks = new ArrayList<>();
    String text;
    switch (intent.reply()) {
      case RESOLVED -> {
        text = ":white_check_mark: Resolved after "
            + Durations.humanize(incident.duration(clock.instant()));
        blocks.add(section(text));
        if (!intent.resolved().isEmpty()) {
          blocks.add(section("*Resolved*\n" + alertList(incident, intent.resolved())));
        }
      }
      case REOPENED -> {
        text = ":repeat: Reopened: " + count(intent.firing().size()) + " firing again";
        blocks.add(section(text + "\n" + alertList(incident, intent.firing())));
      }
      default -> {
        List<String> parts = new ArrayList<>();
        if (!intent.firing().isEmpty()) {
          parts.add(":fire: " + count(intent.firing().size()) + " firing");
          blocks.add(section(":fire: *" + count(intent.firing().size()) + " firing*\n"
              + alertList(incident, intent.firing())));
        }
        if (!intent.resolved().isEmpty()) {
          parts.add(":white_check_mark: " + count(intent.resolved().size()) + " resolved");
          blocks.add(section(":white_check_mark: *" + count(intent.resolved().size())
              + " resolved*\n" + alertList(incident, intent.resolved())));
        }
        text = String.join(", ", parts);
      }
    }
    blocks.add(context(incident.firingCount() + " firing, " + incident.resolvedCount()
        + " resolved · Incident #" + incident.id()));
    JsonObject payload = new JsonObject();
    payload.addProperty("text", clip(text, BlockKitLimits.MAX_FALLBACK_TEXT_CHARS));
    payload.add("blocks", GSON.toJsonTree(limitBlocks(blocks)));
    return GSON.toJson(payload);
  }

  /** "HighLatency · namespace=prod, service=api": the alertname and the other group labels. */
  static String title(Incident incident) {
    StringBuilder s = new StringBuilder(incident.alertname());
    List<String> rest = new ArrayList<>();
    incident.groupLabels().values().forEach((k, v) -> {
      if (!HIDDEN_LABELS.contains(k)) {
        rest.add(k + "=" + v);
      }
    });
    if (!rest.isEmpty()) {
      s.append(" · ").append(String.join(", ", rest));
    }
    return s.toString();
  }

  private static String fallback(Incident incident) {
    String state = incident.status() == IncidentStatus.RESOLVED
        ? "RESOLVED" : "FIRING:" + incident.firingCount();
    // Slack parses the message text like mrkdwn: escape the labels so that a value such as
    // "<!channel>" is shown, not acted on.
    return clip("[" + state + "] " + escape(title(incident)) + " (incident #" + incident.id() + ")",
        BlockKitLimits.MAX_FALLBACK_TEXT_CHARS);
  }

  private static String statusEmoji(Incident incident, IncidentResponse response, Instant now) {
    if (incident.status() == IncidentStatus.RESOLVED) {
      return ":white_check_mark:";
    }
    if (response.silencedAt(now)) {
      return ":mute:";
    }
    if (response.acknowledged()) {
      return ":eyes:";
    }
    return switch (incident.severityClass()) {
      case CRITICAL -> ":rotating_light:";
      case WARNING -> ":warning:";
      case INFO, UNKNOWN -> ":fire:";
    };
  }

  private static String color(Incident incident, IncidentResponse response, Instant now) {
    if (incident.status() == IncidentStatus.RESOLVED) {
      return COLOR_RESOLVED;
    }
    if (response.silencedAt(now)) {
      return COLOR_SILENCED;
    }
    if (response.acknowledged()) {
      return COLOR_ACKNOWLEDGED;
    }
    return switch (incident.severityClass()) {
      case WARNING -> COLOR_WARNING;
      case INFO -> COLOR_INFO;
      case CRITICAL, UNKNOWN -> COLOR_CRITICAL;
    };
  }

  /** The summary and description: common annotations first, else the first member's. */
  private static String about(Incident incident) {
    Labels annotations = incident.commonAnnotations();
    if (annotations.get("summary") == null && annotations.get("description") == null
        && !incident.members().isEmpty()) {
      annotations = incident.members().get(0).annotations();
    }
    List<String> lines = new ArrayList<>();
    String summary = annotations.get("summary");
    String description = annotations.get("description");
    if (summary != null && !summary.isBlank()) {
      lines.add("*" + escape(summary.strip()) + "*");
    }
    if (description != null && !description.isBlank()) {
      lines.add(escape(description.strip()));
    }
    return String.join("\n", lines);
  }

  /**
   * Lists alerts with the labels that tell them apart, one per line, ending in "+N more" past
   * {@value #MAX_LISTED_ALERTS}; the result fits one section.
   */
  static String alertList(Incident incident, List<Alert> alerts) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (Alert a : alerts) {
      if (shown == MAX_LISTED_ALERTS) {
        break;
      }
      String line = "• " + alertLine(incident, a) + "\n";
      // Keep room for the "+N more" line and a header of up to 100 characters.
      if (out.length() + line.length() > BlockKitLimits.MAX_SECTION_CHARS - 140) {
        break;
      }
      out.append(line);
      shown++;
    }
    if (alerts.size() > shown) {
      out.append("+").append(alerts.size() - shown).append(" more");
    }
    return out.toString().stripTrailing();
  }

  private static String alertLine(Incident incident, Alert a) {
    List<String> distinct = new ArrayList<>();
    a.labels().values().forEach((k, v) -> {
      if (!HIDDEN_LABELS.contains(k) && !v.equals(incident.commonLabels().get(k))) {
        distinct.add(k + "=" + v);
      }
    });
    String name = a.alertname().equals(incident.alertname()) ? "" : "*" + escape(a.alertname()) + "* ";
    String labels = distinct.isEmpty() ? "" : "`" + escape(clip(String.join(", ", distinct), 200)) + "`";
    String when = a.isFiring()
        ? " since " + slackDate(a.startsAt())
        : " ended " + (a.endsAt() == null ? "now" : slackDate(a.endsAt()));
    if ((name + labels).isBlank()) {
      // One alert, or alerts told apart by nothing but labels all share: name it by the labels
      // that identify it (instance, pod, node, …) rather than by its fingerprint.
      labels = tellingLabels(incident, a);
    }
    String line = (name + labels).isBlank() ? "`" + escape(a.fingerprint()) + "`" : name + labels;
    return line.strip() + when;
  }

  /** Labels that name a machine or workload, most telling first. */
  private static final List<String> TELLING_LABELS = List.of("instance", "pod", "node",
      "container", "host", "hostname", "device", "mountpoint", "deployment", "statefulset",
      "daemonset", "job_name", "service", "job", "namespace", "cluster");

  /**
   * The labels that identify a single alert: those of {@link #TELLING_LABELS} it has, in that
   * order, else its other labels; never the alertname, severity or the group labels (the header
   * shows those). Empty when nothing is left.
   */
  private static String tellingLabels(Incident incident, Alert a) {
    List<String> shown = new ArrayList<>();
    for (String key : TELLING_LABELS) {
      String v = a.labels().get(key);
      if (v != null && incident.groupLabels().get(key) == null) {
        shown.add(key + "=" + v);
      }
    }
    if (shown.isEmpty()) {
      a.labels().values().forEach((k, v) -> {
        if (!HIDDEN_LABELS.contains(k) && !k.equals("severity")
            && incident.groupLabels().get(k) == null) {
          shown.add(k + "=" + v);
        }
      });
    }
    return shown.isEmpty() ? ""
        : "`" + escape(clip(String.join(", ", shown), 200)) + "`";
  }

  private static List<BlockElement> linkButtons(Incident incident) {
    List<BlockElement> buttons = new ArrayList<>();
    String runbook = annotation(incident, "runbook_url");
    if (runbook == null) {
      runbook = annotation(incident, "runbook");
    }
    addLink(buttons, "runbook", ":book: Runbook", runbook);
    String source = incident.members().isEmpty() ? null : incident.members().get(0).generatorUrl();
    addLink(buttons, "source", ":chart_with_upwards_trend: Source", source);
    addLink(buttons, "alertmanager", "Alertmanager", incident.externalUrl());
    return buttons;
  }

  private static void addLink(List<BlockElement> buttons, String id, String text, @Nullable String url) {
    if (url == null || url.isBlank() || url.length() > BlockKitLimits.MAX_BUTTON_URL_CHARS
        || !dev.alertdesk.config.Urls.isHttpLink(url)) {
      return;
    }
    buttons.add(ButtonElement.builder()
        .actionId("link_" + id)
        .text(plain(clip(text, BlockKitLimits.MAX_BUTTON_TEXT_CHARS)))
        .url(url)
        .build());
  }

  private static @Nullable String annotation(Incident incident, String name) {
    String v = incident.commonAnnotations().get(name);
    if (v == null && !incident.members().isEmpty()) {
      v = incident.members().get(0).annotations().get(name);
    }
    return v;
  }

  private static @Nullable String label(Incident incident, String name) {
    String v = incident.commonLabels().get(name);
    return v != null ? v : incident.groupLabels().get(name);
  }

  private static long idOf(Incident incident) {
    return incident.id() == null ? 0 : incident.id();
  }

  /** A Slack date token: each reader sees their own time zone; the fallback is UTC. */
  static String slackDate(Instant t) {
    return "<!date^" + t.getEpochSecond() + "^{date_short_pretty} {time}|" + UTC_TIME.format(t) + ">";
  }

  private static String count(int n) {
    return n + (n == 1 ? " alert" : " alerts");
  }

  private static String orDash(@Nullable String s) {
    return s == null || s.isBlank() ? "—" : escape(s);
  }

  /**
   * Escapes Slack's control characters {@code & < >} so that user-supplied text is shown, not
   * acted on (docs.slack.dev, "Formatting text").
   *
   * @param s any text
   * @return the escaped text
   */
  public static String escapeText(String s) {
    return escape(s);
  }

  /** Escapes Slack's control characters {@code & < >} (docs.slack.dev, "Formatting text"). */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static PlainTextObject plain(String text) {
    return PlainTextObject.builder().text(text).emoji(true).build();
  }

  private static SectionBlock section(String mrkdwn) {
    return SectionBlock.builder()
        .text(MarkdownTextObject.builder().text(clip(mrkdwn, BlockKitLimits.MAX_SECTION_CHARS)).build())
        .build();
  }

  private static TextObject field(String name, String value) {
    return MarkdownTextObject.builder()
        .text(clip("*" + name + "*\n" + value, BlockKitLimits.MAX_FIELD_CHARS)).build();
  }

  private static ContextBlock context(String mrkdwn) {
    List<ContextBlockElement> elements = List.of(
        MarkdownTextObject.builder().text(clip(mrkdwn, BlockKitLimits.MAX_SECTION_CHARS)).build());
    return ContextBlock.builder().elements(elements).build();
  }

  private static List<LayoutBlock> limitBlocks(List<LayoutBlock> blocks) {
    return blocks.size() <= BlockKitLimits.MAX_BLOCKS
        ? blocks : blocks.subList(0, BlockKitLimits.MAX_BLOCKS);
  }
}
