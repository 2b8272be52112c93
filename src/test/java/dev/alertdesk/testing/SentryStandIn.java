package dev.alertdesk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * A Sentry stand-in on loopback, reached through the real Sentry Java SDK with a DSN pointing at
 * it ({@link #dsn()}) and through the Web API ({@link #apiUrl()}).
 *
 * <ul>
 *   <li>{@code POST /api/<project>/envelope/}: reads the envelope (newline-delimited JSON, gzip
 *       or not; develop.sentry.dev/sdk/data-model/envelopes/), checks {@code X-Sentry-Auth}
 *       names the DSN's key, and keeps each event once per event id, as Sentry does; events are
 *       grouped into issues by their fingerprint, and an event of a resolved issue reopens it
 *       (a regression);</li>
 *   <li>{@code GET /api/0/organizations/<org>/eventids/<id>/}: the event's issue
 *       ({@code groupId}) and project, or 404;</li>
 *   <li>{@code PUT /api/0/organizations/<org>/issues/<id>/}: sets the issue's status.</li>
 * </ul>
 *
 * <p>Faults can be queued per endpoint ({@link #failNextEnvelopes}, {@link #failNextApiCalls});
 * each is answered, in order, instead of the real answer.
 */
public final class SentryStandIn implements AutoCloseable {
  /** The DSN's public key. */
  public static final String PUBLIC_KEY = "5ca1ab1e0ddba11c0ffee5ca1ab1e0dd";
  /** The project id in the DSN. */
  public static final String PROJECT_ID = "42";
  /** The project slug the event lookup answers with. */
  public static final String PROJECT_SLUG = "alerts";
  /** The organization slug the Web API accepts. */
  public static final String ORG = "acme";
  /** The auth token the Web API accepts. */
  public static final String TOKEN = "sntrys_standInToken_9f8e7d6c5b4a";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A scripted fault.
   *
   * @param status the HTTP status
   * @param headers response headers, e.g. {@code Retry-After}
   */
  public record Fault(int status, Map<String, String> headers) {
    /** HTTP 429 with {@code Retry-After: seconds}. */
    public static Fault rateLimited(int seconds) {
      return new Fault(429, Map.of("Retry-After", String.valueOf(seconds)));
    }

    /** An HTTP error status without headers, e.g. 503. */
    public static Fault status(int status) {
      return new Fault(status, Map.of());
    }
  }

  /**
   * One envelope request.
   *
   * @param auth the {@code X-Sentry-Auth} header
   * @param status what was answered
   * @param eventIds the ids of the events in it
   */
  public record Envelope(String auth, int status, List<String> eventIds) {}

  /**
   * One Web API request.
   *
   * @param method GET or PUT
   * @param path the request path
   * @param authorization the Authorization header
   * @param body the request body
   * @param status what was answered
   */
  public record ApiCall(String method, String path, String authorization, String body,
      int status) {}

  /**
   * One Sentry issue.
   *
   * @param id its group id
   * @param fingerprint the fingerprint its events share
   * @param status {@code unresolved} or {@code resolved}
   * @param eventIds its events, in arrival order
   * @param regressions how often an event reopened it after it was resolved
   */
  public record Issue(String id, List<String> fingerprint, String status, List<String> eventIds,
      int regressions) {}

  private final HttpServer server;
  private final Deque<Fault> envelopeFaults = new ArrayDeque<>();
  private final Deque<Fault> apiFaults = new ArrayDeque<>();
  private final List<Envelope> envelopes = new ArrayList<>();
  private final List<ApiCall> apiCalls = new ArrayList<>();
  private final Map<String, JsonNode> events = new LinkedHashMap<>();
  private final Map<String, String> eventIssue = new LinkedHashMap<>();
  private final Map<List<String>, String> issueByFingerprint = new LinkedHashMap<>();
  private final Map<String, Issue> issues = new LinkedHashMap<>();

  /** Starts the stand-in on a free loopback port. */
  public SentryStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  /** The DSN: {@code http://<key>@127.0.0.1:<port>/42}. */
  public String dsn() {
    return "http://" + PUBLIC_KEY + "@127.0.0.1:" + server.getAddress().getPort() + "/"
        + PROJECT_ID;
  }

  /** The Web API base, ending in {@code /api/0/}. */
  public String apiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/0/";
  }

  /** Queues faults answered, in order, to the next envelope requests. */
  public synchronized void failNextEnvelopes(Fault... faults) {
    envelopeFaults.addAll(List.of(faults));
  }

  /** Queues faults answered, in order, to the next Web API requests. */
  public synchronized void failNextApiCalls(Fault... faults) {
    apiFaults.addAll(List.of(faults));
  }

  /** Every envelope request, in arrival order. */
  public synchronized List<Envelope> envelopes() {
    return List.copyOf(envelopes);
  }

  /** Every Web API request, in arrival order. */
  public synchronized List<ApiCall> apiCalls() {
    return List.copyOf(apiCalls);
  }

  /** The events kept (one per event id), in arrival order. */
  public synchronized List<JsonNode> events() {
    return List.copyOf(events.values());
  }

  /** The issues, in the order they were created. */
  public synchronized List<Issue> issues() {
    return List.copyOf(issues.values());
  }

  /** The issue the event {@code eventId} is in, or null. */
  public synchronized @Nullable Issue issueOf(String eventId) {
    String id = eventIssue.get(eventId);
    return id == null ? null : issues.get(id);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      byte[] raw = exchange.getRequestBody().readAllBytes();
      if (path.equals("/api/" + PROJECT_ID + "/envelope/")
          && exchange.getRequestMethod().equals("POST")) {
        envelope(exchange, raw);
      } else if (path.startsWith("/api/0/")) {
        api(exchange, path, new String(raw, StandardCharsets.UTF_8));
      } else {
        answer(exchange, 404, Map.of(), "{\"detail\":\"not found\"}");
      }
    }
  }

  private void envelope(HttpExchange exchange, byte[] raw) throws IOException {
    String auth = String.valueOf(exchange.getRequestHeaders().getFirst("X-Sentry-Auth"));
    Fault fault;
    synchronized (this) {
      fault = envelopeFaults.poll();
    }
    byte[] body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders()
        .getFirst("Content-Encoding")) ? gunzip(raw) : raw;
    List<String> ids = new ArrayList<>();
    List<JsonNode> found = new ArrayList<>();
    String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
    // Header line, then per item: its header line and its payload line.
    for (int i = 1; i + 1 < lines.length; i += 2) {
      JsonNode itemHeader = JSON.readTree(lines[i]);
      if ("event".equals(itemHeader.path("type").asText())) {
        JsonNode event = JSON.readTree(lines[i + 1]);
        ids.add(event.path("event_id").asText());
        found.add(event);
      }
    }
    int status;
    synchronized (this) {
      if (fault != null) {
        status = fault.status();
      } else if (!auth.contains("sentry_key=" + PUBLIC_KEY)) {
        status = 401;
      } else {
        status = 200;
        for (JsonNode event : found) {
          keep(event);
        }
      }
      envelopes.add(new Envelope(auth, status, ids));
    }
    answer(exchange, status, fault == null ? Map.of() : fault.headers(),
        status == 200 ? "{\"id\":\"" + (ids.isEmpty() ? "" : ids.get(0)) + "\"}"
            : "{\"detail\":\"stand-in fault\"}");
  }

  /** Keeps an event once per id; groups it into the issue of its fingerprint. */
  private void keep(JsonNode event) {
    String id = event.path("event_id").asText();
    if (events.containsKey(id)) {
      return;
    }
    events.put(id, event);
    List<String> fingerprint = new ArrayList<>();
    event.path("fingerprint").forEach(f -> fingerprint.add(f.asText()));
    String issueId = issueByFingerprint.computeIfAbsent(fingerprint,
        f -> String.valueOf(1000 + issueByFingerprint.size()));
    Issue issue = issues.get(issueId);
    if (issue == null) {
      issue = new Issue(issueId, List.copyOf(fingerprint), "unresolved", List.of(), 0);
    }
    List<String> eventIds = new ArrayList<>(issue.eventIds());
    eventIds.add(id);
    boolean regression = issue.status().equals("resolved");
    issues.put(issueId, new Issue(issueId, issue.fingerprint(), "unresolved", eventIds,
        issue.regressions() + (regression ? 1 : 0)));
    eventIssue.put(id, issueId);
  }

  private void api(HttpExchange exchange, String path, String body) throws IOException {
    String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
    String method = exchange.getRequestMethod();
    int status;
    Map<String, String> headers = Map.of();
    String answer;
    synchronized (this) {
      Fault fault = apiFaults.poll();
      String orgPrefix = "/api/0/organizations/" + ORG + "/";
      if (fault != null) {
        status = fault.status();
        headers = fault.headers();
        answer = "{\"detail\":\"stand-in fault\"}";
      } else if (!authorization.equals("Bearer " + TOKEN)) {
        status = 401;
        answer = "{\"detail\":\"Invalid token\"}";
      } else if (!path.startsWith(orgPrefix)) {
        status = 404;
        answer = "{\"detail\":\"The requested resource does not exist\"}";
      } else {
        String rest = path.substring(orgPrefix.length());
        String[] parts = rest.split("/");
        if (method.equals("GET") && parts.length == 2 && parts[0].equals("eventids")
            && eventIssue.containsKey(parts[1])) {
          status = 200;
          answer = "{\"organizationSlug\":\"" + ORG + "\",\"projectSlug\":\"" + PROJECT_SLUG
              + "\",\"groupId\":\"" + eventIssue.get(parts[1]) + "\",\"eventId\":\""
              + parts[1] + "\",\"event\":{}}";
        } else if (method.equals("PUT") && parts.length == 2 && parts[0].equals("issues")
            && issues.containsKey(parts[1])) {
          String newStatus = JSON.readTree(body).path("status").asText();
          Issue issue = issues.get(parts[1]);
          issues.put(issue.id(), new Issue(issue.id(), issue.fingerprint(), newStatus,
              issue.eventIds(), issue.regressions()));
          status = 200;
          answer = "{\"id\":\"" + issue.id() + "\",\"status\":\"" + newStatus + "\"}";
        } else {
          status = 404;
          answer = "{\"detail\":\"The requested resource does not exist\"}";
        }
      }
      apiCalls.add(new ApiCall(method, path, authorization, body, status));
    }
    answer(exchange, status, headers, answer);
  }

  private static byte[] gunzip(byte[] raw) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return in.readAllBytes();
    }
  }

  private static void answer(HttpExchange exchange, int status, Map<String, String> headers,
      String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
