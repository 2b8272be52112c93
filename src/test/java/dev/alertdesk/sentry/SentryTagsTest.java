package dev.alertdesk.sentry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Labels become tags within Sentry's limits. */
class SentryTagsTest {
  @Test
  void keysKeepSentrysCharactersAndAtMost32OfThem() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", "DiskFull");
    labels.put("kubernetes_io/hostname", "node-1");
    labels.put("a_very_long_label_name_that_goes_on_and_on", "x");
    labels.put("level", "3");
    labels.put("@@@", "dropped: nothing of the key is left");

    Map<String, String> tags = SentryTags.of(labels);

    assertThat(tags).containsExactly(
        Map.entry("alertname", "DiskFull"),
        Map.entry("kubernetes_io_hostname", "node-1"),
        Map.entry("a_very_long_label_name_that_goes", "x"),
        Map.entry("label.level", "3"));
    assertThat(tags.keySet()).allSatisfy(k -> assertThat(k).hasSizeLessThanOrEqualTo(32)
        .matches("[a-zA-Z0-9_.:-]+"));
  }

  @Test
  void valuesLoseLineBreaksAndAreCutTo200Characters() {
    String long300 = "é".repeat(300);
    Map<String, String> tags = SentryTags.of(Map.of("a", "one\ntwo\r\nthree", "b", long300));

    assertThat(tags.get("a")).isEqualTo("one two three");
    assertThat(tags.get("b").codePointCount(0, tags.get("b").length())).isEqualTo(200);
    assertThat(tags.get("b")).endsWith("…");
  }

  @Test
  void keysThatCollideAfterCleaningKeepTheFirstAndTheCountIsBounded() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("a/b", "first");
    labels.put("a_b", "second");
    for (int i = 0; i < 150; i++) {
      labels.put("l" + i, "v");
    }
    Map<String, String> tags = SentryTags.of(labels);

    assertThat(tags.get("a_b")).isEqualTo("first");
    assertThat(tags).hasSize(SentryTags.MAX_TAGS);
  }
}
