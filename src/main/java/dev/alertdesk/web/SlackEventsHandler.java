package dev.alertdesk.web;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.action.ActionDispatcher;
import dev.alertdesk.slack.MalformedInteractionException;
import dev.alertdesk.slack.SlackInteraction;
import dev.alertdesk.slack.SlackSignatureVerifier;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /slack/events}: Slack interactivity and the Events API. Every request must carry a
 * valid v0 signature ({@link SlackSignatureVerifier}); one that does not is answered 401 and has
 * no other effect. Then: a JSON {@code url_verification} is answered with its {@code challenge};
 * other Events API callbacks are acknowledged and ignored; a form-encoded interaction
 * ({@code payload=…}) is parsed (400 when malformed) and handed to the {@link ActionDispatcher},
 * which records it; it is answered 200 at once, its work running after the answer (Slack wants an answer within 3 s). 404 when interactivity is off
 * ({@code SLACK_SIGNING_SECRET} unset); 503 when the click cannot be recorded.
 */
final class SlackEventsHandler implements Handler {
  private static final Logger log = LoggerFactory.getLogger(SlackEventsHandler.class);

  private final @Nullable SlackSignatureVerifier verifier;
  private final @Nullable ActionDispatcher actions;

  /**
   * @param verifier checks signatures, or null when interactivity is off
   * @param actions records clicks and hands them to their action handlers, or null when
   *     interactivity is off
   */
  SlackEventsHandler(@Nullable SlackSignatureVerifier verifier,
      @Nullable ActionDispatcher actions) {
    this.verifier = verifier;
    this.actions = actions;
  }

  @Override
  public void handle(Context ctx) {
    if (verifier == null || actions == null) {
      JsonResponses.error(ctx, 404, "Slack interactivity is off: SLACK_SIGNING_SECRET is not set");
      return;
    }
    byte[] body = ctx.bodyAsBytes();
    SlackSignatureVerifier.Verdict verdict = verifier.verify(
        ctx.header("X-Slack-Request-Timestamp"), ctx.header("X-Slack-Signature"), body);
    if (verdict != SlackSignatureVerifier.Verdict.VALID) {
      log.warn("slack request refused {} {}", kv("reason", verdict.name().toLowerCase(
          java.util.Locale.ROOT)), kv("remote", ctx.ip()));
      JsonResponses.error(ctx, 401, "invalid Slack request signature");
      return;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    String contentType = ctx.contentType() == null ? "" : ctx.contentType();
    if (contentType.startsWith("application/json")) {
      events(ctx, text);
      return;
    }
    String payload = formField(text, "payload");
    if (payload == null) {
      JsonResponses.error(ctx, 400, "expected a form field named payload");
      return;
    }
    SlackInteraction interaction;
    try {
      interaction = SlackInteraction.parse(payload);
    } catch (MalformedInteractionException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    String retry = ctx.header("X-Slack-Retry-Num");
    ActionDispatcher.Acceptance acceptance = actions.accept(interaction, payload);
    log.debug("slack interaction {} {} {} {}",
        acceptance.name().toLowerCase(java.util.Locale.ROOT), kv("type", interaction.type()),
        kv("user_id", interaction.userId()), kv("retry_num", retry));
    ctx.status(200).result("");
  }

  private static void events(Context ctx, String text) {
    JsonNode event;
    try {
      event = JsonResponses.MAPPER.readTree(text);
    } catch (IOException e) {
      JsonResponses.error(ctx, 400, "body is not JSON");
      return;
    }
    if (event == null || !event.isObject() || !event.hasNonNull("type")) {
      JsonResponses.error(ctx, 400, "an Events API body needs a type");
      return;
    }
    if ("url_verification".equals(event.get("type").asText())) {
      JsonNode challenge = event.get("challenge");
      if (challenge == null || !challenge.isTextual()) {
        JsonResponses.error(ctx, 400, "url_verification needs a challenge");
        return;
      }
      JsonResponses.json(ctx, 200, Map.of("challenge", challenge.asText()));
      return;
    }
    log.debug("slack event ignored {}", kv("type", event.get("type").asText()));
    ctx.status(200).result("");
  }

  /** Reads one field of an {@code application/x-www-form-urlencoded} body, or null. */
  static @Nullable String formField(String body, String name) {
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      try {
        if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
          return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }
}
