package dev.alertdesk.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.testing.SlackRequests;
import org.junit.jupiter.api.Test;

/** Parsing of Slack {@code block_actions} payloads. */
class SlackInteractionTest {
  @Test
  void aButtonClickIsParsed() {
    SlackInteraction i = SlackInteraction.parse(SlackRequests.blockActions("U123", "alice",
        IncidentActionBlocks.ACKNOWLEDGE, "42", false, "1700000000.000100",
        "https://hooks.slack.com/actions/T/1/x", "1700000000.000200"));
    assertThat(i.type()).isEqualTo("block_actions");
    assertThat(i.userId()).isEqualTo("U123");
    assertThat(i.userName()).isEqualTo("alice");
    assertThat(i.channelId()).isEqualTo("C0STANDIN");
    assertThat(i.messageTs()).isEqualTo("1700000000.000200");
    assertThat(i.responseUrl()).isEqualTo("https://hooks.slack.com/actions/T/1/x");
    assertThat(i.actions()).singleElement().satisfies(a -> {
      assertThat(a.actionId()).isEqualTo(IncidentActionBlocks.ACKNOWLEDGE);
      assertThat(a.value()).isEqualTo("42");
      assertThat(a.actionTs()).isEqualTo("1700000000.000100");
    });
  }

  @Test
  void aSelectedOptionGivesTheValue() {
    SlackInteraction i = SlackInteraction.parse(SlackRequests.blockActions("U123", "alice",
        IncidentActionBlocks.SILENCE, "42:4h", true, "1.2", "https://x", null));
    assertThat(i.actions().get(0).value()).isEqualTo("42:4h");
    assertThat(i.messageTs()).isNull();
  }

  @Test
  void theUserIdStandsInForAMissingName() {
    SlackInteraction i = SlackInteraction.parse("{\"type\":\"block_actions\",\"user\":{\"id\":\"U9\"},"
        + "\"actions\":[{\"action_id\":\"a\",\"action_ts\":\"1.1\"}]}");
    assertThat(i.userName()).isEqualTo("U9");
    assertThat(i.actions().get(0).value()).isNull();
  }

  @Test
  void otherPayloadTypesParseWithoutActions() {
    SlackInteraction i = SlackInteraction.parse(
        "{\"type\":\"view_closed\",\"user\":{\"id\":\"U9\",\"name\":\"bob\"}}");
    assertThat(i.type()).isEqualTo("view_closed");
    assertThat(i.actions()).isEmpty();
  }

  @Test
  void malformedPayloadsAreRefusedWithAReason() {
    assertThatThrownBy(() -> SlackInteraction.parse("{not json"))
        .isInstanceOf(MalformedInteractionException.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> SlackInteraction.parse("[1,2]"))
        .isInstanceOf(MalformedInteractionException.class).hasMessageContaining("object");
    assertThatThrownBy(() -> SlackInteraction.parse("{\"user\":{\"id\":\"U1\"}}"))
        .isInstanceOf(MalformedInteractionException.class).hasMessageContaining("type");
    assertThatThrownBy(() -> SlackInteraction.parse("{\"type\":\"block_actions\"}"))
        .isInstanceOf(MalformedInteractionException.class).hasMessageContaining("user.id");
    assertThatThrownBy(() -> SlackInteraction.parse(
        "{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"actions\":[]}"))
        .isInstanceOf(MalformedInteractionException.class).hasMessageContaining("actions");
    assertThatThrownBy(() -> SlackInteraction.parse(
        "{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"actions\":[{\"action_id\":\"a\"}]}"))
        .isInstanceOf(MalformedInteractionException.class).hasMessageContaining("action_ts");
  }
}
