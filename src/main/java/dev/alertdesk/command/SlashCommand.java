package dev.alertdesk.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One slash command invocation as Slack sends it (docs.slack.dev/interactivity/
 * implementing-slash-commands, "app_command payload"): form fields over HTTP, the same names as a
 * JSON object inside a Socket Mode {@code slash_commands} envelope.
 *
 * @param command the command typed, such as {@code /alertdesk}
 * @param text everything after the command, possibly empty; untrusted
 * @param userId who typed it (Slack user ID)
 * @param userName their user name, or the ID when Slack sent none
 * @param channelId the channel it was typed in (a Slack channel ID)
 * @param responseUrl where to answer ephemerally (valid 30 minutes, 5 uses), or null
 * @param triggerId Slack's {@code trigger_id}, unique per invocation: the idempotency key
 */
public record SlashCommand(String command, String text, String userId, String userName,
    String channelId, @Nullable String responseUrl, String triggerId) {

  /**
   * Reads the form fields of {@code POST /slack/commands}.
   *
   * @param field a form field by name, or null when absent
   * @throws MalformedCommandException naming a missing field
   */
  public static SlashCommand fromFields(Function<String, @Nullable String> field) {
    String userId = required(field, "user_id");
    String userName = field.apply("user_name");
    String text = field.apply("text");
    return new SlashCommand(required(field, "command"), text == null ? "" : text, userId,
        userName == null || userName.isBlank() ? userId : userName,
        required(field, "channel_id"), blankToNull(field.apply("response_url")),
        required(field, "trigger_id"));
  }

  /** Reads the {@code payload} of a Socket Mode {@code slash_commands} envelope. */
  public static SlashCommand fromJson(JsonNode payload) {
    return fromFields(name -> {
      JsonNode v = payload.get(name);
      return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
    });
  }

  /** Reads form fields already decoded into a map. */
  public static SlashCommand fromMap(Map<String, String> fields) {
    return fromFields(fields::get);
  }

  private static String required(Function<String, @Nullable String> field, String name) {
    String v = field.apply(name);
    if (v == null || v.isBlank()) {
      throw new MalformedCommandException("slash command field " + name + " is missing");
    }
    return v;
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
