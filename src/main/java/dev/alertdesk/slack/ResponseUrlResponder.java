package dev.alertdesk.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends ephemeral replies, visible only to the user who clicked, through an interaction's
 * {@code response_url} (docs.slack.dev/interactivity/handling-user-interaction, "Message
 * responses"): a JSON POST of {@code {"response_type": "ephemeral", "replace_original": false,
 * "text": …}}. Best effort: a failure is logged, never thrown, because the action itself has
 * already been recorded. Thread-safe.
 */
public final class ResponseUrlResponder {
  private static final Logger log = LoggerFactory.getLogger(ResponseUrlResponder.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /**
   * Posts an ephemeral message.
   *
   * @param responseUrl the interaction's {@code response_url}
   * @param mrkdwn the text, Slack mrkdwn
   * @return true when Slack answered 2xx
   */
  public boolean ephemeral(String responseUrl, String mrkdwn) {
    ObjectNode body = JSON.createObjectNode();
    body.put("response_type", "ephemeral");
    body.put("replace_original", false);
    body.put("text", BlockKitLimits.clip(mrkdwn, BlockKitLimits.MAX_FALLBACK_TEXT_CHARS));
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(responseUrl))
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json; charset=utf-8")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        log.warn("ephemeral reply refused status={}", response.statusCode());
        return false;
      }
      return true;
    } catch (IOException | IllegalArgumentException e) {
      log.warn("ephemeral reply failed: {}", e.getClass().getSimpleName());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
