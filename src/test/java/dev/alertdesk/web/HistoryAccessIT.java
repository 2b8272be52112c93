package dev.alertdesk.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code UI_BASIC_AUTH} and {@code API_BEARER_TOKEN} protect the web UI and the history API. */
class HistoryAccessIT {
  private static final String BEARER = "history-api-token-7d2e";
  private static final String BASIC = "ops:s3cret-ui";
  private static final List<String> PROTECTED = List.of("/", "/insights", "/api/incidents",
      "/api/insights", "/api/export/incidents.csv", "/api/incidents/1", "/incidents/1",
      "/api/fingerprints/abc");

  @TempDir Path dir;
  private Application app;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String userPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void withBothSetEitherCredentialOpensTheUiAndApiAndNothingElseDoes() throws Exception {
    app = Application.start(Settings.load(Map.of("PORT", "0", "STORAGE_DIR", dir.toString(),
        "UI_BASIC_AUTH", BASIC, "API_BEARER_TOKEN", BEARER)), Clock.systemUTC());
    for (String path : PROTECTED) {
      HttpResponse<String> none = get(path, null);
      assertThat(none.statusCode()).as(path).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).as(path)
          .startsWith("Basic realm=");
      assertThat(none.body()).doesNotContain(BEARER).doesNotContain("s3cret");
      assertThat(get(path, "Bearer wrong").statusCode()).as(path).isEqualTo(401);
      assertThat(get(path, basic("ops:wrong")).statusCode()).as(path).isEqualTo(401);
      assertThat(get(path, "Bearer " + BEARER).statusCode()).as(path).isIn(200, 404);
      assertThat(get(path, basic(BASIC)).statusCode()).as(path).isIn(200, 404);
    }
    // Health, readiness, metrics, the OpenAPI document and the webhook keep their own rules.
    assertThat(get("/health", null).statusCode()).isEqualTo(200);
    assertThat(get("/api/openapi.yaml", null).statusCode()).isEqualTo(200);
    assertThat(get("/ui/app.css", null).statusCode()).isEqualTo(200);
    assertThat(new AlertdeskClient(app.port()).post("/api/alerts", "{}", null).statusCode())
        .isEqualTo(400);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withOnlyUiBasicAuthSetTheAuditLogAndEveryMethodOnGuardedRoutesNeedCredentials()
      throws Exception {
    app = Application.start(Settings.load(Map.of("PORT", "0", "STORAGE_DIR", dir.toString(),
        "UI_BASIC_AUTH", BASIC)), Clock.systemUTC());
    assertThat(get("/api/audit", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/audit", basic(BASIC)).statusCode()).isEqualTo(200);
    for (String path : PROTECTED) {
      for (String method : List.of("HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH")) {
        assertThat(send(method, path).statusCode()).as(method + " " + path).isEqualTo(401);
      }
    }
    assertThat(send("HEAD", "/api/audit").statusCode()).isEqualTo(401);
    assertThat(send("HEAD", "/health").statusCode()).isNotEqualTo(401);
  }

  @Test
  void withNeitherSetTheUiIsOpen() throws Exception {
    app = Application.start(Settings.load(Map.of("PORT", "0", "STORAGE_DIR", dir.toString())),
        Clock.systemUTC());
    HttpResponse<String> page = get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    // Offline: no stylesheet, script or font from another origin.
    assertThat(page.body()).doesNotContainPattern("(src|href)=\"(https?:)?//");
  }
}
