package dev.alertdesk.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A Slack Web API stand-in on loopback, reached through the real Slack SDK via
 * {@code SLACK_API_URL}. It answers {@code chat.postMessage} and {@code chat.update} like Slack
 * (ok, channel ID, ts), records every call, and can be scripted to fail: queued faults are
 * answered first, one per call. It also serves a {@code response_url} for interactions and
 * records the ephemeral replies posted to it.
 *
 * <p>It also serves the file upload flow of {@code filesUploadV2}
 * (docs.slack.dev/messaging/working-with-files): {@code files.getUploadURLExternal} hands out an
 * upload URL on this server, the upload to it is recorded with its bytes, and
 * {@code files.completeUploadExternal} shares the file into a channel and thread; see
 * {@link #uploads()}. {@code files.info} answers the file's id.
 *
 * <p>{@code conversations.history} (scope {@code channels:history}) answers the top-level
 * messages posted so far, newest first, from {@code oldest} on, {@code limit} per page with a
 * {@code next_cursor}; each carries the {@code metadata} it was posted with when
 * {@code include_all_metadata=true}, as Slack does (docs.slack.dev/reference/methods/conversations.history).
 * Every post answers {@link #CHANNEL_ID}, so that is the one channel with a history.
 */
public final class SlackStandIn implements AutoCloseable {
  /** The channel ID every post answers with. */
  public static final String CHANNEL_ID = "C0STANDIN";

  /**
   * One recorded call.
   *
   * @param method the Web API method, e.g. {@code chat.postMessage}
   * @param params the form parameters
   * @param authorization the Authorization header
   * @param status the HTTP status answered
   * @param ok true when the call was answered like Slack answers success ({@code ok: true}),
   *     false when a fault was answered instead
   * @param response the body answered
   * @param receivedAt when the request had been read, before it was answered
   */
  public record Call(String method, Map<String, String> params, String authorization, int status,
      boolean ok, String response, java.time.Instant receivedAt) {
    private static final java.util.regex.Pattern TS =
        java.util.regex.Pattern.compile("\"ts\":\"([^\"]*)\"");

    /** Returns a form parameter or null. */
    public String param(String name) {
      return params.get(name);
    }

    /** Returns the {@code ts} the stand-in answered (of the message posted or updated), or null. */
    public String answeredTs() {
      java.util.regex.Matcher m = TS.matcher(response);
      return m.find() ? m.group(1) : null;
    }
  }

  /**
   * A scripted fault.
   *
   * @param status HTTP status to answer
   * @param retryAfterSeconds value of Retry-After, or null
   * @param body response body
   */
  public record Fault(int status, Integer retryAfterSeconds, String body) {
    /** HTTP 429 with {@code Retry-After: seconds}, as Slack rate-limits. */
    public static Fault rateLimited(int seconds) {
      return new Fault(429, seconds, "{\"ok\":false,\"error\":\"ratelimited\"}");
    }

    /** An HTTP error status with a non-JSON body, as a failing load balancer answers. */
    public static Fault httpError(int status) {
      return new Fault(status, null, "<html>" + status + " upstream error</html>");
    }

    /** HTTP 200 with {@code ok: false} and a Slack error code, e.g. {@code invalid_auth}. */
    public static Fault slackError(String error) {
      return new Fault(200, null, "{\"ok\":false,\"error\":\"" + error + "\"}");
    }

    /** No answer at all: the connection is closed after the request is read. */
    public static Fault disconnect() {
      return new Fault(DISCONNECT, null, "");
    }
  }

  /**
   * A file shared with {@code files.completeUploadExternal}.
   *
   * @param fileId the id handed out by {@code files.getUploadURLExternal}
   * @param filename the file name given when asking for the upload URL
   * @param title the title given on completion, or null
   * @param bytes what was uploaded to the upload URL
   * @param channelId the {@code channel_id} it was shared into
   * @param threadTs the {@code thread_ts} it was shared into, or null
   * @param initialComment the {@code initial_comment}, or null
   */
  public record Upload(String fileId, String filename, String title, byte[] bytes,
      String channelId, String threadTs, String initialComment) {}

  /** The {@link Fault#status()} that means "close the connection without answering". */
  public static final int DISCONNECT = -1;

  private final HttpServer server;
  private final List<Call> calls = new ArrayList<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  /** The last ts handed out, in microseconds since the epoch. */
  private long lastTsMicros;
  private final AtomicLong fileCounter = new AtomicLong();
  private final Map<String, String> requestedNames = new LinkedHashMap<>();
  private final Map<String, byte[]> uploadedBytes = new LinkedHashMap<>();
  private final List<Upload> uploads = new ArrayList<>();
  private final List<String> responses = new ArrayList<>();
  private @Nullable Set<String> scopes;
  private @Nullable SocketModeStandIn socketMode;
  private volatile java.time.Duration responseDelay = java.time.Duration.ZERO;
  private final Map<String, String> refused = new LinkedHashMap<>();
  /** Top-level messages posted, oldest first: ts and metadata JSON (or null). */
  private final List<String[]> history = new ArrayList<>();
  private final Map<String, List<String>> usergroups = new LinkedHashMap<>();

  /** Starts the stand-in on a free loopback port. */
  public SlackStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/", this::handle);
    server.createContext("/upload/", this::receiveUpload);
    server.createContext("/response/", this::respond);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  /** Returns the base URL to use as {@code SLACK_API_URL}, ending in {@code /}. */
  public String apiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
  }

  /**
   * Gives the bot token only these scopes from now on (by default it has every scope): a method
   * that needs another one ({@code chat.*} needs {@code chat:write}, {@code files.*} needs
   * {@code files:write}) is answered as Slack answers it, HTTP 200 with
   * {@code {"ok":false,"error":"missing_scope","needed":…,"provided":…}}.
   */
  public synchronized void grantOnly(String... granted) {
    scopes = Set.of(granted);
  }

  /** The scope a method needs, or null when the stand-in does not check it. */
  private static @Nullable String neededScope(String method) {
    return method.startsWith("chat.") ? "chat:write"
        : method.startsWith("files.") ? "files:write"
        : method.equals("conversations.history") ? "channels:history"
        : method.startsWith("usergroups.") ? "usergroups:read" : null;
  }

  /**
   * Defines a user group for {@code usergroups.users.list} (Slack docs:
   * docs.slack.dev/reference/methods/usergroups.users.list): its members from now on. A group
   * never defined is answered {@code no_such_subteam}. Slack's free plan is
   * {@code refuse("usergroups.users.list", "plan_upgrade_required")}.
   */
  public synchronized void usergroup(String id, String... members) {
    usergroups.put(id, List.of(members));
  }

  /** Answers {@code usergroups.users.list}; called under the lock. */
  private String usergroupMembers(Map<String, String> params) {
    List<String> members = usergroups.get(params.getOrDefault("usergroup", ""));
    if (members == null) {
      return "{\"ok\":false,\"error\":\"no_such_subteam\"}";
    }
    StringBuilder users = new StringBuilder();
    for (String m : members) {
      users.append(users.length() == 0 ? "" : ",").append('"').append(m).append('"');
    }
    return "{\"ok\":true,\"users\":[" + users + "]}";
  }

  /**
   * Answers every later call of {@code method} with {@code {"ok":false,"error":…}} (HTTP 200),
   * as Slack answers a token without the needed scope ({@code missing_scope}).
   */
  public synchronized void refuse(String method, String error) {
    refused.put(method, error);
  }

  /**
   * Serves {@code apps.connections.open} from now on: an app-level token ({@code Bearer xapp-…})
   * gets a fresh URL of {@code socketMode}; any other token gets {@code invalid_auth}, as Slack
   * answers a bot token there.
   */
  public synchronized void serveSocketMode(SocketModeStandIn server) {
    socketMode = server;
  }

  /**
   * Makes every later post to {@link #responseUrl()} take this long before it is answered: slow
   * work for the service's action and command threads.
   */
  public void delayResponses(java.time.Duration delay) {
    responseDelay = delay;
  }

  /** Answers {@code method} normally again after {@link #refuse}. */
  public synchronized void allow(String method) {
    refused.remove(method);
  }

  /** Queues faults answered, in order, to the next calls. */
  public synchronized void failNext(Fault... next) {
    faults.addAll(List.of(next));
  }

  /** Returns a copy of every call so far, in arrival order. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Returns the calls of one method that succeeded (answered {@code ok: true}). */
  public synchronized List<Call> successful(String method) {
    return calls.stream().filter(c -> c.method().equals(method) && c.ok()).toList();
  }

  /** Returns every call that succeeded, in arrival order. */
  public synchronized List<Call> successful() {
    return calls.stream().filter(Call::ok).toList();
  }

  /** Returns how many queued faults are still to be answered. */
  public synchronized int pendingFaults() {
    return faults.size();
  }

  /** Returns the successful {@code chat.postMessage} calls without {@code thread_ts}: new parent messages. */
  public synchronized List<Call> parentPosts() {
    return successful("chat.postMessage").stream().filter(c -> c.param("thread_ts") == null).toList();
  }

  /** Returns the successful {@code chat.postMessage} calls in the thread of the message {@code ts}. */
  public synchronized List<Call> threadReplies(String ts) {
    return successful("chat.postMessage").stream().filter(c -> ts.equals(c.param("thread_ts"))).toList();
  }

  /** Returns the successful {@code chat.update} calls of the message {@code ts}. */
  public synchronized List<Call> updates(String ts) {
    return successful("chat.update").stream().filter(c -> ts.equals(c.param("ts"))).toList();
  }

  /**
   * Returns a {@code response_url} for interaction payloads: messages posted to it are recorded
   * as Slack records ephemeral replies (see {@link #responses()}).
   */
  public String responseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/response/T0STANDIN/1/abc";
  }

  /** Returns the JSON bodies posted to {@link #responseUrl()}, in arrival order. */
  public synchronized List<String> responses() {
    return List.copyOf(responses);
  }

  private void respond(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (!responseDelay.isZero()) {
      try {
        Thread.sleep(responseDelay.toMillis()); // a slow Slack, not a wait in a test
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      responses.add(body);
    }
    byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, ok.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(ok);
    }
  }

  /** Forgets recorded calls. */
  public synchronized void reset() {
    calls.clear();
  }

  /** Returns the files shared so far (upload and completion both done), in order. */
  public synchronized List<Upload> uploads() {
    return List.copyOf(uploads);
  }

  /** Returns the files shared into the thread of the message {@code ts}. */
  public synchronized List<Upload> uploadsInThread(String ts) {
    return uploads.stream().filter(u -> ts.equals(u.threadTs())).toList();
  }

  private void receiveUpload(HttpExchange exchange) throws IOException {
    String fileId = exchange.getRequestURI().getPath().substring("/upload/".length());
    byte[] body = exchange.getRequestBody().readAllBytes();
    boolean known;
    synchronized (this) {
      known = requestedNames.containsKey(fileId);
      if (known) {
        uploadedBytes.put(fileId, body);
      }
    }
    byte[] answer = (known ? "OK - " + body.length : "unknown upload").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(known ? 200 : 404, answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }

  /** Answers the files.* methods of the upload flow; called under the lock. */
  private String fileMethod(String method, Map<String, String> params) {
    switch (method) {
      case "files.getUploadURLExternal" -> {
        String fileId = "F0STANDIN" + fileCounter.incrementAndGet();
        requestedNames.put(fileId, params.getOrDefault("filename", ""));
        return "{\"ok\":true,\"upload_url\":\"http://127.0.0.1:" + server.getAddress().getPort()
            + "/upload/" + fileId + "\",\"file_id\":\"" + fileId + "\"}";
      }
      case "files.completeUploadExternal" -> {
        java.util.regex.Matcher ids = java.util.regex.Pattern
            .compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(params.getOrDefault("files", ""));
        java.util.regex.Matcher title = java.util.regex.Pattern
            .compile("\"title\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
            .matcher(params.getOrDefault("files", ""));
        String t = title.find() ? title.group(1) : null;
        StringBuilder files = new StringBuilder();
        while (ids.find()) {
          String id = ids.group(1);
          byte[] bytes = uploadedBytes.get(id);
          if (bytes == null) {
            return "{\"ok\":false,\"error\":\"file_not_found\"}";
          }
          uploads.add(new Upload(id, requestedNames.get(id), t, bytes,
              params.get("channel_id"), params.get("thread_ts"), params.get("initial_comment")));
          files.append(files.length() == 0 ? "" : ",").append("{\"id\":\"").append(id)
              .append("\"}");
        }
        return "{\"ok\":true,\"files\":[" + files + "]}";
      }
      case "files.info" -> {
        return "{\"ok\":true,\"file\":{\"id\":\"" + params.getOrDefault("file", "") + "\"}}";
      }
      default -> {
        return "{\"ok\":false,\"error\":\"unknown_method\"}";
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestURI().getPath().substring("/api/".length());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    java.time.Instant receivedAt = java.time.Instant.now();
    Map<String, String> params = parseForm(body);
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    Fault fault;
    String ts;
    synchronized (this) {
      String needed = neededScope(method);
      String refusal = refused.get(method);
      fault = scopes != null && needed != null && !scopes.contains(needed)
          ? Fault.slackError("missing_scope\",\"needed\":\"" + needed + "\",\"provided\":\""
              + String.join(",", new java.util.TreeSet<>(scopes)))
          : refusal != null ? Fault.slackError(refusal) : faults.poll();
      ts = nextTs();
    }
    int status;
    String response;
    if (fault != null) {
      status = fault.status();
      response = fault.body();
      if (fault.retryAfterSeconds() != null) {
        exchange.getResponseHeaders().add("Retry-After", String.valueOf(fault.retryAfterSeconds()));
      }
    } else {
      status = 200;
      response = switch (method) {
        case "chat.postMessage" -> "{\"ok\":true,\"channel\":\"" + CHANNEL_ID + "\",\"ts\":\"" + ts
            + "\",\"message\":{\"type\":\"message\",\"ts\":\"" + ts + "\"}}";
        case "conversations.history" -> {
          synchronized (this) {
            yield history(params);
          }
        }
        case "chat.update" -> "{\"ok\":true,\"channel\":\"" + params.getOrDefault("channel", "")
            + "\",\"ts\":\"" + params.getOrDefault("ts", "") + "\"}";
        case "apps.connections.open" -> {
          SocketModeStandIn sm;
          synchronized (this) {
            sm = socketMode;
          }
          String bearer = auth == null ? "" : auth;
          if (!bearer.startsWith("Bearer xapp-") && !"xapp-".regionMatches(0,
              params.getOrDefault("token", ""), 0, 5)) {
            yield "{\"ok\":false,\"error\":\"invalid_auth\"}";
          }
          yield sm == null ? "{\"ok\":false,\"error\":\"socket_mode_not_enabled\"}"
              : "{\"ok\":true,\"url\":\"" + sm.newUrl() + "\"}";
        }
        case "usergroups.users.list" -> {
          synchronized (this) {
            yield usergroupMembers(params);
          }
        }
        default -> {
          synchronized (this) {
            yield fileMethod(method, params);
          }
        }
      };
    }
    synchronized (this) {
      if (fault == null && method.equals("chat.postMessage") && params.get("thread_ts") == null) {
        history.add(new String[] {ts, params.get("metadata")});
      }
      calls.add(new Call(method, params, auth == null ? "" : auth, status,
          fault == null && response.startsWith("{\"ok\":true"), response, receivedAt));
    }
    if (status == DISCONNECT) {
      exchange.close();
      return;
    }
    byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * A new message ts as Slack makes them: the wall-clock time in seconds with six digits of
   * microseconds, unique and increasing. Called under the lock.
   */
  private String nextTs() {
    java.time.Instant now = java.time.Instant.now();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    lastTsMicros = Math.max(micros, lastTsMicros + 1);
    return String.format(java.util.Locale.ROOT, "%d.%06d", lastTsMicros / 1_000_000,
        lastTsMicros % 1_000_000);
  }

  /** Answers {@code conversations.history}; called under the lock. */
  private String history(Map<String, String> params) {
    if (!CHANNEL_ID.equals(params.get("channel"))) {
      return "{\"ok\":false,\"error\":\"channel_not_found\"}";
    }
    double oldest = Double.parseDouble(params.getOrDefault("oldest", "0"));
    int limit = Integer.parseInt(params.getOrDefault("limit", "100"));
    int offset = params.get("cursor") == null || params.get("cursor").isEmpty() ? 0
        : Integer.parseInt(params.get("cursor").substring("page-".length()));
    boolean metadata = "true".equals(params.get("include_all_metadata")) || "1".equals(
        params.get("include_all_metadata"));
    List<String[]> newestFirst = new ArrayList<>();
    for (int i = history.size() - 1; i >= 0; i--) {
      if (Double.parseDouble(history.get(i)[0]) >= oldest) {
        newestFirst.add(history.get(i));
      }
    }
    StringBuilder messages = new StringBuilder();
    int end = Math.min(newestFirst.size(), offset + limit);
    for (int i = offset; i < end; i++) {
      String[] m = newestFirst.get(i);
      messages.append(messages.length() == 0 ? "" : ",")
          .append("{\"type\":\"message\",\"ts\":\"").append(m[0]).append('"');
      if (metadata && m[1] != null) {
        messages.append(",\"metadata\":").append(m[1]);
      }
      messages.append('}');
    }
    boolean more = end < newestFirst.size();
    return "{\"ok\":true,\"messages\":[" + messages + "],\"has_more\":" + more
        + ",\"response_metadata\":{\"next_cursor\":\"" + (more ? "page-" + end : "") + "\"}}";
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> params = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return params;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(k, v);
    }
    return params;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
