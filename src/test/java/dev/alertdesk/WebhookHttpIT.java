package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.SlackStandIn;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The full application over HTTP, as Alertmanager, Prometheus and users reach it: webhook status
 * codes and their JSON, authentication, payload limits, storage failures, and the operational
 * endpoints. No Alertmanager process is needed: the payloads are Alertmanager's version-4 JSON.
 */
class WebhookHttpIT {
  private static final String TOKEN = "it-webhook-token-9b2e";
  private static final String BEARER = "Bearer " + TOKEN;
  private static final int MAX_PAYLOAD_BYTES = 2048;
  private static final AtomicInteger GROUPS = new AtomicInteger();

  @TempDir static Path sharedStorage;

  private static SlackStandIn slack;
  private static Application shared;
  private static AlertdeskClient api;

  private final List<Application> ownApps = new ArrayList<>();

  @BeforeAll
  static void startSharedService() throws Exception {
    slack = new SlackStandIn();
    shared = start(Map.of(
        "STORAGE_DIR", sharedStorage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-test",
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "WEBHOOK_BEARER_TOKEN", TOKEN,
        "MAX_PAYLOAD_BYTES", String.valueOf(MAX_PAYLOAD_BYTES)));
    api = new AlertdeskClient(shared.port());
  }

  @AfterAll
  static void stopSharedService() {
    if (shared != null) {
      shared.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  @AfterEach
  void stopOwnApps() {
    ownApps.forEach(Application::close);
  }

  @Test
  void aCommittedNotificationIsAnsweredWithItsOutcome() {
    String body = firing(newGroupKey(), "DiskFull", "node-1");

    HttpResponse<String> first = api.post("/api/alerts", body, BEARER);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    JsonNode opened = AlertdeskClient.json(first);
    assertThat(opened.get("status").asText()).isEqualTo("ok");
    assertThat(opened.get("outcome").asText()).isEqualTo("opened");
    assertThat(opened.get("incident_id").isIntegralNumber()).isTrue();
    assertThat(opened.get("notification_id").isIntegralNumber()).isTrue();

    JsonNode again = AlertdeskClient.json(api.post("/api/alerts", body, BEARER));
    assertThat(again.get("outcome").asText()).isEqualTo("duplicate");
    assertThat(again.get("incident_id").asLong()).isEqualTo(opened.get("incident_id").asLong());
    assertThat(again.get("notification_id").asLong())
        .isGreaterThan(opened.get("notification_id").asLong());

    JsonNode incident = api.getJson("/api/incidents/" + opened.get("incident_id").asLong());
    assertThat(incident.get("alertname").asText()).isEqualTo("DiskFull");
    assertThat(incident.get("status").asText()).isEqualTo("firing");
  }

  @Test
  void apiAlertmanagerIsAnAliasOfTheWebhook() {
    String body = firing(newGroupKey(), "DiskFull", "node-2");

    HttpResponse<String> viaAlias = api.post("/api/alertmanager", body, BEARER);
    assertThat(viaAlias.statusCode()).isEqualTo(200);
    assertThat(AlertdeskClient.json(viaAlias).get("outcome").asText()).isEqualTo("opened");
    // The same group through the main path is a duplicate: both paths share one store.
    assertThat(AlertdeskClient.json(api.post("/api/alerts", body, BEARER)).get("outcome").asText())
        .isEqualTo("duplicate");
    // The alias is authenticated as well.
    assertThat(api.post("/api/alertmanager", body, null).statusCode()).isEqualTo(401);
  }

  @Test
  void missingOrWrongBearerTokenIsRejectedWith401AndNothingIsStored() {
    String body = firing(newGroupKey(), "Unauthorised", "x");
    long before = incidentTotal();

    for (String authorization : new String[] {null, "Bearer wrong-token", "Bearer ",
        "Basic " + base64(TOKEN + ":" + TOKEN), TOKEN, "Bearer " + TOKEN + "x"}) {
      HttpResponse<String> response = api.post("/api/alerts", body, authorization);
      assertThat(response.statusCode()).as("Authorization: %s", authorization).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(AlertdeskClient.json(response).get("error").asText()).contains("credentials");
    }
    assertThat(incidentTotal()).isEqualTo(before);
    // The scheme name is case-insensitive (RFC 7235).
    assertThat(api.post("/api/alerts", body, "bearer " + TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void basicAuthAcceptsTheRightUserAndPasswordOnly(@TempDir Path storage) {
    Application app = own(Map.of(
        "STORAGE_DIR", storage.toString(),
        "WEBHOOK_BASIC_AUTH", "alertmanager:s3cr3t:with-colon"));
    AlertdeskClient client = new AlertdeskClient(app.port());
    String body = firing("{}:{alertname=\"Basic\"}", "Basic", "x");

    for (String authorization : new String[] {null, "Basic " + base64("alertmanager:wrong"),
        "Basic " + base64("other:s3cr3t:with-colon"), "Basic not-base64!!", "Bearer s3cr3t",
        "Basic " + base64("alertmanager:s3cr3t")}) {
      assertThat(client.post("/api/alerts", body, authorization).statusCode())
          .as("Authorization: %s", authorization).isEqualTo(401);
    }
    HttpResponse<String> ok = client.post("/api/alerts", body,
        "Basic " + base64("alertmanager:s3cr3t:with-colon"));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(AlertdeskClient.json(ok).get("outcome").asText()).isEqualTo("opened");
  }

  static Stream<Arguments> invalidPayloads() {
    String valid = firing("{}:{alertname=\"Invalid\"}", "Invalid", "x");
    return Stream.of(
        Arguments.of("malformed JSON", "{\"version\": \"4\", \"alerts\": [", "malformed JSON"),
        Arguments.of("not an object", "[1, 2]", "JSON object"),
        Arguments.of("version 3", valid.replace("\"version\":\"4\"", "\"version\":\"3\""),
            "version \"3\""),
        Arguments.of("missing groupKey", valid.replace("\"groupKey\"", "\"groupKeyX\""),
            "groupKey"),
        Arguments.of("missing alerts", valid.replace("\"alerts\"", "\"alertsX\""), "alerts"),
        Arguments.of("bad startsAt", valid.replace("2026-01-01T00:00:00Z", "yesterday"),
            "alerts[0].startsAt"),
        Arguments.of("label not a string", valid.replace("\"instance\":\"x\"", "\"instance\":7"),
            "alerts[0].labels.instance"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPayloads")
  void anInvalidPayloadIsRejectedWith400NamingTheProblem(String name, String body, String named) {
    long before = incidentTotal();

    HttpResponse<String> response = api.post("/api/alerts", body, BEARER);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(AlertdeskClient.json(response).get("error").asText()).contains(named);
    assertThat(incidentTotal()).isEqualTo(before);
  }

  @Test
  void aNulInTheFingerprintStillDeduplicatesTheResend(@TempDir Path storage) {
    Application app = start(Map.of("STORAGE_DIR", storage.toString()));
    ownApps.add(app);
    AlertdeskClient client = new AlertdeskClient(app.port());
    String body = firing(newGroupKey(), "NulFingerprint", "node-1")
        .replaceFirst("\"fingerprint\":\"[0-9a-f]+\"", "\"fingerprint\":\"abc\\\\u0000def\"");
    assertThat(body).contains("abc\\u0000def");
    HttpResponse<String> first = client.post("/api/alerts", body, null);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(AlertdeskClient.json(first).get("outcome").asText()).isEqualTo("opened");
    HttpResponse<String> resend = client.post("/api/alerts", body, null);
    assertThat(AlertdeskClient.json(resend).get("outcome").asText()).isEqualTo("duplicate");
  }

  @Test
  void onlyApplicationJsonIsAcceptedSoACrossSiteFormCannotPostAlerts(@TempDir Path storage) {
    Application open = start(Map.of("STORAGE_DIR", storage.toString()));
    ownApps.add(open);
    String body = firing(newGroupKey(), "FormPost", "node-1");
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "")) {
      HttpRequest.Builder request = HttpRequest.newBuilder(
              java.net.URI.create("http://127.0.0.1:" + open.port() + "/api/alerts"))
          .POST(HttpRequest.BodyPublishers.ofString(body));
      if (!type.isEmpty()) {
        request.header("Content-Type", type);
      }
      HttpResponse<String> r = send(request.build());
      assertThat(r.statusCode()).as(type).isEqualTo(415);
      assertThat(r.body()).contains("application/json");
    }
    assertThat(new AlertdeskClient(open.port()).getJson("/api/incidents").get("total").asLong())
        .isZero();
    HttpResponse<String> json = send(HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + open.port() + "/api/alerts"))
        .header("Content-Type", "Application/JSON; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(json.statusCode()).isEqualTo(200);
  }

  @Test
  void whenEveryWebhookPermitIsTakenTheNextIsAnswered503WithRetryAfterAtOnce(
      @TempDir Path storage) throws Exception {
    Application app = start(Map.of("STORAGE_DIR", storage.toString()));
    ownApps.add(app);
    // Two requests (SQLite's write concurrency) whose bodies never finish hold both permits.
    List<java.net.Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), app.port());
        s.getOutputStream().write(("POST /api/alerts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"version\":")
            .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        slow.add(s);
      }
      String body = firing(newGroupKey(), "Flood", "node-1");
      AlertdeskClient client = new AlertdeskClient(app.port());
      await("both permits taken").atMost(Duration.ofSeconds(10))
          .until(() -> client.post("/api/alerts", body, null).statusCode() == 503);
      long t0 = System.nanoTime();
      HttpResponse<String> busy = client.post("/api/alerts", body, null);
      assertThat(busy.statusCode()).isEqualTo(503);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      assertThat(busy.headers().firstValue("Retry-After")).contains("1");
      assertThat(AlertdeskClient.json(busy).get("error").asText()).contains("retry later");
      assertThat(client.get("/metrics").body())
          .contains("alertdesk_notifications_received_total{outcome=\"overloaded\"}");
    } finally {
      for (java.net.Socket s : slow) {
        s.close();
      }
    }
    // Once they are gone, notifications are taken again.
    AlertdeskClient client = new AlertdeskClient(app.port());
    await("a permit free again").atMost(Duration.ofSeconds(10)).until(() -> client.post(
        "/api/alerts", firing(newGroupKey(), "After", "node-1"), null).statusCode() == 200);
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return java.net.http.HttpClient.newHttpClient().send(request,
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aBodyOverMaxPayloadBytesIsRejectedWith413() {
    String big = firing(newGroupKey(), "TooLarge", "x".repeat(MAX_PAYLOAD_BYTES));
    long before = incidentTotal();

    HttpResponse<String> declared = api.post("/api/alerts", big, BEARER);
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(AlertdeskClient.json(declared).get("error").asText()).contains("MAX_PAYLOAD_BYTES");

    // Without Content-Length (chunked), the limit holds while reading.
    byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> chunked = api.post("/api/alerts",
        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)), BEARER);
    assertThat(chunked.statusCode()).isEqualTo(413);

    assertThat(incidentTotal()).isEqualTo(before);
    // A body just under the limit still passes.
    String small = firing(newGroupKey(), "JustFits", "y");
    assertThat(small.length()).isLessThan(MAX_PAYLOAD_BYTES);
    assertThat(api.post("/api/alerts", small, BEARER).statusCode()).isEqualTo(200);
  }

  @Test
  void anUnreachableDatabaseStillLetsTheServiceStartButAnswers503(@TempDir Path storage) throws Exception {
    int closedPort = closedPort();
    Application app = own(Map.of(
        "STORAGE_DIR", storage.toString(),
        "DB_CONNECTION_STRING", "postgres://alertdesk:pg-s3cret@127.0.0.1:" + closedPort + "/alertdesk",
        "WEBHOOK_BEARER_TOKEN", TOKEN));
    AlertdeskClient client = new AlertdeskClient(app.port());

    assertThat(client.get("/health").statusCode()).isEqualTo(200);
    assertThat(client.get("/ready").statusCode()).isEqualTo(503);
    HttpResponse<String> webhook = client.post("/api/alerts",
        firing("{}:{alertname=\"NoDb\"}", "NoDb", "x"), BEARER);
    assertThat(webhook.statusCode()).isEqualTo(503);
    assertThat(AlertdeskClient.json(webhook).get("error").asText()).contains("storage unavailable");
    assertThat(webhook.body()).doesNotContain("pg-s3cret");
    assertThat(client.get("/api/incidents").statusCode()).isEqualTo(503);
    String metrics = client.get("/metrics").body();
    assertThat(metrics).contains("alertdesk_notifications_received_total{outcome=\"error\"} 1.0");
    assertThat(metrics).doesNotContain("pg-s3cret");
    // Nothing was stored anywhere: no SQLite file appeared in STORAGE_DIR either.
    try (Stream<Path> files = Files.list(storage)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aFailedCommitLeavesNothingHalfWrittenAndTheRetrySucceeds(@TempDir Path storage)
      throws Exception {
    Application app = own(Map.of("STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-test", "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl()));
    AlertdeskClient client = new AlertdeskClient(app.port());
    String jdbc = "jdbc:sqlite:" + storage.resolve("alertdesk.db");
    // The last insert of the ingest transaction fails, after the incident, its alerts, events
    // and outbox jobs were written.
    sql(jdbc, "CREATE TRIGGER fail_notification BEFORE INSERT ON notification "
        + "BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END");
    String body = firing("{}:{alertname=\"Atomic\"}", "Atomic", "x");

    HttpResponse<String> failed = client.post("/api/alerts", body, null);

    assertThat(failed.statusCode()).isEqualTo(503);
    for (String table : List.of("alert_group", "notification", "incident", "incident_alert",
        "alert_occurrence", "alert_fingerprint", "incident_event", "outbox", "slack_message")) {
      assertThat(count(jdbc, "SELECT COUNT(*) FROM " + table)).as(table).isZero();
    }

    // Alertmanager retries a 5xx; once storage works again the same body commits in full.
    sql(jdbc, "DROP TRIGGER fail_notification");
    HttpResponse<String> retried = client.post("/api/alerts", body, null);
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(AlertdeskClient.json(retried).get("outcome").asText()).isEqualTo("opened");
    assertThat(count(jdbc, "SELECT COUNT(*) FROM incident")).isEqualTo(1);
    assertThat(count(jdbc, "SELECT COUNT(*) FROM notification")).isEqualTo(1);
    assertThat(count(jdbc, "SELECT COUNT(*) FROM outbox WHERE kind = 'PARENT_POST'")).isEqualTo(1);
    assertThat(count(jdbc, "SELECT COUNT(*) FROM outbox WHERE kind = 'GRAPH'")).isEqualTo(1);
    assertThat(count(jdbc, "SELECT COUNT(*) FROM outbox")).isEqualTo(2);
  }

  @Test
  void credentialsAreNotStoredWithTheNotification() throws Exception {
    HttpResponse<String> response = api.post("/api/alerts",
        firing(newGroupKey(), "Secretive", "x"), BEARER);
    long id = AlertdeskClient.json(response).get("notification_id").asLong();

    String headers = text("jdbc:sqlite:" + sharedStorage.resolve("alertdesk.db"),
        "SELECT headers_json FROM notification WHERE id = " + id);

    assertThat(headers).contains("authorization").contains("[redacted]").doesNotContain(TOKEN);
    assertThat(headers).contains("Alertmanager/0.25.0");
    assertThat(api.get("/metrics").body()).doesNotContain(TOKEN);
  }

  @Test
  void healthReadyMetricsAndOpenApiAreServed() {
    HttpResponse<String> health = api.get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(AlertdeskClient.json(health).get("status").asText()).isEqualTo("ok");
    assertThat(api.get("/ready").statusCode()).isEqualTo(200);

    api.post("/api/alerts", firing(newGroupKey(), "Measured", "x"), BEARER);
    HttpResponse<String> metrics = api.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("text/plain"));
    assertThat(metrics.body())
        .contains("alertdesk_notifications_received_total{outcome=\"opened\"}")
        .contains("alertdesk_webhook_duration_seconds_bucket")
        .contains("alertdesk_outbox_depth");

    HttpResponse<String> openapi = api.get("/api/openapi.yaml");
    assertThat(openapi.statusCode()).isEqualTo(200);
    assertThat(openapi.body()).startsWith("openapi:").contains("/api/incidents");

    assertThat(api.get("/").body()).contains("Alertdesk");
  }

  @Test
  void theIncidentApiRejectsBadParameters() {
    HttpResponse<String> bogus = api.get("/api/incidents?status=bogus");
    assertThat(bogus.statusCode()).isEqualTo(400);
    assertThat(AlertdeskClient.json(bogus).get("error").asText()).contains("status");
    assertThat(api.get("/api/incidents?limit=0").statusCode()).isEqualTo(400);
    assertThat(api.get("/api/incidents?offset=x").statusCode()).isEqualTo(400);
    assertThat(api.get("/api/incidents/abc").statusCode()).isEqualTo(400);
    assertThat(api.get("/api/incidents/987654").statusCode()).isEqualTo(404);
    assertThat(api.get("/api/incidents?status=firing").statusCode()).isEqualTo(200);
  }

  @Test
  void withoutABotTokenTheServiceRecordsIncidentsAndCallsNoSlack(@TempDir Path storage)
      throws Exception {
    try (SlackStandIn unused = new SlackStandIn()) {
      Application app = own(Map.of(
          "STORAGE_DIR", storage.toString(),
          "SLACK_CHANNEL", "#alerts",
          "SLACK_API_URL", unused.apiUrl()));
      AlertdeskClient client = new AlertdeskClient(app.port());
      assertThat(client.get("/ready").statusCode()).isEqualTo(200);

      HttpResponse<String> response = client.post("/api/alerts",
          firing("{}:{alertname=\"NoSlack\"}", "NoSlack", "x"), null);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(AlertdeskClient.json(response).get("outcome").asText()).isEqualTo("opened");
      JsonNode list = client.getJson("/api/incidents");
      assertThat(list.get("total").asInt()).isEqualTo(1);
      assertThat(list.get("incidents").get(0).get("alertname").asText()).isEqualTo("NoSlack");
      // The would-be message is kept as a preview, not queued.
      assertThat(text("jdbc:sqlite:" + storage.resolve("alertdesk.db"),
          "SELECT status FROM outbox")).isEqualTo("skipped");
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
          .until(() -> unused.calls().isEmpty());
    }
  }

  // --- helpers ---

  private static Application start(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("LISTEN_HOST", "127.0.0.1");
    env.putAll(overrides);
    return Application.start(Settings.load(env), Clock.systemUTC());
  }

  private Application own(Map<String, String> overrides) {
    Application app = start(overrides);
    ownApps.add(app);
    return app;
  }

  private static String newGroupKey() {
    return "{}:{alertname=\"G" + GROUPS.incrementAndGet() + "\"}";
  }

  private static long incidentTotal() {
    return api.getJson("/api/incidents").get("total").asLong();
  }

  /** A version-4 payload, as Alertmanager 0.25 sends it, with one firing alert. */
  static String firing(String groupKey, String alertname, String instance) {
    return ("{\"receiver\":\"alertdesk\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
        + "\"labels\":{\"alertname\":\"%2$s\",\"instance\":\"%3$s\",\"severity\":\"warning\"},"
        + "\"annotations\":{\"summary\":\"%2$s on %3$s\"},"
        + "\"startsAt\":\"2026-01-01T00:00:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
        + "\"generatorURL\":\"http://prometheus:9090/graph\",\"fingerprint\":\"%4$016x\"}],"
        + "\"groupLabels\":{\"alertname\":\"%2$s\"},"
        + "\"commonLabels\":{\"alertname\":\"%2$s\",\"instance\":\"%3$s\",\"severity\":\"warning\"},"
        + "\"commonAnnotations\":{},\"externalURL\":\"http://alertmanager:9093\","
        + "\"version\":\"4\",\"groupKey\":\"%1$s\",\"truncatedAlerts\":0}")
        .formatted(groupKey.replace("\"", "\\\""), alertname, instance,
            (groupKey + alertname + instance).hashCode() & 0xffffffffL);
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sql(String jdbc, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static long count(String jdbc, String query) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String text(String jdbc, String query) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      assertThat(rs.next()).as("a row for %s", query).isTrue();
      return rs.getString(1);
    }
  }
}
