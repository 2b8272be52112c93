package dev.alertdesk.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.slack.BlockKitLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRepliesTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  private static CommandStore.Listed incident(long id, String namespace, String ackBy,
      Instant silencedUntil) {
    return new CommandStore.Listed(id, IncidentStatus.FIRING, "DiskFull",
        Labels.of("alertname", "DiskFull", "namespace", namespace), NOW.minus(Duration.ofMinutes(90)),
        2, ackBy, silencedUntil, "C0123", "1700000000.000100");
  }

  @Test
  void aListShowsStatusAgeAcknowledgementAndAThreadLinkPerIncident() {
    String list = CommandReplies.list(List.of(
        incident(2, "prod", "U7", null),
        incident(1, "staging", null, NOW.plus(Duration.ofHours(2)))), 2, NOW);
    assertThat(list).contains("(2)")
        .contains(":eyes: <https://slack.com/app_redirect?channel=C0123&message_ts=1700000000.000100|#2> "
            + "DiskFull · namespace=prod · acknowledged · started 1h 30m ago · ack <@U7>")
        .contains(":mute: <https://slack.com/app_redirect?channel=C0123&message_ts=1700000000.000100|#1>")
        .contains("silenced for 2h").contains("not acknowledged");
  }

  @Test
  void hostileLabelsAreEscapedSoTheyShowAndDoNotMentionOrLink() {
    String list = CommandReplies.list(List.of(
        incident(3, "<!channel> <https://evil.example|click> & co", null, null)), 1, NOW);
    assertThat(list).contains("&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; co")
        .doesNotContain("<!channel>").doesNotContain("<https://evil");
    CommandStore.Shown shown = new CommandStore.Shown(incident(3, "x", null, null), 0,
        Labels.of("summary", "<@U0BOSS>", "runbook_url", "javascript:alert(1)"),
        "ftp://am.example", null, null);
    String show = CommandReplies.show(shown, null, NOW);
    assertThat(show).contains("&lt;@U0BOSS&gt;").doesNotContain("javascript:")
        .doesNotContain("ftp://").doesNotContain("incident page");
  }

  @Test
  void aLongListIsBoundedAndCountsTheRest() {
    List<CommandStore.Listed> many = new ArrayList<>();
    for (long id = 40; id > 0; id--) {
      many.add(incident(id, "n".repeat(200), null, null));
    }
    String list = CommandReplies.list(many, 40, NOW);
    assertThat(list.length()).isLessThanOrEqualTo(BlockKitLimits.MAX_FALLBACK_TEXT_CHARS);
    int shown = list.split("\n").length - 2;
    assertThat(shown).isPositive().isLessThanOrEqualTo(CommandReplies.MAX_LISTED);
    assertThat(list).endsWith("+" + (40 - shown) + " more");
  }

  @Test
  void noOpenIncidentsSaysSo() {
    assertThat(CommandReplies.list(List.of(), 0, NOW)).contains("No open incidents");
  }

  @Test
  void theUsageTextEscapesTheProblem() {
    assertThat(CommandReplies.usage("/alertdesk", "unknown command `<!here>`"))
        .contains("&lt;!here&gt;").doesNotContain("<!here>").contains("/alertdesk silence 42 4h");
  }
}
