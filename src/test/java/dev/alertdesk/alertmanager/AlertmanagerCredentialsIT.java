package dev.alertdesk.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.alertdesk.alert.Matcher;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.HttpAuth;
import dev.alertdesk.config.Settings;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.SlackStandIn;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Alertmanager credentials: {@code user:pass@} in {@code ALERTMANAGER_URL} is sent as Basic
 * auth, {@code ALERTMANAGER_BEARER_TOKEN} as a bearer token, {@code alertmanager.headers} as
 * they are, through an auth proxy (a loopback stand-in that checks them) in front of a real
 * Alertmanager 0.25; and the password never shows in what a user, the audit log, the API, the
 * incident page or the logs see when Alertmanager is unreachable.
 */
class AlertmanagerCredentialsIT {
  private static final String PASSWORD = "am-pass-LEAK-9f2";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path storage;
  private AlertmanagerProcess alertmanager;
  private HttpServer proxy;
  private Application app;
  private SlackStandIn slack;
  private final List<Map<String, String>> seen = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (slack != null) {
      slack.close();
    }
    if (proxy != null) {
      proxy.stop(0);
    }
    if (alertmanager != null) {
      alertmanager.close();
    }
  }

  /** An auth proxy: forwards to Alertmanager only with the expected headers, else 401. */
  private String startProxy(Map<String, String> required) throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    proxy.createContext("/", exchange -> {
      Map<String, String> headers = new HashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
      seen.add(headers);
      boolean ok = required.entrySet().stream()
          .allMatch(e -> e.getValue().equals(headers.get(e.getKey().toLowerCase())));
      if (!ok) {
        reply(exchange, 401, "\"unauthorized\"");
        return;
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(alertmanager.url()
          + exchange.getRequestURI())).method(exchange.getRequestMethod(),
          body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      String type = headers.get("content-type");
      if (type != null) {
        forward.header("Content-Type", type);
      }
      try {
        HttpResponse<String> r = http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
        reply(exchange, r.statusCode(), r.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reply(exchange, 502, "\"interrupted\"");
      }
    });
    proxy.start();
    return "127.0.0.1:" + proxy.getAddress().getPort();
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static List<Matcher> matchers() {
    return List.of(Matcher.of(Matcher.Type.EQUAL, "alertname", "DiskFull"));
  }

  private static String silence(AlertmanagerClient client) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return client.createSilence(matchers(), now, now.plus(Duration.ofHours(1)), "alice", "test");
  }

  @Test
  void credentialsInTheUrlAreSentAsBasicAuthAndAreNeverInAnError() throws Exception {
    alertmanager = AlertmanagerProcess.start("AlertmanagerCredentialsIT-basic",
        AlertmanagerProcess.Config.webhook("http://127.0.0.1:9/unused"));
    String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
        ("ops:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String hostPort = startProxy(Map.of("Authorization", basic));

    String id = silence(new AlertmanagerClient("http://ops:" + PASSWORD + "@" + hostPort));
    assertThat(new AlertmanagerClient(alertmanager.url()).silences())
        .anySatisfy(s -> assertThat(s.id()).isEqualTo(id));
    assertThat(seen).allSatisfy(h -> assertThat(h.get("authorization")).isEqualTo(basic));

    assertThatThrownBy(() -> silence(new AlertmanagerClient("http://ops:wrong-" + PASSWORD + "@"
        + hostPort))).isInstanceOf(AlertmanagerException.class)
        .hasMessageNotContaining(PASSWORD).hasMessageContaining("unauthorized");
  }

  @Test
  void aBearerTokenAndCustomHeadersFromTheConfigFileReachTheProxy() throws Exception {
    alertmanager = AlertmanagerProcess.start("AlertmanagerCredentialsIT-bearer",
        AlertmanagerProcess.Config.webhook("http://127.0.0.1:9/unused"));
    String hostPort = startProxy(Map.of("Authorization", "Bearer am-token-77",
        "X-Scope-OrgID", "tenant-1"));
    Path config = storage.resolve("alertdesk.yml");
    Files.writeString(config, "alertmanager:\n  headers:\n    X-Scope-OrgID: tenant-1\n");
    Settings settings = Settings.load(Map.of("CONFIG_FILE", config.toString(),
        "ALERTMANAGER_URL", "http://" + hostPort, "ALERTMANAGER_BEARER_TOKEN", "am-token-77"));

    AlertmanagerClient client = new AlertmanagerClient(settings.alertmanagerUrl(),
        settings.alertmanagerAuth());
    String id = silence(client);
    assertThat(client.silences()).anySatisfy(s -> assertThat(s.id()).isEqualTo(id));
    assertThatThrownBy(() -> silence(new AlertmanagerClient("http://" + hostPort, HttpAuth.NONE)))
        .isInstanceOf(AlertmanagerException.class);
  }

  @Test
  void anUnreachableAlertmanagerWithCredentialsNeverShowsThePassword() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.setContext(context);
    logs.start();
    root.addAppender(logs);
    try {
      slack = new SlackStandIn();
      int closed;
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        closed = socket.getLocalPort();
      }
      app = Application.start(Settings.load(Map.of("PORT", "0",
          "STORAGE_DIR", storage.toString(), "SLACK_BOT_TOKEN", "xoxb-test",
          "SLACK_CHANNEL", "#alerts", "SLACK_API_URL", slack.apiUrl(),
          "SLACK_SIGNING_SECRET", "creds-secret",
          "ALERTMANAGER_URL", "http://ops:" + PASSWORD + "@127.0.0.1:" + closed)),
          Clock.systemUTC());
      AlertdeskClient client = new AlertdeskClient(app.port());
      var payload = AlertmanagerPayload.group("team", "DiskFull")
          .firing("db-1", Instant.now().minusSeconds(30));
      long id = AlertdeskClient.json(client.post("/api/alerts", payload.json(), null))
          .path("incident_id").asLong();
      await("the parent").atMost(TIMEOUT).until(() -> !slack.parentPosts().isEmpty());
      new SlackRequests(client.baseUrl(), "creds-secret").sendInteraction(
          SlackRequests.blockActions("U1", "alice", IncidentActionBlocks.SILENCE, id + ":1h",
              true, "5.5", slack.responseUrl(), slack.parentPosts().get(0).answeredTs()));
      await("the error shown").atMost(TIMEOUT).until(() -> slack.responses().size() == 1);

      assertThat(slack.responses().get(0)).contains("unreachable")
          .contains("127.0.0.1:" + closed).doesNotContain(PASSWORD);
      String audit = client.get("/api/audit").body();
      assertThat(audit).contains("unreachable").doesNotContain(PASSWORD);
      assertThat(client.get("/api/incidents/" + id).body()).doesNotContain(PASSWORD);
      assertThat(client.get("/incidents/" + id).body()).contains("unreachable")
          .doesNotContain(PASSWORD);
      assertThat(slack.calls()).allSatisfy(c -> assertThat(c.params().toString())
          .doesNotContain(PASSWORD));
      assertThat(logs.list).isNotEmpty().allSatisfy(e -> {
        assertThat(e.getFormattedMessage()).doesNotContain(PASSWORD);
        if (e.getThrowableProxy() != null) {
          assertThat(String.valueOf(e.getThrowableProxy().getMessage()))
              .doesNotContain(PASSWORD);
        }
      });
    } finally {
      root.detachAppender(logs);
    }
  }
}
