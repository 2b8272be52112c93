package dev.alertdesk.sentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.SentryStandIn;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The Sentry sink end to end, as a new user would try it: two real Alertmanagers (an HA pair's
 * copies) notify the service, which sends to the Sentry stand-in through the real Sentry SDK.
 * One event per occurrence, nothing for copies and repeats, retries on 429 and 503 with the same
 * event id, the issue resolved through the Web API when the alert resolves, a regression when it
 * fires again; no secret in logs, metrics or the status.
 */
class SentrySinkIT {
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration REPEAT_INTERVAL = Duration.ofSeconds(4);

  @TempDir Path storage;

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger root;
  private Level rootLevel;
  private SentryStandIn sentry;
  private Application app;
  private AlertmanagerProcess alertmanager;
  private AlertmanagerProcess replica;

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
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {alertmanager, replica, app, sentry}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // keep closing the rest
        }
      }
    }
    root.detachAppender(logs);
    logs.stop();
    root.setLevel(rootLevel);
  }

  @Test
  void oneEventPerOccurrenceRetriedUntilSentryTakesItAndTheIssueResolvedWithTheAlert()
      throws Exception {
    sentry = new SentryStandIn();
    Path config = storage.resolve("alertdesk.yml");
    Files.writeString(config, """
        sentry:
          organization: acme
          api_url: %s
          environment_label: env
        """.formatted(sentry.apiUrl()));
    Map<String, String> env = Map.of(
        "PORT", "0",
        "LISTEN_HOST", "127.0.0.1",
        "STORAGE_DIR", storage.toString(),
        "CONFIG_FILE", config.toString(),
        "SENTRY_DSN", sentry.dsn(),
        "SENTRY_AUTH_TOKEN", SentryStandIn.TOKEN);
    app = Application.start(Settings.load(env), Clock.systemUTC());
    AlertdeskClient client = new AlertdeskClient(app.port());
    AlertmanagerProcess.Config amConfig = AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:" + app.port() + "/api/alerts")
        .withGroupBy("alertname")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), REPEAT_INTERVAL);
    alertmanager = AlertmanagerProcess.start("SentrySinkIT-1", amConfig);
    replica = AlertmanagerProcess.start("SentrySinkIT-2", amConfig);

    // 1. A critical alert fires on both Alertmanagers while Sentry rate-limits, then fails.
    sentry.failNextEnvelopes(SentryStandIn.Fault.rateLimited(1), SentryStandIn.Fault.status(503));
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    PostableAlert disk = PostableAlert.firing(
        Map.of("alertname", "DiskFull", "instance", "db-1", "severity", "critical",
            "env", "prod"),
        Map.of("summary", "Disk /var is 97% full"), startsAt,
        "http://prometheus.example.com/graph?g0.expr=disk");
    alertmanager.push(disk);
    replica.push(disk);
    await("the event, after a 429 and a 503").atMost(DELIVERY_TIMEOUT)
        .until(() -> sentry.events().size() == 1);
    JsonNode event = sentry.events().get(0);
    String eventId = event.path("event_id").asText();
    assertThat(event.path("message").path("formatted").asText())
        .isEqualTo("Disk /var is 97% full");
    assertThat(event.path("level").asText()).isEqualTo("fatal");
    assertThat(event.path("environment").asText()).isEqualTo("prod");
    assertThat(event.path("fingerprint").get(0).asText()).isEqualTo("DiskFull");
    assertThat(event.path("tags").path("instance").asText()).isEqualTo("db-1");
    assertThat(event.path("request").path("url").asText())
        .isEqualTo("http://prometheus.example.com/graph?g0.expr=disk");
    assertThat(sentry.envelopes()).extracting(SentryStandIn.Envelope::status)
        .containsExactly(429, 503, 200);
    assertThat(sentry.envelopes()).allSatisfy(e ->
        assertThat(e.eventIds()).containsExactly(eventId));

    // 2. The HA copy and Alertmanager's repeats start no occurrence: nothing more is sent.
    await("both copies and two repeats").atMost(REPEAT_INTERVAL.multipliedBy(5))
        .until(() -> received("opened") + received("duplicate") >= 4);
    assertThat(received("opened")).isEqualTo(1);
    assertThat(sentry.envelopes()).hasSize(3);

    // 3. It resolves: the issue is resolved through the Web API, once.
    Instant endsAt = Instant.now().minusSeconds(1);
    alertmanager.push(disk.resolvedAt(endsAt));
    replica.push(disk.resolvedAt(endsAt));
    await("the issue resolved").atMost(DELIVERY_TIMEOUT)
        .until(() -> "resolved".equals(sentry.issueOf(eventId).status()));
    assertThat(sentry.apiCalls()).extracting(SentryStandIn.ApiCall::method)
        .containsExactly("GET", "PUT");

    // 4. It fires again (a new startsAt): a second event in the same issue, a regression.
    PostableAlert again = PostableAlert.firing(disk.labels(), disk.annotations(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS), disk.generatorUrl());
    alertmanager.push(again);
    replica.push(again);
    await("the second occurrence").atMost(DELIVERY_TIMEOUT)
        .until(() -> sentry.events().size() == 2);
    assertThat(sentry.issues()).singleElement().satisfies(issue -> {
      assertThat(issue.eventIds()).hasSize(2);
      assertThat(issue.status()).isEqualTo("unresolved");
      assertThat(issue.regressions()).isEqualTo(1);
    });
    await("quiet afterwards").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8))
        .until(() -> sentry.envelopes().size() == 4);

    // 5. Visible: metrics by outcome and the status section, without secrets.
    assertThat(calls("event", "delivered")).isEqualTo(2);
    assertThat(calls("event", "retry_after")).isEqualTo(1);
    assertThat(calls("event", "retry")).isEqualTo(1);
    assertThat(calls("resolve", "delivered")).isEqualTo(1);
    JsonNode status = client.getJson("/api/status").path("sections").path("sentry");
    assertThat(status.path("level").asText()).isEqualTo("ok");
    String metricsText = client.get("/metrics").body();
    assertThat(metricsText).contains("alertdesk_sentry_calls_total");
    List<String> evidence = new ArrayList<>();
    evidence.add(metricsText);
    evidence.add(status.toString());
    evidence.add(client.get("/api/status").body());
    logs.list.forEach(e -> evidence.add(e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())));
    assertThat(evidence).allSatisfy(text -> assertThat(text)
        .doesNotContain(SentryStandIn.PUBLIC_KEY)
        .doesNotContain(SentryStandIn.TOKEN));
  }

  private double received(String outcome) {
    Counter c = app.metrics().find("alertdesk_notifications_received")
        .tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  private double calls(String call, String outcome) {
    Counter c = app.metrics().find("alertdesk_sentry_calls").tag("call", call)
        .tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }
}
