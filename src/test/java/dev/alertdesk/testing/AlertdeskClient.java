package dev.alertdesk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Talks to a running Alertdesk over HTTP with {@link java.net.http.HttpClient}, as Alertmanager,
 * Prometheus and users do. Every call answers the raw response; {@link #json} reads its body.
 */
public final class AlertdeskClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final Duration requestTimeout;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  /** @param port the service's HTTP port on 127.0.0.1 */
  public AlertdeskClient(int port) {
    this(port, Duration.ofSeconds(30));
  }

  /**
   * @param port the service's HTTP port on 127.0.0.1
   * @param requestTimeout how long one request may take before it fails (30 s by default); a
   *     test that posts a huge payload on a loaded 2-core machine needs more
   */
  public AlertdeskClient(int port, Duration requestTimeout) {
    this.baseUrl = "http://127.0.0.1:" + port;
    this.requestTimeout = requestTimeout;
  }

  /** Returns the base URL, e.g. {@code http://127.0.0.1:40123}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** {@code GET path}. */
  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
  }

  /** {@code GET path} answered 200, as JSON. */
  public JsonNode getJson(String path) {
    HttpResponse<String> response = get(path);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return json(response);
  }

  /**
   * {@code POST path} with a JSON body, as Alertmanager's webhook sends it.
   *
   * @param authorization the {@code Authorization} header, or null for none
   */
  public HttpResponse<String> post(String path, String body, @Nullable String authorization) {
    return post(path, HttpRequest.BodyPublishers.ofString(body), authorization);
  }

  /** {@code POST path} with any body publisher (for example one without a length: chunked). */
  public HttpResponse<String> post(String path, HttpRequest.BodyPublisher body,
      @Nullable String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/json")
        .header("User-Agent", "Alertmanager/0.25.0")
        .POST(body);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(request);
  }

  /** Parses a response body as JSON. */
  public static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (HTTP " + response.statusCode() + "): " + response.body(), e);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(requestTimeout).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
