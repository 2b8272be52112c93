package dev.alertdesk.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.ConfigException;
import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.config.Settings;
import dev.alertdesk.store.Database;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Fault;
import dev.alertdesk.testing.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * No secret leaks (STYLE.md): the Slack bot token, the signing secret, the webhook bearer token
 * and basic-auth password, and the PostgreSQL password never appear in a log line (plain or
 * JSON, at DEBUG, with stack traces), in {@code /metrics}, in an HTTP answer, in an exception,
 * or anywhere in the database, while the service really runs on them and Slack and the database
 * fail in the ways that produce error messages.
 */
class SecretsNotLoggedIT {
  static final String BOT_TOKEN = "xoxb-1111-2222-SecretBotTokenQx7";
  static final String SIGNING_SECRET = "SecretSigningQx8e5c0a77";
  static final String BEARER = "SecretBearerQx9c4e2";
  static final String BASIC_PASSWORD = "SecretBasicQx5a88";
  static final String PG_PASSWORD = "SecretPgQx3-7Hq2";
  static final List<String> SECRETS = List.of(BOT_TOKEN, SIGNING_SECRET, BEARER, BASIC_PASSWORD,
      PG_PASSWORD);

  @TempDir Path storage;
  final HttpClient http = HttpClient.newHttpClient();
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  final List<String> evidence = new ArrayList<>();
  Logger root;
  Level rootLevel;

  @BeforeEach
  void captureLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs.setContext(context);
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void restoreLogs() {
    root.detachAppender(logs);
    logs.stop();
    root.setLevel(rootLevel);
  }

  @Test
  void noSecretAppearsInLogsMetricsAnswersExceptionsOrTheDatabase() throws Exception {
    try (TestDatabases.PostgresDatabase pg = TestDatabases.createPostgresOwnedBy(PG_PASSWORD);
        SlackStandIn slack = new SlackStandIn()) {
      assertThat(pg.connectionString()).contains(PG_PASSWORD);
      Map<String, String> env = env(slack, pg.connectionString());
      Settings settings = Settings.load(env);
      evidence.add(settings.toString());
      evidence.add(settings.database().toString());

      // Slack fails first with a 5xx, then rejects the token, then rate-limits.
      slack.failNext(Fault.httpError(500), Fault.slackError("invalid_auth"),
          Fault.rateLimited(1));
      try (Application app = Application.start(settings, Clock.systemUTC())) {
        String base = "http://127.0.0.1:" + app.port();
        await().atMost(Duration.ofSeconds(20)).until(() -> get(base + "/ready").statusCode() == 200);

        AlertmanagerPayload first = AlertmanagerPayload.group("team-a", "DiskFull")
            .firing("db-1", Instant.now().minusSeconds(60));
        assertThat(post(base, first.json(), null).statusCode()).isEqualTo(401);
        assertThat(post(base, first.json(), "Bearer not-" + BEARER).statusCode()).isEqualTo(401);
        assertThat(post(base, first.json(), "Basic " + basic("alertmanager:wrong")).statusCode())
            .isEqualTo(401);
        assertThat(post(base, "{not json", "Bearer " + BEARER).statusCode()).isEqualTo(400);
        assertThat(post(base, first.json(), "Bearer " + BEARER).statusCode()).isEqualTo(200);
        assertThat(post(base, first.json(), "Basic " + basic("alertmanager:" + BASIC_PASSWORD))
            .statusCode()).isEqualTo(200);
        AlertmanagerPayload second = AlertmanagerPayload.group("team-a", "HighLatency")
            .firing("api-1", Instant.now().minusSeconds(30));
        assertThat(post(base, second.json(), "Bearer " + BEARER).statusCode()).isEqualTo(200);
        AlertmanagerPayload change = AlertmanagerPayload.group("team-a", "DiskFull")
            .firing("db-1", Instant.now().minusSeconds(60))
            .firing("db-2", Instant.now().minusSeconds(10));
        assertThat(post(base, change.json(), "Bearer " + BEARER).statusCode()).isEqualTo(200);

        try (Database db = Database.open(pg.target())) {
          await().atMost(Duration.ofSeconds(20)).until(() -> db.jdbi().withHandle(h -> h
              .createQuery("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
              .mapTo(Long.class).one()) == 0);
          evidence.addAll(everyValueIn(db));
        }
        for (String path : List.of("/metrics", "/api/incidents", "/api/incidents/1",
            "/api/incidents/2", "/ready", "/health")) {
          evidence.add(get(base + path).body());
        }
        evidence.add(app.metrics().scrape());
      }
      assertThat(slack.calls()).extracting(SlackStandIn.Call::authorization)
          .as("the token was really used").containsOnly("Bearer " + BOT_TOKEN);
      assertThat(slack.calls()).filteredOn(c -> !c.ok()).hasSize(3);
      assertThat(slack.successful()).isNotEmpty();
    }

    storageFailures();
    assertNoSecretAnywhere();
  }

  /** The database unreachable, with the password in both accepted connection-string forms. */
  void storageFailures() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String urlForm = "postgres://alertdesk:" + PG_PASSWORD + "@127.0.0.1:" + closed + "/alertdesk";
    String jdbcForm = "jdbc:postgresql://127.0.0.1:" + closed + "/alertdesk?user=alertdesk&password="
        + PG_PASSWORD;
    // Each unreachable connect waits out the pool's 5 s timeout: wait for them side by side.
    List<CompletableFuture<String>> migrations = new ArrayList<>();
    for (String form : List.of(urlForm, jdbcForm)) {
      migrations.add(CompletableFuture.supplyAsync(() -> {
        try (Database db = Database.open(DatabaseTarget.parse(form))) {
          return describe(catchThrowable(db::migrate));
        }
      }));
    }
    for (String broken : List.of("postgres://alertdesk:" + PG_PASSWORD + "@/alertdesk",
        "postgres://alertdesk:" + PG_PASSWORD + "@127.0.0.1:notaport/alertdesk",
        "mysql://alertdesk:" + PG_PASSWORD + "@127.0.0.1/alertdesk")) {
      Throwable t = catchThrowable(() -> DatabaseTarget.parse(broken));
      assertThat(t).isInstanceOf(ConfigException.class);
      evidence.add(describe(t));
    }

    Map<String, String> env = new HashMap<>(env(null, jdbcForm));
    env.remove("SLACK_BOT_TOKEN");
    Settings settings = Settings.load(env);
    evidence.add(settings.toString());
    try (Application app = Application.start(settings, Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + app.port();
      HttpResponse<String> rejected = post(base, AlertmanagerPayload.group("team-a", "DiskFull")
          .firing("db-1", Instant.now()).json(), "Bearer " + BEARER);
      assertThat(rejected.statusCode()).isEqualTo(503);
      evidence.add(rejected.body());
      HttpResponse<String> ready = get(base + "/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      evidence.add(ready.body());
      HttpResponse<String> list = get(base + "/api/incidents");
      assertThat(list.statusCode()).isEqualTo(503);
      evidence.add(list.body());
      evidence.add(app.metrics().scrape());
    }
    for (CompletableFuture<String> failure : migrations) {
      evidence.add(failure.get(30, TimeUnit.SECONDS));
    }
  }

  void assertNoSecretAnywhere() {
    List<String> lines = renderedLogs();
    assertThat(lines).as("captured log lines").isNotEmpty();
    assertThat(String.join("\n", lines))
        .as("the failures were logged")
        .contains("invalid_auth", "http_500", "rate-limited", "database not ready",
            "webhook not committed");
    for (String secret : SECRETS) {
      assertThat(lines.stream().filter(line -> line.contains(secret)).toList())
          .as("log lines containing a secret").isEmpty();
      assertThat(evidence.stream().filter(text -> text != null && text.contains(secret)).toList())
          .as("answers, metrics, exceptions and stored values containing a secret").isEmpty();
    }
  }

  /** Every log event twice: as the plain pattern with full stack trace, and as JSON. */
  List<String> renderedLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder plain = new PatternLayoutEncoder();
    plain.setContext(context);
    plain.setPattern("%level [%thread] %logger - %msg %mdc%n%ex{full}");
    plain.start();
    LogstashEncoder json = new LogstashEncoder();
    json.setContext(context);
    json.start();
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : List.copyOf(logs.list)) {
      lines.add(new String(plain.encode(event), StandardCharsets.UTF_8));
      lines.add(new String(json.encode(event), StandardCharsets.UTF_8));
    }
    return lines;
  }

  Map<String, String> env(SlackStandIn slack, String db) {
    Map<String, String> env = new HashMap<>();
    env.put("LISTEN_HOST", "127.0.0.1");
    env.put("PORT", "0");
    env.put("STORAGE_DIR", storage.toString());
    env.put("DB_CONNECTION_STRING", db);
    env.put("SLACK_BOT_TOKEN", BOT_TOKEN);
    env.put("SLACK_SIGNING_SECRET", SIGNING_SECRET);
    env.put("SLACK_CHANNEL", "#alerts");
    env.put("SLACK_API_URL", slack == null ? "http://127.0.0.1:9/api/" : slack.apiUrl());
    env.put("WEBHOOK_BEARER_TOKEN", BEARER);
    env.put("WEBHOOK_BASIC_AUTH", "alertmanager:" + BASIC_PASSWORD);
    env.put("LOG_LEVEL", "debug");
    return env;
  }

  /** Every text value of every table. */
  static List<String> everyValueIn(Database db) {
    return db.jdbi().withHandle(h -> {
      List<String> values = new ArrayList<>();
      List<String> tables = h.createQuery("SELECT table_name FROM information_schema.tables "
          + "WHERE table_schema = 'public'").mapTo(String.class).list();
      assertThat(tables).contains("notification", "outbox", "incident_event");
      for (String table : tables) {
        h.createQuery("SELECT * FROM " + table).mapToMap().forEach(row ->
            row.values().forEach(v -> values.add(String.valueOf(v))));
      }
      assertThat(values).anyMatch(v -> v.contains("\"authorization\":\"[redacted]\""));
      return values;
    });
  }

  static String describe(Throwable t) {
    assertThat(t).isNotNull();
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return t + "\n" + out;
  }

  static String basic(String credentials) {
    return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> post(String base, String body, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/alerts"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response = http.send(request.build(),
        HttpResponse.BodyHandlers.ofString());
    evidence.add(response.body());
    evidence.add(response.headers().map().toString());
    return response;
  }

  HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
