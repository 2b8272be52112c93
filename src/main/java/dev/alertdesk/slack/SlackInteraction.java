package dev.alertdesk.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@code block_actions} interaction payload (docs.slack.dev/reference/interaction-payloads/
 * block_actions-payload), reduced to what Alertdesk acts on.
 *
 * @param type the payload type, {@code block_actions}
 * @param userId who clicked (Slack user ID)
 * @param userName their user name ({@code user.username}, else {@code user.name}, else the ID)
 * @param channelId the channel of the message, or null
 * @param messageTs the ts of the message clicked in, or null
 * @param responseUrl where to send ephemeral replies (valid 30 minutes, 5 uses), or null
 * @param triggerId the trigger ID of the click
 * @param actions the actions, at least one
 */
public record SlackInteraction(
    String type,
    String userId,
    String userName,
    @Nullable String channelId,
    @Nullable String messageTs,
    @Nullable String responseUrl,
    String triggerId,
    List<Action> actions) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the actions. */
  public SlackInteraction {
    actions = List.copyOf(actions);
  }

  /**
   * One action of the payload.
   *
   * @param actionId the element's {@code action_id}
   * @param blockId the block's {@code block_id}, or null
   * @param value the button's {@code value}, or the selected option's value for a select; null
   *     when neither is present (link buttons)
   * @param actionTs Slack's {@code action_ts}, unique per click
   */
  public record Action(String actionId, @Nullable String blockId, @Nullable String value,
      String actionTs) {}

  /**
   * Parses the {@code payload} form field of an interaction request.
   *
   * @param payloadJson the JSON text
   * @return the interaction
   * @throws MalformedInteractionException naming what is missing or unreadable
   */
  public static SlackInteraction parse(String payloadJson) {
    JsonNode root;
    try {
      root = JSON.readTree(payloadJson);
    } catch (JsonProcessingException e) {
      throw new MalformedInteractionException("payload is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedInteractionException("payload is not a JSON object");
    }
    String type = text(root, "type");
    if (type == null) {
      throw new MalformedInteractionException("payload.type is missing");
    }
    JsonNode user = root.path("user");
    String userId = text(user, "id");
    if (userId == null) {
      throw new MalformedInteractionException("payload.user.id is missing");
    }
    String userName = text(user, "username");
    if (userName == null) {
      userName = text(user, "name");
    }
    String channelId = text(root.path("channel"), "id");
    if (channelId == null) {
      channelId = text(root.path("container"), "channel_id");
    }
    String messageTs = text(root.path("container"), "message_ts");
    if (messageTs == null) {
      messageTs = text(root.path("message"), "ts");
    }
    List<Action> actions = new ArrayList<>();
    JsonNode list = root.path("actions");
    if ("block_actions".equals(type)) {
      if (!list.isArray() || list.isEmpty()) {
        throw new MalformedInteractionException("payload.actions is missing or empty");
      }
      for (JsonNode a : list) {
        String actionId = text(a, "action_id");
        String actionTs = text(a, "action_ts");
        if (actionId == null || actionTs == null) {
          throw new MalformedInteractionException("payload.actions[] needs action_id and action_ts");
        }
        String value = text(a, "value");
        if (value == null) {
          value = text(a.path("selected_option"), "value");
        }
        actions.add(new Action(actionId, text(a, "block_id"), value, actionTs));
      }
    }
    String triggerId = text(root, "trigger_id");
    return new SlackInteraction(type, userId, userName == null ? userId : userName, channelId,
        messageTs, text(root, "response_url"), triggerId == null ? "" : triggerId, actions);
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isValueNode() || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }
}
