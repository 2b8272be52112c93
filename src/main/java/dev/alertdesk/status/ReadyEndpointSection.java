package dev.alertdesk.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dependency with a Prometheus-style {@code /-/ready} endpoint (Alertmanager, Prometheus):
 * OK when it answers 200 within 1 s, else an error saying what happened. The URL shown has no
 * user information.
 */
final class ReadyEndpointSection implements StatusSection {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final String name;
  private final String baseUrl;
  private final HttpClient http;

  /**
   * @param name the section name, e.g. {@code alertmanager}
   * @param baseUrl the dependency's base URL, e.g. {@code ALERTMANAGER_URL}; user information
   *     in it is never sent to the readiness endpoint nor shown
   */
  ReadyEndpointSection(String name, String baseUrl) {
    this.name = name;
    this.baseUrl = withoutUserInfo(baseUrl);
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SectionStatus check() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("url", baseUrl);
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/-/ready"))
          .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding());
      details.put("http_status", r.statusCode());
      return r.statusCode() == 200 ? SectionStatus.ok("ready", details)
          : new SectionStatus(SectionStatus.Level.ERROR, "not ready: HTTP " + r.statusCode(),
              details);
    } catch (java.io.IOException e) {
      return new SectionStatus(SectionStatus.Level.ERROR,
          "unreachable: " + e.getClass().getSimpleName(), details);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SectionStatus(SectionStatus.Level.ERROR, "check interrupted", details);
    } catch (IllegalArgumentException e) {
      return new SectionStatus(SectionStatus.Level.ERROR, "invalid URL", Map.of());
    }
  }

  /** Returns {@code url} without {@code user:password@}. */
  static String withoutUserInfo(String url) {
    return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
  }
}
