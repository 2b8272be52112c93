package dev.alertdesk.sentry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.config.SentrySettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * Resolves the Sentry issue of an event through Sentry's Web API, with {@code SENTRY_AUTH_TOKEN}
 * as a bearer token:
 *
 * <ol>
 *   <li>{@code GET /api/0/organizations/{org}/eventids/{event_id}/} finds the issue
 *       ({@code groupId}) and project ({@code projectSlug}) of the event (Sentry docs:
 *       docs.sentry.io/api/organizations/resolve-an-event-id/; scope {@code org:read});</li>
 *   <li>{@code PUT /api/0/organizations/{org}/issues/{issue_id}/} with
 *       {@code {"status":"resolved"}} resolves it (Sentry docs:
 *       docs.sentry.io/api/events/update-an-issue/; scope {@code event:write}).</li>
 * </ol>
 *
 * <p>A 404 from the lookup is retried: Sentry stores events asynchronously, so an event
 * accepted a moment ago may not be found yet. The token never appears in an error. Thread-safe.
 */
public final class SentryIssues {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SentrySettings settings;
  private final HttpClient http;
  private final Clock clock;
  private final List<String> secrets;

  /**
   * @param settings the token, organization, optional project, API URL and timeout; {@link
   *     SentrySettings#resolves()} must be true
   * @param clock the source of "now", for Retry-After dates
   * @throws IllegalArgumentException when the settings have no token or organization
   */
  public SentryIssues(SentrySettings settings, Clock clock) {
    if (settings.authToken() == null || settings.organization() == null) {
      throw new IllegalArgumentException("resolving Sentry issues needs a token and organization");
    }
    this.settings = settings;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.secrets = settings.dsn() == null ? List.of(settings.authToken())
        : java.util.stream.Stream.concat(java.util.stream.Stream.of(settings.authToken()),
            SentryEvents.secrets(settings.dsn()).stream()).toList();
  }

  /**
   * Resolves the issue the event {@code eventId} belongs to. Resolving an issue that is already
   * resolved succeeds again, so a redelivery is harmless.
   *
   * @param eventId 32 hex digits, the id the event was sent with
   * @return delivered when the issue is resolved; retry on 404 (not stored yet), 408, 5xx and
   *     network errors; retry-after on 429; failed on 401, 403, other 4xx, or an event of
   *     another project than the configured one
   */
  public SentryResult resolve(String eventId) {
    String org = enc(settings.organization());
    String base = settings.apiUrl() + "organizations/" + org + "/";
    HttpResponse<String> lookup;
    try {
      lookup = http.send(request(base + "eventids/" + enc(eventId) + "/").GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return SentryResult.retry("event lookup: " + e.getClass().getSimpleName() + ": "
          + SentryHttp.clean(String.valueOf(e.getMessage()), secrets), 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SentryResult.retry("event lookup: interrupted", 0);
    }
    if (lookup.statusCode() == 404) {
      return SentryResult.retry("event lookup: HTTP 404: the event is not stored (yet)", 404);
    }
    SentryResult found = SentryHttp.classify("event lookup", lookup.statusCode(),
        lookup.headers(), detail(lookup.body()), clock.instant(), secrets);
    if (found.outcome() != dev.alertdesk.delivery.DeliveryOutcome.DELIVERED) {
      return found;
    }
    String groupId;
    String projectSlug;
    try {
      JsonNode body = JSON.readTree(lookup.body());
      groupId = body.path("groupId").asText("");
      projectSlug = body.path("projectSlug").asText("");
    } catch (IOException e) {
      return SentryResult.retry("event lookup: the answer is not JSON", lookup.statusCode());
    }
    if (!groupId.matches("[0-9A-Za-z_-]{1,64}")) {
      return SentryResult.retry("event lookup: the answer names no issue", lookup.statusCode());
    }
    if (settings.project() != null && !settings.project().equals(projectSlug)) {
      return SentryResult.failed("event lookup: the event belongs to project \""
          + SentryHttp.clean(projectSlug, secrets) + "\", not to sentry.project \""
          + settings.project() + "\"", lookup.statusCode());
    }
    HttpResponse<String> update;
    try {
      update = http.send(request(base + "issues/" + groupId + "/")
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString("{\"status\":\"resolved\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return SentryResult.retry("issue update: " + e.getClass().getSimpleName() + ": "
          + SentryHttp.clean(String.valueOf(e.getMessage()), secrets), 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SentryResult.retry("issue update: interrupted", 0);
    }
    return SentryHttp.classify("issue update", update.statusCode(), update.headers(),
        detail(update.body()), clock.instant(), secrets);
  }

  private HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(settings.timeout())
        .header("Authorization", "Bearer " + settings.authToken())
        .header("Accept", "application/json");
  }

  /** Sentry's error text: the {@code detail} of a JSON error body, else nothing. */
  private static @org.jspecify.annotations.Nullable String detail(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.path("detail").isTextual() ? node.path("detail").asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String enc(@org.jspecify.annotations.Nullable String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
