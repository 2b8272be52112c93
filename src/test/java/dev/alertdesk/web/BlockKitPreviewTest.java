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
}
