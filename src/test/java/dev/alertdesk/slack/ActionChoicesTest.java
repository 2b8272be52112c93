package dev.alertdesk.slack;

import static dev.alertdesk.slack.BlockKitAssertions.assertWithinBlockKitLimits;
import static dev.alertdesk.slack.BlockKitAssertions.blocksOfType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The silence and snooze choices as the parent message renders them and as the actions parse
 * them back: one definition ({@link SilenceChoice}, {@link SnoozeChoice}, {@link ActionValue}),
 * so every rendered option round-trips, and nothing else parses.
 */
class ActionChoicesTest {
  private final IncidentMessageRenderer interactive =
      new IncidentMessageRenderer(TestIncident.clock(10), true);

  /** The {@code (value, label)} of each option of the select with this {@code action_id}. */
  private List<String[]> renderedOptions(String actionId) {
    JsonNode message = assertWithinBlockKitLimits(interactive.parent(new TestIncident().build()));
    List<String[]> options = new ArrayList<>();
    for (JsonNode block : blocksOfType(message, "actions")) {
      for (JsonNode element : block.get("elements")) {
        if (element.path("action_id").asText().equals(actionId)) {
          element.get("options").forEach(o -> options.add(new String[] {
              o.path("value").asText(), o.path("text").path("text").asText()}));
        }
      }
    }
    return options;
  }

  @Test
  void everyRenderedSilenceOptionParsesBackToItsChoiceInOrder() {
    List<String[]> options = renderedOptions(IncidentActionBlocks.SILENCE);

    assertThat(options).hasSize(SilenceChoice.values().length);
    for (int i = 0; i < options.size(); i++) {
      ActionValue value = ActionValue.parse(options.get(i)[0]);
      assertThat(value).isNotNull();
      assertThat(value.incidentId()).isEqualTo(42);
      assertThat(SilenceChoice.parse(value.choice())).contains(SilenceChoice.values()[i]);
      assertThat(options.get(i)[1]).isEqualTo(SilenceChoice.values()[i].label());
    }
  }

  @Test
  void everyRenderedSnoozeOptionParsesBackToItsChoiceInOrder() {
    List<String[]> options = renderedOptions(IncidentActionBlocks.SNOOZE);

    assertThat(options).hasSize(SnoozeChoice.values().length);
    for (int i = 0; i < options.size(); i++) {
      ActionValue value = ActionValue.parse(options.get(i)[0]);
      assertThat(value).isNotNull();
      assertThat(value.incidentId()).isEqualTo(42);
      assertThat(SnoozeChoice.parse(value.choice())).contains(SnoozeChoice.values()[i]);
      assertThat(options.get(i)[1]).isEqualTo(SnoozeChoice.values()[i].label());
    }
  }

  @ParameterizedTest
  @CsvSource({
      "1h,       1 hour,         PT1H,   false",
      "4h,       4 hours,        PT4H,   false",
      "24h,      24 hours,       PT24H,  false",
      "resolved, Until resolved, PT168H, true"})
  void silenceChoicesKeepTheirValuesLabelsAndDurations(String value, String label,
      Duration duration, boolean untilResolved) {
    SilenceChoice choice = SilenceChoice.parse(value).orElseThrow();

    assertThat(choice.value()).isEqualTo(value);
    assertThat(choice.label()).isEqualTo(label);
    assertThat(choice.duration()).isEqualTo(duration);
    assertThat(choice.untilResolved()).isEqualTo(untilResolved);
  }

  @ParameterizedTest
  @CsvSource({
      "1h,   for 1 hour,               PT1H,   ",
      "24h,  for 24 hours,             PT24H,  ",
      "7d,   for 7 days,               PT168H, ",
      "n10,  for the next 10 firings,  ,       10",
      "n100, for the next 100 firings, ,       100"})
  void snoozeChoicesEndByTimeOrByFiringsNeverBoth(String value, String label, Duration duration,
      Integer firings) {
    SnoozeChoice choice = SnoozeChoice.parse(value).orElseThrow();

    assertThat(choice.label()).isEqualTo(label);
    assertThat(choice.duration()).isEqualTo(duration);
    assertThat(choice.firings()).isEqualTo(firings);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"1H", " 1h", "1h ", "2h", "resolved:", "RESOLVED", "n10", "7d", "1h:1h",
      "<!channel>", "1h\n"})
  void malformedOrForeignSilenceChoicesParseToNothing(String value) {
    assertThat(SilenceChoice.parse(value)).isEmpty();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"4h", "resolved", "n1000", "N10", "n-1", "n", " n10", "7D", "<b>x</b>"})
  void malformedOrForeignSnoozeChoicesParseToNothing(String value) {
    assertThat(SnoozeChoice.parse(value)).isEmpty();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {":", ":1h", "x:1h", "0", "0:1h", "-1", "-1:1h", "+42", "+42:1h", " 42",
      "42 ", "4 2:1h", "1e3:1h", "0x2a", "\u0664\u0662", "\u0664\u0662:1h",
      "99999999999999999999", "9223372036854775808:1h"})
  void valuesThatNameNoIncidentParseToNothing(String value) {
    assertThat(ActionValue.parse(value)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "42|42|",
      "42:|42|''",
      "42:1h|42|1h",
      "42:1h:extra|42|1h:extra",
      "9223372036854775807:resolved|9223372036854775807|resolved"})
  void valuesSplitAtTheFirstColonIntoIncidentAndChoice(String value, long incidentId,
      String choice) {
    assertThat(ActionValue.parse(value)).isEqualTo(new ActionValue(incidentId, choice));
  }

  @Test
  void buttonAndOptionValuesAreWhatParseReads() {
    assertThat(ActionValue.parse(ActionValue.button(7))).isEqualTo(new ActionValue(7, null));
    assertThat(ActionValue.parse(ActionValue.option(7, SnoozeChoice.NEXT_10_FIRINGS.value())))
        .isEqualTo(new ActionValue(7, "n10"));
  }
}
