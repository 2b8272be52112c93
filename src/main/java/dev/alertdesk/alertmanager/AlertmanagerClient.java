package dev.alertdesk.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alertdesk.alert.Matcher;
import dev.alertdesk.config.HttpAuth;
import dev.alertdesk.config.Urls;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Alertmanager's HTTP API v2 for silences (alertmanager/api/v2/openapi.yaml, versions 0.16 and
 * later): {@code POST /api/v2/silences}, {@code DELETE /api/v2/silence/{id}}, {@code GET
 * /api/v2/silences}. Thread-safe. Every call times out after 10 s. Every request carries the
 * configured {@link HttpAuth} headers (Basic auth from {@code user:pass@} in the URL, a bearer
 * token, custom headers); no message this class produces contains those credentials.
 */
public final class AlertmanagerClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_ERROR_CHARS = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpAuth auth;
  private final HttpClient http;

  /**
   * A client whose credentials come from the URL alone.
   *
   * @param baseUrl Alertmanager's base URL, e.g. {@code http://localhost:9093}; a
   *     {@code user:pass@} in it is sent as HTTP Basic and never shown
   */
  public AlertmanagerClient(String baseUrl) {
    this(baseUrl, HttpAuth.of(baseUrl, null, java.util.Map.of(), "ALERTMANAGER_URL"));
  }

  /**
   * A client with configured credentials and headers.
   *
   * @param baseUrl Alertmanager's base URL; any {@code user:pass@} in it is dropped here (pass
   *     it in {@code auth})
   * @param auth the headers every request carries
   */
  public AlertmanagerClient(String baseUrl, HttpAuth auth) {
    String url = Urls.withoutUserInfo(baseUrl);
    this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.auth = auth;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /**
   * Creates a silence.
   *
   * @param matchers at least one matcher
   * @param startsAt when it starts muting
   * @param endsAt when it expires; after {@code startsAt}
   * @param createdBy who creates it (shown in Alertmanager's UI)
   * @param comment why; required by Alertmanager 0.25
   * @return the new silence's ID
   * @throws AlertmanagerException with Alertmanager's error text when it refuses, or when it
   *     cannot be reached
   */
  public String createSilence(List<Matcher> matchers, Instant startsAt, Instant endsAt,
      String createdBy, String comment) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode ms = body.putArray("matchers");
    for (Matcher m : matchers) {
      boolean regex = m.type() == Matcher.Type.REGEX_MATCH
          || m.type() == Matcher.Type.NOT_REGEX_MATCH;
      boolean equal = m.type() == Matcher.Type.EQUAL || m.type() == Matcher.Type.REGEX_MATCH;
      ms.addObject().put("name", m.name()).put("value", m.value())
          .put("isRegex", regex).put("isEqual", equal);
    }
    body.put("startsAt", startsAt.toString());
    body.put("endsAt", endsAt.toString());
    body.put("createdBy", createdBy);
    body.put("comment", comment);
    HttpRequest request = request("/api/v2/silences")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    JsonNode answer = readJson(send(request));
    String id = answer.path("silenceID").asText("");
    if (id.isEmpty()) {
      throw new AlertmanagerException(200, "Alertmanager answered without a silenceID");
    }
    return id;
  }

  /**
   * Expires a silence now. An already expired silence counts as success.
   *
   * @param id the silence ID
   * @throws AlertmanagerException with Alertmanager's error text when it refuses (e.g. an unknown
   *     ID), or when it cannot be reached
   */
  public void expireSilence(String id) {
    HttpRequest request = request("/api/v2/silence/" + URLEncoder.encode(id, StandardCharsets.UTF_8))
        .DELETE().build();
    try {
      send(request);
    } catch (AlertmanagerException e) {
      if (e.getMessage() != null && e.getMessage().contains("already expired")) {
        return;
      }
      throw e;
    }
  }

  /**
   * Lists every silence Alertmanager holds, including expired ones it still keeps.
   *
   * @throws AlertmanagerException when Alertmanager refuses or cannot be reached
   */
  public List<Silence> silences() {
    JsonNode answer = readJson(send(request("/api/v2/silences").GET().build()));
    List<Silence> out = new ArrayList<>();
    for (JsonNode s : answer) {
      List<Matcher> matchers = new ArrayList<>();
      for (JsonNode m : s.path("matchers")) {
        boolean regex = m.path("isRegex").asBoolean();
        boolean equal = m.path("isEqual").asBoolean(true);
        Matcher.Type type = regex
            ? (equal ? Matcher.Type.REGEX_MATCH : Matcher.Type.NOT_REGEX_MATCH)
            : (equal ? Matcher.Type.EQUAL : Matcher.Type.NOT_EQUAL);
        matchers.add(Matcher.of(type, m.path("name").asText(), m.path("value").asText()));
      }
      out.add(new Silence(s.path("id").asText(), matchers,
          Instant.parse(s.path("startsAt").asText()), Instant.parse(s.path("endsAt").asText()),
          s.path("createdBy").asText(), s.path("comment").asText(),
          s.path("status").path("state").asText()));
    }
    return out;
  }

  /**
   * Counts the alerts Alertmanager holds that match every filter and have not resolved, whether
   * active, silenced or inhibited ({@code GET /api/v2/alerts?filter=…}; resolved alerts are left
   * out by Alertmanager).
   *
   * @param filters matchers in Alertmanager's text form, e.g. {@code alertname="DiskFull"}
   * @return how many alerts match
   * @throws AlertmanagerException when Alertmanager refuses or cannot be reached
   */
  public int countUnresolvedAlerts(List<String> filters) {
    StringBuilder query = new StringBuilder("/api/v2/alerts?active=true&silenced=true"
        + "&inhibited=true&unprocessed=true");
    for (String f : filters) {
      query.append("&filter=").append(URLEncoder.encode(f, StandardCharsets.UTF_8));
    }
    JsonNode answer = readJson(send(request(query.toString()).GET().build()));
    int count = 0;
    Instant now = Instant.now();
    for (JsonNode a : answer) {
      String endsAt = a.path("endsAt").asText("");
      if (endsAt.isEmpty() || Instant.parse(endsAt).isAfter(now)) {
        count++;
      }
    }
    return count;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(TIMEOUT).header("Accept", "application/json");
    auth.headers().forEach(request::header);
    return request;
  }

  private String send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AlertmanagerException(0, Urls.redact("Alertmanager at " + baseUrl
          + " is unreachable: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AlertmanagerException(0, "interrupted while calling Alertmanager");
    }
    if (response.statusCode() / 100 != 2) {
      throw new AlertmanagerException(response.statusCode(), Urls.redact(errorText(response)));
    }
    return response.body();
  }

  /** Alertmanager answers errors as a JSON string, a JSON object with a message, or text. */
  private static String errorText(HttpResponse<String> response) {
    String body = response.body() == null ? "" : response.body().strip();
    String text = body;
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.isTextual()) {
        text = node.asText();
      } else if (node != null && node.hasNonNull("message")) {
        text = node.get("message").asText();
      }
    } catch (IOException notJson) {
      // keep the plain text
    }
    if (text.isEmpty()) {
      text = "HTTP " + response.statusCode();
    }
    text = text.strip();
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
  }

  private static JsonNode readJson(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AlertmanagerException(200, "Alertmanager answered with unreadable JSON");
    }
  }
}
