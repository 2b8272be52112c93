package dev.alertdesk.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Builds and sends requests to {@code POST /slack/events} exactly as Slack does
 * (docs.slack.dev/authentication/verifying-requests-from-slack): the body form-encoded as
 * {@code payload=<JSON>}, {@code X-Slack-Request-Timestamp} in Unix seconds, and
 * {@code X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{ts}:{body}" keyed with the signing
 * secret>}. Computed here independently of the service's verifier.
 */
public final class SlackRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String url;
  private final String signingSecret;
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * @param baseUrl the service, e.g. {@code http://127.0.0.1:3031}
   * @param signingSecret the app's signing secret
   */
  public SlackRequests(String baseUrl, String signingSecret) {
    this.url = baseUrl + "/slack/events";
    this.signingSecret = signingSecret;
  }

  /** Computes Slack's signature header value for a body sent at {@code timestamp}. */
  public static String signature(String secret, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
      return "v0=" + HexFormat.of().formatHex(digest);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns {@code payload=<urlencoded JSON>}, the body of an interaction request. */
  public static String formBody(String payloadJson) {
    return "payload=" + URLEncoder.encode(payloadJson, StandardCharsets.UTF_8);
  }

  /**
   * A {@code block_actions} payload for one click.
   *
   * @param userId who clicked
   * @param userName their user name
   * @param actionId the element's action_id
   * @param value the button value or the selected option's value
   * @param select true for a static select (value in {@code selected_option})
   * @param actionTs unique per click
   * @param responseUrl where ephemeral replies go
   * @param messageTs the parent message clicked in, or null
   */
  public static String blockActions(String userId, String userName, String actionId,
      String value, boolean select, String actionTs, String responseUrl,
      @Nullable String messageTs) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", "block_actions");
    root.putObject("user").put("id", userId).put("username", userName).put("name", userName)
        .put("team_id", "T0STANDIN");
    root.put("api_app_id", "A0STANDIN");
    root.put("trigger_id", "1337." + actionTs);
    root.putObject("team").put("id", "T0STANDIN").put("domain", "standin");
    ObjectNode container = root.putObject("container");
    container.put("type", "message_attachment");
    container.put("channel_id", SlackStandIn.CHANNEL_ID);
    if (messageTs != null) {
      container.put("message_ts", messageTs);
    }
    root.putObject("channel").put("id", SlackStandIn.CHANNEL_ID).put("name", "alerts");
    root.put("response_url", responseUrl);
    ArrayNode actions = root.putArray("actions");
    ObjectNode a = actions.addObject();
    a.put("action_id", actionId);
    a.put("block_id", "incident_actions");
    a.put("action_ts", actionTs);
    if (select) {
      a.put("type", "static_select");
      a.putObject("selected_option").put("value", value)
          .putObject("text").put("type", "plain_text").put("text", value);
    } else {
      a.put("type", "button");
      a.put("value", value);
    }
    return root.toString();
  }

  /** Sends a signed interaction with the current time. */
  public HttpResponse<String> sendInteraction(String payloadJson) {
    return send(formBody(payloadJson), "application/x-www-form-urlencoded",
        String.valueOf(Instant.now().getEpochSecond()), null);
  }

  /**
   * Sends a body signed with this signing secret at {@code timestamp}.
   *
   * @param body the raw body
   * @param contentType its content type
   * @param timestamp the X-Slack-Request-Timestamp value
   * @param retryNum the X-Slack-Retry-Num header, or null
   */
  public HttpResponse<String> send(String body, String contentType, String timestamp,
      @Nullable String retryNum) {
    return sendRaw(body, contentType, timestamp, signature(signingSecret, timestamp, body), retryNum);
  }

  /** Sends a body with the given headers (null leaves a header out). */
  public HttpResponse<String> sendRaw(String body, String contentType, @Nullable String timestamp,
      @Nullable String signature, @Nullable String retryNum) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (timestamp != null) {
      b.header("X-Slack-Request-Timestamp", timestamp);
    }
    if (signature != null) {
      b.header("X-Slack-Signature", signature);
    }
    if (retryNum != null) {
      b.header("X-Slack-Retry-Num", retryNum).header("X-Slack-Retry-Reason", "http_timeout");
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("request to " + url + " failed", e);
    }
  }
}
