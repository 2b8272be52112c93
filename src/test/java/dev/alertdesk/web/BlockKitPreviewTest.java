package dev.alertdesk.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockKitPreviewTest {
  @Test
  void rendersSlackMrkdwnAsHtml() {
    assertThat(BlockKitPreview.mrkdwn("*Firing* since _now_ ~old~ `x<y`\nnext :fire:").toString())
        .isEqualTo("<strong>Firing</strong> since <em>now</em> <del>old</del> "
            + "<code>x&lt;y</code><br>next \uD83D\uDD25");
  }

  @Test
  void escapesHtmlAndKeepsOnlyWebLinks() {
    String html = BlockKitPreview.mrkdwn("<script>alert(1)</script> &lt;b&gt; "
        + "<https://runbooks.example/a?b=1&amp;c=2|the runbook> <javascript:alert(1)|click>")
        .toString();
    assertThat(html).doesNotContain("<script").doesNotContain("<b>")
        .contains("&lt;b&gt;")
        .contains("<a href=\"https://runbooks.example/a?b=1&amp;c=2\" rel=\"noopener noreferrer\">"
            + "the runbook</a>")
        .doesNotContain("href=\"javascript");
  }

  @Test
  @SuppressWarnings("unchecked")
  void buildsAViewOfBlocksAndAttachments() {
    Map<String, Object> view = BlockKitPreview.view("{\"text\":\"fallback\",\"attachments\":"
        + "[{\"color\":\"#d50200\",\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\","
        + "\"text\":\":fire: <High>\"}},{\"type\":\"section\",\"fields\":[{\"type\":\"mrkdwn\","
        + "\"text\":\"*Severity*\\ncritical\"}]},{\"type\":\"actions\",\"elements\":[{\"type\":"
        + "\"button\",\"text\":{\"type\":\"plain_text\",\"text\":\"Runbook\"},\"url\":"
        + "\"https://r.example\"}]},{\"type\":\"video\"}]}]}");
    assertThat(view.get("text")).isEqualTo("fallback");
    List<Map<String, Object>> attachments = (List<Map<String, Object>>) view.get("attachments");
    assertThat(attachments.get(0).get("color")).isEqualTo("#d50200");
    List<Map<String, Object>> blocks = (List<Map<String, Object>>) attachments.get(0).get("blocks");
    assertThat(blocks).extracting(b -> b.get("type"))
        .containsExactly("header", "section", "actions", "video");
    assertThat(blocks.get(0).get("text").toString()).isEqualTo("\uD83D\uDD25 &lt;High&gt;");
    assertThat(((List<Object>) blocks.get(1).get("fields")).get(0).toString())
        .isEqualTo("<strong>Severity</strong><br>critical");
    assertThat(((List<Map<String, Object>>) blocks.get(2).get("buttons")).get(0).get("url"))
        .isEqualTo("https://r.example");
    assertThat(BlockKitPreview.view("not json")).containsEntry("raw", "not json");
  }

  @Test
  void aSelectMenuIsShownAsASelectWithItsOptions() {
    Map<String, Object> view = BlockKitPreview.view("{\"blocks\":[{\"type\":\"actions\","
        + "\"elements\":[{\"type\":\"static_select\",\"action_id\":\"incident_silence\","
        + "\"placeholder\":{\"type\":\"plain_text\",\"text\":\":mute: Silence…\"},"
        + "\"options\":[{\"text\":{\"type\":\"plain_text\",\"text\":\"1 hour\"},\"value\":\"1h\"},"
        + "{\"text\":{\"type\":\"plain_text\",\"text\":\"Until resolved\"},\"value\":\"r\"}]}]}]}");

    @SuppressWarnings("unchecked")
    Map<String, Object> select = ((List<Map<String, Object>>) ((List<Map<String, Object>>)
        view.get("blocks")).get(0).get("buttons")).get(0);
    assertThat(select).containsEntry("kind", "select");
    assertThat(select.get("placeholder").toString()).isEqualTo("\uD83D\uDD07 Silence&hellip;");
    assertThat((List<?>) select.get("options")).extracting(Object::toString)
        .containsExactly("1 hour", "Until resolved");
  }

  @Test
  void everyEmojiTheMessagesUseIsShownAsItsCharacter() {
    for (String code : List.of("fire", "white_check_mark", "warning", "eyes", "mute", "repeat",
        "loud_sound", "zzz", "leftwards_arrow_with_hook", "information_source",
        "thunder_cloud_and_rain", "rotating_light", "link", "chart_with_upwards_trend", "book",
        "alarm_clock")) {
      assertThat(BlockKitPreview.mrkdwn(":" + code + ": text").toString()).as(code)
          .doesNotContain(":" + code + ":").endsWith(" text");
    }
  }
}
