package dev.alertdesk.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.unbescape.html.HtmlEscape;

/**
 * Turns a stored Slack message (the JSON the Web API takes: {@code text}, {@code blocks},
 * {@code attachments} with {@code color} and {@code blocks}) into a view model for the message
 * preview page. Block types: header, section (text, fields, accessory), context, actions
 * (buttons become links), image, divider; others are shown by type name. Slack {@code mrkdwn}
 * is rendered as HTML: {@code *bold*}, {@code _italic_}, {@code ~strike~}, {@code `code`},
 * {@code ```pre```}, {@code <url|text>} and a few emoji shortcodes
 * (docs.slack.dev/messaging/formatting-message-text). All text is HTML-escaped; only http(s)
 * and mailto links become anchors.
 */
final class BlockKitPreview {
  private static final Pattern LINK = Pattern.compile("<([^<>]*)>");
  private static final Pattern PRE = Pattern.compile("```(.+?)```", Pattern.DOTALL);
  private static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");
  private static final Pattern BOLD = Pattern.compile("(?<![\\w*])\\*([^*\\n]+)\\*(?![\\w*])");
  private static final Pattern ITALIC = Pattern.compile("(?<![\\w_])_([^_\\n]+)_(?![\\w_])");
  private static final Pattern STRIKE = Pattern.compile("(?<![\\w~])~([^~\\n]+)~(?![\\w~])");
  private static final Pattern EMOJI = Pattern.compile(":([a-z0-9_+-]+):");
  private static final Map<String, String> EMOJI_CHARS = Map.ofEntries(
      Map.entry("fire", "\uD83D\uDD25"),
      Map.entry("white_check_mark", "\u2705"),
      Map.entry("warning", "\u26A0\uFE0F"),
      Map.entry("rotating_light", "\uD83D\uDEA8"),
      Map.entry("repeat", "\uD83D\uDD01"),
      Map.entry("book", "\uD83D\uDCD6"),
      Map.entry("chart_with_upwards_trend", "\uD83D\uDCC8"),
      Map.entry("eyes", "\uD83D\uDC40"),
      Map.entry("mute", "\uD83D\uDD07"),
      Map.entry("no_bell", "\uD83D\uDD15"),
      Map.entry("bell", "\uD83D\uDD14"),
      Map.entry("hourglass", "\u231B"),
      Map.entry("x", "\u274C"));

  private BlockKitPreview() {}

  /**
   * Builds the view of one message.
   *
   * @param payloadJson the stored message
   * @return {@code text} (the notification fallback, escaped by the template), {@code blocks}
   *     (top-level blocks) and {@code attachments} (each with {@code color} and {@code blocks});
   *     a payload that is not JSON comes back as {@code raw}
   */
  static Map<String, Object> view(String payloadJson) {
    Map<String, Object> view = new LinkedHashMap<>();
    JsonNode root;
    try {
      root = JsonResponses.MAPPER.readTree(payloadJson);
    } catch (IOException e) {
      view.put("raw", payloadJson);
      return view;
    }
    view.put("text", root.path("text").asText(""));
    view.put("blocks", blocks(root.path("blocks")));
    List<Map<String, Object>> attachments = new ArrayList<>();
    for (JsonNode a : root.path("attachments")) {
      Map<String, Object> m = new LinkedHashMap<>();
      String color = a.path("color").asText("");
      m.put("color", color.matches("#?[0-9A-Fa-f]{6}") ? (color.startsWith("#") ? color : "#" + color)
          : "#9e9e9e");
      m.put("blocks", blocks(a.path("blocks")));
      if (a.hasNonNull("text")) {
        m.put("text", mrkdwn(a.path("text").asText()));
      }
      attachments.add(m);
    }
    view.put("attachments", attachments);
    return view;
  }

  private static List<Map<String, Object>> blocks(JsonNode blocks) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode b : blocks) {
      String type = b.path("type").asText("unknown");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", type);
      switch (type) {
        case "header" -> m.put("text", text(b.path("text")));
        case "section" -> {
          if (b.has("text")) {
            m.put("html", text(b.path("text")));
          }
          List<SafeString> fields = new ArrayList<>();
          for (JsonNode f : b.path("fields")) {
            fields.add(text(f));
          }
          m.put("fields", fields);
          JsonNode accessory = b.path("accessory");
          if (accessory.path("type").asText("").equals("image")) {
            m.put("image", image(accessory));
          } else if (accessory.path("type").asText("").equals("button")) {
            m.put("buttons", List.of(button(accessory)));
          }
        }
        case "context" -> {
          List<Object> parts = new ArrayList<>();
          for (JsonNode e : b.path("elements")) {
            parts.add(e.path("type").asText("").equals("image") ? image(e) : text(e));
          }
          m.put("parts", parts);
        }
        case "actions" -> {
          List<Map<String, Object>> buttons = new ArrayList<>();
          for (JsonNode e : b.path("elements")) {
            buttons.add(button(e));
          }
          m.put("buttons", buttons);
        }
        case "image" -> m.put("image", image(b));
        default -> { }
      }
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> button(JsonNode e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", e.has("text") ? text(e.path("text"))
        : new SafeString(HtmlEscape.escapeHtml5(e.path("type").asText(""))));
    String url = e.path("url").asText("");
    m.put("url", safeUrl(url) ? url : null);
    m.put("style", e.path("style").asText(""));
    return m;
  }

  private static Map<String, Object> image(JsonNode e) {
    Map<String, Object> m = new LinkedHashMap<>();
    String url = e.path("image_url").asText("");
    m.put("kind", "image");
    m.put("url", safeUrl(url) || url.startsWith("/") ? url : null);
    m.put("alt", e.path("alt_text").asText(""));
    return m;
  }

  private static SafeString text(JsonNode textObject) {
    String text = textObject.path("text").asText("");
    if (textObject.path("type").asText("").equals("plain_text")) {
      return new SafeString(emoji(HtmlEscape.escapeHtml5(text)));
    }
    return mrkdwn(text);
  }

  /** Renders Slack mrkdwn as safe HTML. */
  static SafeString mrkdwn(String text) {
    StringBuilder html = new StringBuilder();
    Matcher m = LINK.matcher(text);
    int pos = 0;
    while (m.find()) {
      html.append(inline(text.substring(pos, m.start())));
      html.append(link(m.group(1)));
      pos = m.end();
    }
    html.append(inline(text.substring(pos)));
    return new SafeString(html.toString());
  }

  private static String link(String inside) {
    int bar = inside.indexOf('|');
    String target = unescapeSlack(bar < 0 ? inside : inside.substring(0, bar));
    String label = unescapeSlack(bar < 0 ? target : inside.substring(bar + 1));
    if (target.startsWith("#C") || target.startsWith("@U") || target.startsWith("!")) {
      return "<span class=\"mention\">" + HtmlEscape.escapeHtml5(
          bar < 0 ? target : label) + "</span>";
    }
    if (!safeUrl(target)) {
      return HtmlEscape.escapeHtml5(label);
    }
    return "<a href=\"" + HtmlEscape.escapeHtml5(target) + "\" rel=\"noopener noreferrer\">"
        + HtmlEscape.escapeHtml5(label) + "</a>";
  }

  private static String inline(String slackText) {
    String s = HtmlEscape.escapeHtml5(unescapeSlack(slackText));
    s = PRE.matcher(s).replaceAll("<pre>$1</pre>");
    s = CODE.matcher(s).replaceAll("<code>$1</code>");
    s = BOLD.matcher(s).replaceAll("<strong>$1</strong>");
    s = ITALIC.matcher(s).replaceAll("<em>$1</em>");
    s = STRIKE.matcher(s).replaceAll("<del>$1</del>");
    return emoji(s).replace("\n", "<br>");
  }

  private static String emoji(String html) {
    return EMOJI.matcher(html).replaceAll(r -> Matcher.quoteReplacement(
        EMOJI_CHARS.getOrDefault(r.group(1), r.group())));
  }

  private static String unescapeSlack(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private static boolean safeUrl(String url) {
    return dev.alertdesk.config.Urls.isHttpLink(url);
  }
}
