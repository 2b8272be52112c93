package dev.alertdesk.slack;

import static dev.alertdesk.slack.BlockKitAssertions.assertNoLoneSurrogate;
import static dev.alertdesk.slack.BlockKitAssertions.assertWithinBlockKitLimits;
import static dev.alertdesk.slack.BlockKitAssertions.blocksOfType;
import static dev.alertdesk.slack.BlockKitAssertions.visibleText;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.SlackIntent;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every rendered message stays within Block Kit's limits, however large the incident: the limits
 * are checked on the JSON with Jackson, against the numbers Slack publishes.
 */
final class BlockKitLimitsTest {
  private static final int HUGE = 5_000;
  private static Incident huge;
  private static List<Alert> hugeFiring;
  private static List<Alert> hugeResolved;

  private final IncidentMessageRenderer renderer = new IncidentMessageRenderer(TestIncident.clock(90));

  @BeforeAll
  static void buildHugeIncident() {
    huge = TestIncident.huge(HUGE).build();
    hugeFiring = huge.members().stream().filter(Alert::isFiring).toList();
    hugeResolved = huge.members().stream().filter(a -> !a.isFiring()).toList();
  }

  @Test
  void limitsMatchSlacksPublishedNumbers() {
    assertThat(BlockKitLimits.MAX_BLOCKS).isEqualTo(50);
    assertThat(BlockKitLimits.MAX_HEADER_CHARS).isEqualTo(150);
    assertThat(BlockKitLimits.MAX_SECTION_CHARS).isEqualTo(3_000);
    assertThat(BlockKitLimits.MAX_FIELDS).isEqualTo(10);
    assertThat(BlockKitLimits.MAX_FIELD_CHARS).isEqualTo(2_000);
    assertThat(BlockKitLimits.MAX_BUTTON_TEXT_CHARS).isEqualTo(75);
    assertThat(BlockKitLimits.MAX_BUTTON_VALUE_CHARS).isEqualTo(2_000);
  }

  // ---------------------------------------------------------------------------------------------
  // clip

  @Test
  void clipLeavesShortTextAlone() {
    assertThat(BlockKitLimits.clip("", 1)).isEmpty();
    assertThat(BlockKitLimits.clip("abc", 3)).isEqualTo("abc");
    assertThat(BlockKitLimits.clip("\uD83D\uDD25", 2)).isEqualTo("\uD83D\uDD25");
  }

  @Test
  void clipCutsToTheLimitAndEndsInAnEllipsis() {
    assertThat(BlockKitLimits.clip("abcdef", 4)).isEqualTo("abc…");
    assertThat(BlockKitLimits.clip("abcdef", 1)).isEqualTo("…");
    assertThat(BlockKitLimits.clip("x".repeat(5_000), 3_000)).hasSize(3_000).endsWith("x…");
  }

  @Test
  void clipNeverSplitsASurrogatePair() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      StringBuilder s = new StringBuilder();
      int length = 1 + random.nextInt(40);
      for (int i = 0; i < length; i++) {
        if (random.nextInt(3) == 0) {
          s.append((char) ('a' + random.nextInt(26)));
        } else {
          s.appendCodePoint(0x1F300 + random.nextInt(0x300));
        }
      }
      String text = s.toString();
      for (int max = 1; max <= text.length() + 1; max++) {
        String clipped = BlockKitLimits.clip(text, max);

        assertThat(clipped).as("clip(%s, %d)", text, max).hasSizeLessThanOrEqualTo(max);
        assertNoLoneSurrogate(clipped);
        if (text.length() <= max) {
          assertThat(clipped).isEqualTo(text);
        } else {
          assertThat(clipped).endsWith("…");
          String kept = clipped.substring(0, clipped.length() - 1);
          assertThat(text).startsWith(kept);
          assertThat(kept.length()).as("drops at most one extra char for a pair")
              .isGreaterThanOrEqualTo(max - 2);
        }
      }
    }
  }

  @Test
  void clipOfEmojiOnlyTextAtEveryLength() {
    String emoji = "\uD83D\uDD25".repeat(10);
    for (int max = 1; max < emoji.length(); max++) {
      String clipped = BlockKitLimits.clip(emoji, max);
      assertNoLoneSurrogate(clipped);
      assertThat(clipped.codePoints().filter(cp -> cp == 0x1F525).count())
          .as("max %d", max).isEqualTo((max - 1) / 2);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Huge incidents

  @Test
  void hugeParentStaysWithinLimits() {
    JsonNode message = assertWithinBlockKitLimits(renderer.parent(huge));

    assertThat(blocksOfType(message, "header")).hasSize(1);
    assertThat(blocksOfType(message, "header").get(0).path("text").path("text").asText())
        .hasSize(150).endsWith("…");
    assertThat(visibleText(message)).contains("more");
    assertThat(visibleText(message)).containsPattern("\\+\\d+ more");
    assertThat(message.path("attachments").path(0).path("blocks").size()).isLessThanOrEqualTo(50);
  }

  @Test
  void hugeParentUpdateStaysWithinLimits() {
    assertWithinBlockKitLimits(renderer.render(huge, SlackIntent.parentUpdate()));
  }

  @Test
  void hugeAlertsChangedReplyStaysWithinLimits() {
    JsonNode message = assertWithinBlockKitLimits(renderer.render(huge,
        SlackIntent.threadReply(SlackIntent.Reply.ALERTS_CHANGED, hugeFiring, hugeResolved)));

    assertThat(message.path("text").asText())
        .isEqualTo(":fire: " + hugeFiring.size() + " alerts firing, :white_check_mark: "
            + hugeResolved.size() + " alerts resolved");
    assertThat(visibleText(message)).containsPattern("\\+\\d+ more");
  }

  @Test
  void hugeReopenedReplyStaysWithinLimits() {
    JsonNode message = assertWithinBlockKitLimits(renderer.render(huge,
        SlackIntent.threadReply(SlackIntent.Reply.REOPENED, hugeFiring, List.of())));

    assertThat(visibleText(message)).containsPattern("\\+\\d+ more");
  }

  @Test
  void hugeResolvedReplyStaysWithinLimits() {
    JsonNode message = assertWithinBlockKitLimits(renderer.render(huge,
        SlackIntent.threadReply(SlackIntent.Reply.RESOLVED, List.of(), huge.members())));

    assertThat(visibleText(message)).contains("+" + (HUGE - countListed(message)) + " more");
  }

  @Test
  void textThatGrowsWhenEscapedStillFits() {
    TestIncident t = new TestIncident();
    String ampersands = "&".repeat(2_999);
    t.commonAnnotations = Labels.of("summary", ampersands,
        "description", "<".repeat(2_999));
    t.commonLabels = Labels.of("alertname", "HighLatency",
        "severity", ">".repeat(1_999), "namespace", "&".repeat(1_999));
    t.receiver = "&".repeat(2_999);

    assertWithinBlockKitLimits(renderer.parent(t.build()));
  }

  @Test
  void manyLongGroupLabelsKeepTheHeaderShort() {
    TestIncident t = TestIncident.huge(3);

    JsonNode message = assertWithinBlockKitLimits(renderer.parent(t.build()));

    assertThat(blocksOfType(message, "header").get(0).path("text").path("text").asText())
        .hasSizeLessThanOrEqualTo(150);
  }

  @Test
  void messagesForEveryIncidentSizeStayWithinLimits() {
    for (int size : new int[] {0, 1, 9, 10, 11, 49, 50, 51, 500}) {
      Incident incident = TestIncident.huge(size).build();
      List<Alert> firing = incident.members().stream().filter(Alert::isFiring).toList();
      assertWithinBlockKitLimits(renderer.parent(incident));
      if (!firing.isEmpty()) {
        // The engine sends ALERTS_CHANGED only when something fired or resolved.
        assertWithinBlockKitLimits(renderer.render(incident,
            SlackIntent.threadReply(SlackIntent.Reply.ALERTS_CHANGED, firing, List.of())));
      }
      assertWithinBlockKitLimits(renderer.render(incident,
          SlackIntent.threadReply(SlackIntent.Reply.RESOLVED, List.of(), incident.members())));
    }
  }

  private static int countListed(JsonNode message) {
    return (int) BlockKitAssertions.blocksOfType(message, "section").stream()
        .map(s -> s.path("text").path("text").asText())
        .flatMap(String::lines)
        .filter(l -> l.startsWith("• "))
        .count();
  }
}
