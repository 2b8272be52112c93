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
import com.slack.api.methods.request.conversations.ConversationsHistoryRequest;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.model.Message;
import com.slack.api.methods.request.files.FilesUploadV2Request;
import com.slack.api.methods.response.files.FilesUploadV2Response;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import dev.alertdesk.delivery.DeliveryOutcome;
import dev.alertdesk.delivery.SlackCallResult;
import dev.alertdesk.delivery.SlackGateway;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@link SlackGateway} on the official Slack Java SDK ({@code com.slack.api:slack-api-client}),
 * pointed at {@code SLACK_API_URL}. Stats calls are off. Every answer is classified here, in
 * {@code classify}, as Alertmanager's notifier does: 2xx with {@code ok: true} delivered; 429
 * retried after {@code Retry-After}; network errors, 5xx and Slack's transient error codes
 * retried with backoff; every other error ({@link #PERMANENT_ERRORS} and any unknown code) failed
 * at once, and recorded in {@link SlackProblems} (logged once, counted, shown by
 * {@code GET /api/status}). A file upload whose first step
 * ({@code files.getUploadURLExternal}) or last step is refused is classified by that step's
 * error, so {@code missing_scope} on a token without {@code files:write} fails at once instead of
 * being retried. The token never appears in a result.
 */
public final class SlackWebApiGateway implements SlackGateway, AutoCloseable {
  /** Slack error codes worth retrying (docs.slack.dev/reference/methods/chat.postMessage). */
  private static final Set<String> TRANSIENT_ERRORS = Set.of(
      "internal_error", "fatal_error", "service_unavailable", "request_timeout",
      "ratelimited", "team_added_to_org");

  /**
   * Slack's documented errors that retrying cannot fix (docs.slack.dev/reference/methods): the
   * token, its scopes, the channel or the message content must change first. Any other code that
   * is not in {@link #TRANSIENT_ERRORS} fails at once too; this list names the common ones.
   */
  public static final Set<String> PERMANENT_ERRORS = Set.of(
      "missing_scope", "not_in_channel", "channel_not_found", "invalid_auth", "not_authed",
      "account_inactive", "token_revoked", "token_expired", "no_permission", "is_archived",
      "msg_too_long", "invalid_blocks", "invalid_attachments", "too_many_attachments",
      "restricted_action", "ekm_access_denied", "not_allowed_token_type", "cant_update_message",
      "message_not_found", "edit_window_closed", "invalid_arguments", "invalid_arg_name");

  private final Slack slack;
  private final MethodsClient methods;
  private final @Nullable SlackProblems problems;

  /**
   * A gateway that records no problems (for tests of delivery alone).
   *
   * @param apiUrl the Web API base ending in {@code /}, e.g. {@code https://slack.com/api/}
   * @param botToken the {@code xoxb-} token
   */
  public SlackWebApiGateway(String apiUrl, String botToken) {
    this(apiUrl, botToken, null);
  }

  /**
   * @param apiUrl the Web API base ending in {@code /}, e.g. {@code https://slack.com/api/}
   * @param botToken the {@code xoxb-} token
   * @param problems where permanent errors and deliveries are recorded, or null for nowhere
   */
  public SlackWebApiGateway(String apiUrl, String botToken, @Nullable SlackProblems problems) {
    this.problems = problems;
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
          ? delivered("chat.postMessage", response.getChannel(), response.getTs())
          : classify("chat.postMessage", response);
    }, "chat.postMessage");
  }

  /** {@inheritDoc} The metadata is sent as the request's {@code metadata} field. */
  @Override
  public SlackCallResult postParent(String channel, String payloadJson, long incidentId) {
    JsonObject payload = JsonParser.parseString(payloadJson).getAsJsonObject();
    Map<String, Object> eventPayload = new LinkedHashMap<>();
    eventPayload.put("incident_id", incidentId);
    eventPayload.put("channel", channel);
    ChatPostMessageRequest request = ChatPostMessageRequest.builder()
        .channel(channel)
        .text(text(payload))
        .blocksAsString(part(payload, "blocks"))
        .attachmentsAsString(part(payload, "attachments"))
        .metadata(Message.Metadata.builder().eventType(PARENT_EVENT_TYPE)
            .eventPayload(eventPayload).build())
        .unfurlLinks(false)
        .unfurlMedia(false)
        .build();
    return call(() -> {
      ChatPostMessageResponse response = methods.chatPostMessage(request);
      return response.isOk()
          ? delivered("chat.postMessage", response.getChannel(), response.getTs())
          : classify("chat.postMessage", response);
    }, "chat.postMessage");
  }

  /** Messages asked for per {@code conversations.history} page. */
  static final int HISTORY_PAGE = 200;
  /** Pages read at most: the newest 1,000 messages since the job was created. */
  static final int HISTORY_PAGES = 5;
  private static final String HISTORY = "conversations.history";

  /**
   * {@inheritDoc}
   *
   * <p>Reads at most {@value #HISTORY_PAGES} pages of {@value #HISTORY_PAGE} messages. A
   * permanent error ({@code missing_scope} without {@code channels:history}, {@code
   * not_in_channel}, …) is not a delivery problem: it is recorded once as a note in
   * {@link SlackProblems} (a warning in the log and in {@code GET /api/status}), and the caller
   * posts as it would without the check.
   */
  @Override
  public SlackCallResult findParent(String channelId, String channel, long incidentId,
      Instant since) {
    return call(() -> {
      String cursor = null;
      for (int page = 0; page < HISTORY_PAGES; page++) {
        ConversationsHistoryRequest request = ConversationsHistoryRequest.builder()
            .channel(channelId)
            .oldest(since.getEpochSecond() + "." + String.format("%06d", since.getNano() / 1000))
            .limit(HISTORY_PAGE)
            .includeAllMetadata(true)
            .cursor(cursor)
            .build();
        ConversationsHistoryResponse response = methods.conversationsHistory(request);
        if (!response.isOk()) {
          String error = response.getError() == null ? "unknown_error" : response.getError();
          return classifyHistory(error, response.getNeeded());
        }
        if (problems != null) {
          problems.noteResolved(HISTORY);
        }
        for (Message m : response.getMessages() == null ? List.<Message>of()
            : response.getMessages()) {
          if (isParentOf(m.getMetadata(), channel, incidentId) && m.getTs() != null) {
            return SlackCallResult.delivered(channelId, m.getTs());
          }
        }
        cursor = response.getResponseMetadata() == null ? null
            : response.getResponseMetadata().getNextCursor();
        if (cursor == null || cursor.isBlank() || !response.isHasMore()) {
          break;
        }
      }
      return SlackCallResult.delivered(channelId, null);
    }, HISTORY);
  }

  /** Classifies an error answer of {@code conversations.history}: permanent ones are notes. */
  private SlackCallResult classifyHistory(String error, @Nullable String neededScope) {
    if (error.equals("ratelimited")) {
      return SlackCallResult.rateLimited(Duration.ofSeconds(1));
    }
    if (TRANSIENT_ERRORS.contains(error)) {
      return SlackCallResult.failure(DeliveryOutcome.RETRY, error);
    }
    if (problems != null) {
      problems.note(HISTORY, error, neededScope, "a parent post whose outcome is unknown after "
          + "a crash is posted again without checking the channel for it (it may show twice)");
    }
    return error.equals("missing_scope") && neededScope != null && !neededScope.isBlank()
        ? SlackCallResult.missingScope(neededScope)
        : SlackCallResult.failure(DeliveryOutcome.FAILED, error);
  }

  /** True when the metadata is the one {@link #postParent} sent for this incident and channel. */
  static boolean isParentOf(Message.@Nullable Metadata metadata, String channel,
      long incidentId) {
    if (metadata == null || !PARENT_EVENT_TYPE.equals(metadata.getEventType())
        || metadata.getEventPayload() == null) {
      return false;
    }
    Object id = metadata.getEventPayload().get("incident_id");
    Object ch = metadata.getEventPayload().get("channel");
    boolean sameId = id instanceof Number n ? n.doubleValue() == incidentId
        : id != null && String.valueOf(incidentId).equals(String.valueOf(id));
    return sameId && channel.equals(ch);
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
          ? delivered("chat.update", response.getChannel(), response.getTs())
          : classify("chat.update", response);
    }, "chat.update");
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
        if (response.isOk()) {
          if (problems != null) {
            problems.delivered(GET_UPLOAD_URL);
          }
          return delivered(COMPLETE_UPLOAD, channelId, null);
        }
        return classify(COMPLETE_UPLOAD, response);
      } catch (SlackFilesUploadV2Exception e) {
        return classify(e);
      }
    }, GET_UPLOAD_URL);
  }

  private static final String GET_UPLOAD_URL = "files.getUploadURLExternal";
  private static final String COMPLETE_UPLOAD = "files.completeUploadExternal";

  /**
   * A refused step of the upload flow: the error of {@code files.getUploadURLExternal} or
   * {@code files.completeUploadExternal} is classified like any answer; a failed transfer to the
   * upload URL Slack handed out is retried.
   */
  private SlackCallResult classify(SlackFilesUploadV2Exception e) {
    for (var r : e.getGetURLResponses() == null
        ? List.<com.slack.api.methods.response.files.FilesGetUploadURLExternalResponse>of()
        : e.getGetURLResponses()) {
      if (r != null && !r.isOk()) {
        return classify(GET_UPLOAD_URL, r);
      }
    }
    var complete = e.getCompleteResponse();
    if (complete != null && !complete.isOk()) {
      return classify(COMPLETE_UPLOAD, complete);
    }
    return SlackCallResult.failure(DeliveryOutcome.RETRY, "file upload failed");
  }

  private SlackCallResult delivered(String method, @Nullable String channelId,
      @Nullable String ts) {
    if (problems != null) {
      problems.delivered(method);
    }
    return SlackCallResult.delivered(channelId, ts);
  }

  /** One Web API call whose checked failures are classified in {@link #call}. */
  private interface ApiCall {
    SlackCallResult run() throws IOException, SlackApiException;
  }

  /** Runs a call and classifies every way it can fail; never throws. */
  private SlackCallResult call(ApiCall apiCall, String method) {
    try {
      return apiCall.run();
    } catch (SlackApiException e) {
      return classify(method, e);
    } catch (IOException e) {
      return SlackCallResult.failure(DeliveryOutcome.RETRY, "network: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (RuntimeException e) {
      return unreadable(e);
    }
  }

  /** Classifies a 2xx answer with {@code ok: false}. */
  private SlackCallResult classify(String method, SlackApiTextResponse response) {
    String error = response.getError() == null ? "unknown_error" : response.getError();
    return classify(method, error, response.getNeeded());
  }

  /**
   * The one place a Slack error code is classified: {@code ratelimited} waits, the transient
   * codes retry with backoff, everything else fails at once and is recorded as a problem.
   *
   * @param neededScope Slack's {@code needed} field of a {@code missing_scope} answer, or null
   */
  SlackCallResult classify(String method, String error, @Nullable String neededScope) {
    if (error.equals("ratelimited")) {
      return SlackCallResult.rateLimited(Duration.ofSeconds(1));
    }
    if (TRANSIENT_ERRORS.contains(error)) {
      return SlackCallResult.failure(DeliveryOutcome.RETRY, error);
    }
    if (problems != null) {
      problems.record(method, error, error.equals("missing_scope") ? neededScope : null);
    }
    return error.equals("missing_scope") && neededScope != null && !neededScope.isBlank()
        ? SlackCallResult.missingScope(neededScope)
        : SlackCallResult.failure(DeliveryOutcome.FAILED, error);
  }

  private SlackCallResult classify(String method, SlackApiException e) {
    int code = e.getResponse().code();
    if (code == 429) {
      return SlackCallResult.rateLimited(retryAfter(e.getResponse().header("Retry-After")));
    }
    String error = e.getError() != null && e.getError().getError() != null
        ? e.getError().getError() : "http_" + code;
    if (code >= 500 || code == 408) {
      return SlackCallResult.failure(DeliveryOutcome.RETRY, error);
    }
    return classify(method, error, e.getError() == null ? null : e.getError().getNeeded());
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
