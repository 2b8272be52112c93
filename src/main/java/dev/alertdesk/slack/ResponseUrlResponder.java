package dev.alertdesk.slack;

import static net.logstash.logback.argument.StructuredArguments.kv;

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
 *
 * <p>Only {@code https://hooks.slack.com/} URLs are called, where Slack's response URLs live, so a
 * signed payload cannot make Alertdesk post to another host; {@link #forSlackApi} lifts that when
 * {@code SLACK_API_URL} points elsewhere (a test stand-in).
 */
public final class ResponseUrlResponder {
  private static final Logger log = LoggerFactory.getLogger(ResponseUrlResponder.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where Slack's response URLs live. */
  public static final String SLACK_RESPONSE_PREFIX = "https://hooks.slack.com/";
  /** The default {@code SLACK_API_URL}. */
  private static final String SLACK_API = "https://slack.com/api/";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final boolean anyHost;

  /** A responder that calls Slack's response URLs only. */
  public ResponseUrlResponder() {
    this(false);
  }

  private ResponseUrlResponder(boolean anyHost) {
    this.anyHost = anyHost;
  }

  /**
   * Returns the responder for a configured Web API base: Slack-only for Slack's own
   * ({@code https://slack.com/api/}), any http(s) URL when it was overridden (tests point both
   * at a loopback stand-in).
   *
   * @param slackApiUrl the {@code SLACK_API_URL} setting
   */
  public static ResponseUrlResponder forSlackApi(String slackApiUrl) {
    return new ResponseUrlResponder(!SLACK_API.equals(slackApiUrl));
  }

  /** Returns true when a reply may be posted to {@code responseUrl}. */
  boolean allows(String responseUrl) {
    return anyHost ? dev.alertdesk.config.Urls.isHttpLink(responseUrl)
        : responseUrl.startsWith(SLACK_RESPONSE_PREFIX);
  }

  /**
   * Posts an ephemeral message.
   *
   * @param responseUrl the interaction's {@code response_url}
   * @param mrkdwn the text, Slack mrkdwn
   * @return true when Slack answered 2xx; false when it did not, or the URL is not Slack's
   */
  public boolean ephemeral(String responseUrl, String mrkdwn) {
    if (!allows(responseUrl)) {
      log.warn("ephemeral reply not sent: response_url is not on {}", SLACK_RESPONSE_PREFIX);
      return false;
    }
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
        log.warn("ephemeral reply refused {}", kv("status", response.statusCode()));
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
