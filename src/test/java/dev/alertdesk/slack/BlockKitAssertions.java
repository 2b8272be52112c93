package dev.alertdesk.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered Slack payloads with Jackson and checks them against the published Block Kit
 * limits (docs.slack.dev/reference/block-kit), independently of {@link BlockKitLimits}.
 */
final class BlockKitAssertions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BlockKitAssertions() {}

  static JsonNode parse(String payload) {
    try {
      return JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + payload, e);
    }
  }

  /** Every blocks array of the message: top level and inside each attachment. */
  static List<JsonNode> blockLists(JsonNode message) {
    List<JsonNode> lists = new ArrayList<>();
    if (message.has("blocks")) {
      lists.add(message.get("blocks"));
    }
    for (JsonNode attachment : message.path("attachments")) {
      if (attachment.has("blocks")) {
        lists.add(attachment.get("blocks"));
      }
    }
    return lists;
  }

  /** Every block of the message, in order. */
  static List<JsonNode> blocks(JsonNode message) {
    List<JsonNode> out = new ArrayList<>();
    blockLists(message).forEach(list -> list.forEach(out::add));
    return out;
  }

  static List<JsonNode> blocksOfType(JsonNode message, String type) {
    return blocks(message).stream().filter(b -> type.equals(b.path("type").asText())).toList();
  }

  /** Every button of every actions block. */
  static List<JsonNode> buttons(JsonNode message) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode actions : blocksOfType(message, "actions")) {
      actions.path("elements").forEach(e -> {
        if ("button".equals(e.path("type").asText())) {
          out.add(e);
        }
      });
    }
    return out;
  }

  /** Texts of every mrkdwn text object, plus the top-level {@code text}, which Slack also parses. */
  static List<String> mrkdwnTexts(JsonNode message) {
    List<String> out = new ArrayList<>();
    if (message.has("text")) {
      out.add(message.get("text").asText());
    }
    collectMrkdwn(message, out);
    return out;
  }

  private static void collectMrkdwn(JsonNode node, List<String> out) {
    if (node.isObject()) {
      if ("mrkdwn".equals(node.path("type").asText()) && node.has("text")) {
        out.add(node.get("text").asText());
      }
      node.elements().forEachRemaining(child -> collectMrkdwn(child, out));
    } else if (node.isArray()) {
      node.forEach(child -> collectMrkdwn(child, out));
    }
  }

  /** Every string value anywhere in the message. */
  static List<String> allStrings(JsonNode node) {
    List<String> out = new ArrayList<>();
    collectStrings(node, out);
    return out;
  }

  private static void collectStrings(JsonNode node, List<String> out) {
    if (node.isTextual()) {
      out.add(node.asText());
    }
    node.elements().forEachRemaining(child -> collectStrings(child, out));
  }

  /** All of the message's visible text joined, for "contains" checks. */
  static String visibleText(JsonNode message) {
    return String.join("\n", allStrings(message));
  }

  /** Asserts that {@code payload} respects every Block Kit limit DESIGN.md names. */
  static JsonNode assertWithinBlockKitLimits(String payload) {
    JsonNode message = parse(payload);
    assertThat(message.isObject()).as("payload is a JSON object").isTrue();
    assertThat(message.has("blocks") || message.has("attachments"))
        .as("payload has blocks or attachments").isTrue();
    if (message.has("text")) {
      assertThat(message.get("text").asText()).as("top-level text").hasSizeLessThanOrEqualTo(3_000)
          .isNotBlank();
    }
    for (JsonNode attachment : message.path("attachments")) {
      if (attachment.has("fallback")) {
        assertThat(attachment.get("fallback").asText()).as("attachment fallback")
            .hasSizeLessThanOrEqualTo(3_000);
      }
    }
    for (JsonNode list : blockLists(message)) {
      assertThat(list.isArray()).as("blocks is an array").isTrue();
      assertThat(list.size()).as("blocks in one list").isBetween(1, 50);
      for (JsonNode block : list) {
        assertBlock(block);
      }
    }
    for (String s : allStrings(message)) {
      assertNoLoneSurrogate(s);
    }
    return message;
  }

  private static void assertBlock(JsonNode block) {
    String type = block.path("type").asText();
    if (block.has("block_id")) {
      assertThat(block.get("block_id").asText()).as("block_id").hasSizeLessThanOrEqualTo(255);
    }
    switch (type) {
      case "header" -> {
        JsonNode text = block.get("text");
        assertThat(text.path("type").asText()).as("header text type").isEqualTo("plain_text");
        assertThat(text.path("text").asText()).as("header text")
            .hasSizeLessThanOrEqualTo(150).isNotEmpty();
      }
      case "section" -> {
        JsonNode text = block.get("text");
        JsonNode fields = block.get("fields");
        assertThat(text != null || fields != null).as("section has text or fields").isTrue();
        if (text != null) {
          assertThat(text.path("text").asText()).as("section text")
              .hasSizeLessThanOrEqualTo(3_000).isNotEmpty();
        }
        if (fields != null) {
          assertThat(fields.size()).as("section fields").isBetween(1, 10);
          fields.forEach(f -> assertThat(f.path("text").asText()).as("section field")
              .hasSizeLessThanOrEqualTo(2_000).isNotEmpty());
        }
      }
      case "actions" -> {
        JsonNode elements = block.get("elements");
        assertThat(elements.size()).as("actions elements").isBetween(1, 25);
        for (JsonNode e : elements) {
          if (e.path("type").asText().equals("static_select")) {
            assertStaticSelect(e);
            continue;
          }
          assertThat(e.path("type").asText()).as("action element type").isEqualTo("button");
          assertThat(e.path("text").path("type").asText()).isEqualTo("plain_text");
          assertThat(e.path("text").path("text").asText()).as("button text")
              .hasSizeLessThanOrEqualTo(75).isNotEmpty();
          assertThat(e.path("action_id").asText()).as("action_id")
              .hasSizeLessThanOrEqualTo(255);
          if (e.has("value")) {
            assertThat(e.get("value").asText()).as("button value")
                .hasSizeLessThanOrEqualTo(2_000);
          }
          if (e.has("url")) {
            assertThat(e.get("url").asText()).as("button url").hasSizeLessThanOrEqualTo(3_000);
          }
        }
      }
      case "context" -> {
        JsonNode elements = block.get("elements");
        assertThat(elements.size()).as("context elements").isBetween(1, 10);
        elements.forEach(e -> assertThat(e.path("text").asText()).as("context text")
            .hasSizeLessThanOrEqualTo(3_000));
      }
      case "divider" -> { }
      case "image" -> {
        assertThat(block.path("alt_text").asText()).hasSizeLessThanOrEqualTo(2_000);
        assertThat(block.path("image_url").asText()).hasSizeLessThanOrEqualTo(3_000);
      }
      default -> fail("unexpected block type \"" + type + "\" in " + block);
    }
  }

  /**
   * A static select (docs.slack.dev/reference/block-kit/block-elements/select-menu-element):
   * placeholder at most 150 characters, 1–100 options with text at most 75 and value at most
   * 150 characters; a confirm dialog's title at most 100, text at most 300, buttons at most 30.
   */
  private static void assertStaticSelect(JsonNode e) {
    assertThat(e.path("action_id").asText()).as("action_id").hasSizeLessThanOrEqualTo(255);
    assertThat(e.path("placeholder").path("text").asText()).as("placeholder")
        .hasSizeLessThanOrEqualTo(150);
    JsonNode options = e.get("options");
    assertThat(options.size()).as("options").isBetween(1, 100);
    for (JsonNode o : options) {
      assertThat(o.path("text").path("text").asText()).as("option text")
          .hasSizeLessThanOrEqualTo(75).isNotEmpty();
      assertThat(o.path("value").asText()).as("option value").hasSizeLessThanOrEqualTo(150);
    }
    JsonNode confirm = e.get("confirm");
    if (confirm != null) {
      assertThat(confirm.path("title").path("text").asText()).as("confirm title")
          .hasSizeLessThanOrEqualTo(100).isNotEmpty();
      assertThat(confirm.path("text").path("text").asText()).as("confirm text")
          .hasSizeLessThanOrEqualTo(300).isNotEmpty();
      assertThat(confirm.path("confirm").path("text").asText()).hasSizeLessThanOrEqualTo(30);
      assertThat(confirm.path("deny").path("text").asText()).hasSizeLessThanOrEqualTo(30);
    }
  }

  static void assertNoLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          fail("lone high surrogate at " + i + " in \"" + abbreviate(s) + "\"");
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        fail("lone low surrogate at " + i + " in \"" + abbreviate(s) + "\"");
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "…";
  }

  /** Field name to value of a Block Kit field written as {@code *Name*\nvalue}. */
  static Map<String, String> fields(JsonNode message) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode section : blocksOfType(message, "section")) {
      for (Iterator<JsonNode> it = section.path("fields").elements(); it.hasNext(); ) {
        String text = it.next().path("text").asText();
        int newline = text.indexOf('\n');
        if (text.startsWith("*") && newline > 1) {
          out.put(text.substring(1, newline - 1), text.substring(newline + 1));
        }
      }
    }
    return out;
  }
}
