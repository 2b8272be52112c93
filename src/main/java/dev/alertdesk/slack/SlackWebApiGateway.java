package dev.alertdesk.slack;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.SlackFilesUploadV2Exception;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.request.files.FilesUploadV2Request;
import com.slack.api.methods.response.files.FilesUploadV2Response;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import dev.alertdesk.delivery.DeliveryOutcome;
import dev.alertdesk.delivery.SlackCallResult;
import dev.alertdesk.delivery.SlackGateway;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@link SlackGateway} on the official Slack Java SDK ({@code com.slack.api:slack-api-client}),
 * pointed at {@code SLACK_API_URL}. Stats calls are off. Answers are classified as Alertmanager's
 * notifier does: 2xx with {@code ok: true} delivered; 429 retried after {@code Retry-After};
 * network errors, 5xx and Slack's transient error codes retried with backoff; the rest failed.
 * The token never appears in a result.
 */
public final class SlackWebApiGateway implements SlackGateway, AutoCloseable {
  /** Slack error codes worth retrying (docs.slack.dev/reference/methods/chat.postMessage). */
  private static final Set<String> TRANSIENT_ERRORS = Set.of(
      "internal_error", "fatal_error", "service_unavailable", "request_timeout",
      "ratelimited", "team_added_to_org");

  private final Slack slack;
  private final MethodsClient methods;

  /**
   * @param apiUrl the Web API base ending in {@code /}, e.g. {@code https://slack.com/api/}
   * @param botToken the {@code xoxb-} token
   */
  public SlackWebApiGateway(String apiUrl, String botToken) {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(apiUrl);
    config.setStatsEnabled(false);
    config.getMethodsConfig().setStatsEnabled(false);
    config.setPrettyResponseLoggingEnabled(false);
    config.setHttpClientReadTimeoutMillis(10_000);
    config.setHttpClientWriteTimeoutMillis(10_000);
    config.setHttpClientCallTimeoutMillis(15_000);
    this.slack = Slack.getInstance(config);
    this.methods = slack.methods(botToken);
  }

  @Override
  public SlackCallResult post(String channel, @Nullable String threadTs, String payloadJson) {
    JsonObject payload = JsonParser.parseString(payloadJson).getAsJsonObject();
    ChatPostMessageRequest request = ChatPostMessageRequest.builder()
        .channel(channel)
        .threadTs(threadTs)
        .text(text(payload))
        .blocksAsString(part(payload, "blocks"))
        .attachmentsAsString(part(payload, "attachments"))
        .unfurlLinks(false)
        .unfurlMedia(false)
        .build();
    return call(() -> {
      ChatPostMessageResponse response = methods.chatPostMessage(request);
      return response.isOk()
          ? SlackCallResult.delivered(response.getChannel(), response.getTs())
          : classify(response);
    });
  }

  @Override
  public SlackCallResult update(String channelId, String ts, String payloadJson) {
    JsonObject payload = JsonParser.parseString(payloadJson).getAsJsonObject();
    ChatUpdateRequest request = ChatUpdateRequest.builder()
        .channel(channelId)
        .ts(ts)
        .text(text(payload))
        .blocksAsString(part(payload, "blocks"))
        .attachmentsAsString(part(payload, "attachments"))
        .build();
    return call(() -> {
      var response = methods.chatUpdate(request);
      return response.isOk()
          ? SlackCallResult.delivered(response.getChannel(), response.getTs())
          : classify(response);
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs the SDK's {@code filesUploadV2} without its trailing {@code files.info} call. A
   * failed upload to the URL Slack handed out ({@code SlackFilesUploadV2Exception}) is retried;
   * an error answer of {@code files.getUploadURLExternal} or {@code files.completeUploadExternal}
   * inside it (such as {@code missing_scope}) is classified as that answer.
   */
  @Override
  public SlackCallResult upload(String channelId, String threadTs, String fileName, String title,
      byte[] data, @Nullable String initialComment) {
    FilesUploadV2Request request = FilesUploadV2Request.builder()
        .channel(channelId)
        .threadTs(threadTs)
        .filename(fileName)
        .title(title)
        .fileData(data)
        .initialComment(initialComment)
        .requestFileInfo(false)
        .build();
    return call(() -> {
      try {
        FilesUploadV2Response response = methods.filesUploadV2(request);
        return response.isOk() ? SlackCallResult.delivered(channelId, null) : classify(response);
      } catch (SlackFilesUploadV2Exception e) {
        // Slack's own refusal (missing_scope without files:write, not_in_channel, …) is
        // classified like any answer; only a failed transfer to the upload URL is retried.
        for (var step : e.getGetURLResponses()) {
          if (step != null && !step.isOk()) {
            return classify(step);
          }
        }
        if (e.getCompleteResponse() != null && !e.getCompleteResponse().isOk()) {
          return classify(e.getCompleteResponse());
        }
        return SlackCallResult.failure(DeliveryOutcome.RETRY, "file upload failed");
      }
    });
  }

  /** One Web API call whose checked failures are classified in {@link #call}. */
  private interface ApiCall {
    SlackCallResult run() throws IOException, SlackApiException;
  }

  /** Runs a call and classifies every way it can fail; never throws. */
  private static SlackCallResult call(ApiCall apiCall) {
    try {
      return apiCall.run();
    } catch (SlackApiException e) {
      return classify(e);
    } catch (IOException e) {
      return SlackCallResult.failure(DeliveryOutcome.RETRY, "network: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (RuntimeException e) {
      return unreadable(e);
    }
  }

  private static SlackCallResult classify(SlackApiTextResponse response) {
    String error = response.getError() == null ? "unknown_error" : response.getError();
    if (error.equals("ratelimited")) {
      return SlackCallResult.rateLimited(Duration.ofSeconds(1));
    }
    return SlackCallResult.failure(
        TRANSIENT_ERRORS.contains(error) ? DeliveryOutcome.RETRY : DeliveryOutcome.FAILED, error);
  }

  private static SlackCallResult classify(SlackApiException e) {
    int code = e.getResponse().code();
    if (code == 429) {
      return SlackCallResult.rateLimited(retryAfter(e.getResponse().header("Retry-After")));
    }
    String error = e.getError() != null && e.getError().getError() != null
        ? e.getError().getError() : "http_" + code;
    if (code >= 500 || code == 408) {
      return SlackCallResult.failure(DeliveryOutcome.RETRY, error);
    }
    return SlackCallResult.failure(DeliveryOutcome.FAILED, error);
  }

  /**
   * A 2xx answer the SDK could not parse (a proxy's HTML page, a truncated body): whether Slack
   * acted is unknown, so retry with backoff rather than let the exception escape the worker,
   * which would leave the job leased and retried without backoff or attempt count.
   */
  private static SlackCallResult unreadable(RuntimeException e) {
    return SlackCallResult.failure(DeliveryOutcome.RETRY,
        "unreadable answer: " + e.getClass().getSimpleName());
  }

  /** Parses {@code Retry-After} in seconds; 1 s when absent or unreadable, at most 1 hour. */
  static Duration retryAfter(@Nullable String header) {
    if (header == null) {
      return Duration.ofSeconds(1);
    }
    try {
      long seconds = Long.parseLong(header.trim());
      return Duration.ofSeconds(Math.max(0, Math.min(seconds, 3600)));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(1);
    }
  }

  private static @Nullable String text(JsonObject payload) {
    JsonElement text = payload.get("text");
    return text == null || text.isJsonNull() ? null : text.getAsString();
  }

  private static @Nullable String part(JsonObject payload, String name) {
    JsonElement part = payload.get(name);
    return part == null || part.isJsonNull() ? null : part.toString();
  }

  /** Releases the SDK's HTTP client. */
  @Override
  public void close() throws Exception {
    slack.close();
  }
}
