package dev.alertdesk.sentry;

import static dev.alertdesk.sentry.SentryFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.config.SentrySettings;
import dev.alertdesk.delivery.DeliveryOutcome;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.testing.SentryStandIn;
import io.sentry.protocol.SentryId;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Sentry clients against the loopback Sentry stand-in, through the real Sentry SDK: the
 * event's fields on the wire, one event per id, 429 and 503 classified for the outbox to retry,
 * resolving an issue through the Web API, and no secret in any error.
 */
class SentryClientsIT {
  private final Clock clock = Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC);
  private SentryStandIn sentry;
  private SentryEvents events;

  @BeforeEach
  void start() throws Exception {
    sentry = new SentryStandIn();
    events = new SentryEvents(settings(SentrySettings.Fingerprint.ALERT), "alertdesk@test", clock);
  }

  @AfterEach
  void stop() {
    events.close();
    sentry.close();
  }

  private SentrySettings settings(SentrySettings.Fingerprint fingerprint) {
    return SentryFixtures.settings(sentry.dsn(), SentryStandIn.TOKEN, sentry.apiUrl(),
        fingerprint);
  }

  private static Alert diskFull() {
    return SentryFixtures.firing("a1b2c3d4e5f60718",
        Labels.of("alertname", "DiskFull", "severity", "critical", "env", "prod",
            "instance", "db-1:9100"),
        Labels.of("summary", "Disk /var is 97% full", "runbook_url", "https://runbooks/disk"),
        T0, "http://prometheus:9090/graph?g0.expr=disk");
  }

  private io.sentry.SentryEvent event(String eventId, Alert alert, Incident incident) {
    return new SentryEventMapper(settings(SentrySettings.Fingerprint.ALERT),
        "https://alertdesk.example.com")
        .event(new SentryId(eventId), incident, alert, alert.startsAt(), null, clock.instant());
  }

  @Test
  void anEventArrivesWithEveryFieldThroughTheSdk() {
    Alert alert = diskFull();
    Incident incident = SentryFixtures.incident(7, alert.labels(), List.of(alert));
    String id = SentryIntent.eventId("team-x", alert.fingerprint(), alert.startsAt());

    SentryResult result = events.capture(event(id, alert, incident));

    assertThat(result.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
    assertThat(sentry.envelopes()).singleElement().satisfies(e -> {
      assertThat(e.auth()).contains("sentry_key=" + SentryStandIn.PUBLIC_KEY);
      assertThat(e.eventIds()).containsExactly(id);
    });
    JsonNode e = sentry.events().get(0);
    assertThat(e.path("event_id").asText()).isEqualTo(id);
    assertThat(e.path("message").path("formatted").asText()).isEqualTo("Disk /var is 97% full");
    assertThat(e.path("level").asText()).isEqualTo("fatal");
    assertThat(e.path("logger").asText()).isEqualTo("alertdesk");
    assertThat(e.path("environment").asText()).isEqualTo("prod");
    assertThat(e.path("release").asText()).isEqualTo("alertdesk@test");
    assertThat(e.path("fingerprint")).extracting(JsonNode::asText)
        .containsExactly("DiskFull", "a1b2c3d4e5f60718");
    assertThat(e.path("tags").path("alertname").asText()).isEqualTo("DiskFull");
    assertThat(e.path("tags").path("instance").asText()).isEqualTo("db-1:9100");
    assertThat(e.path("request").path("url").asText())
        .isEqualTo("http://prometheus:9090/graph?g0.expr=disk");
    assertThat(e.path("extra").path("annotations").path("runbook_url").asText())
        .isEqualTo("https://runbooks/disk");
    assertThat(e.path("extra").path("startsAt").asText()).isEqualTo(T0.toString());
    assertThat(e.path("extra").path("incident_id").asLong()).isEqualTo(7);
    assertThat(e.path("extra").path("incident_url").asText())
        .isEqualTo("https://alertdesk.example.com/incidents/7");
    assertThat(e.path("timestamp").asText()).startsWith("2026-12-04T10:00:00");
  }

  @Test
  void aRateLimitAndAn503AreRetriedWithTheSameEventIdWhichSentryKeepsOnce() {
    Alert alert = diskFull();
    Incident incident = SentryFixtures.incident(7, alert.labels(), List.of(alert));
    String id = SentryIntent.eventId("team-x", alert.fingerprint(), alert.startsAt());
    sentry.failNextEnvelopes(SentryStandIn.Fault.rateLimited(7),
        SentryStandIn.Fault.status(503));

    SentryResult limited = events.capture(event(id, alert, incident));
    SentryResult unavailable = events.capture(event(id, alert, incident));
    SentryResult delivered = events.capture(event(id, alert, incident));
    SentryResult again = events.capture(event(id, alert, incident));

    assertThat(limited.outcome()).isEqualTo(DeliveryOutcome.RETRY_AFTER);
    assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(unavailable.outcome()).isEqualTo(DeliveryOutcome.RETRY);
    assertThat(unavailable.error()).contains("503");
    assertThat(delivered.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
    assertThat(again.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
    assertThat(sentry.envelopes()).hasSize(4)
        .allSatisfy(e -> assertThat(e.eventIds()).containsExactly(id));
    assertThat(sentry.events()).hasSize(1);
  }

  @Test
  void aRefusedKeyFailsForGoodWithoutShowingTheKey() throws Exception {
    String badDsn = sentry.dsn().replace(SentryStandIn.PUBLIC_KEY, "0badc0de0badc0de");
    SentrySettings bad = new SentrySettings(badDsn, null, null, null, sentry.apiUrl(), "env",
        SentrySettings.Fingerprint.ALERT, Duration.ofSeconds(5));
    Alert alert = diskFull();
    try (SentryEvents refused = new SentryEvents(bad, "alertdesk@test", clock)) {
      SentryResult result = refused.capture(event(
          SentryIntent.eventId("r", alert.fingerprint(), T0), alert,
          SentryFixtures.incident(7, alert.labels(), List.of(alert))));
      assertThat(result.outcome()).isEqualTo(DeliveryOutcome.FAILED);
      assertThat(result.error()).contains("401").doesNotContain("0badc0de0badc0de");
    }
  }

  @Test
  void anUnreachableSentryIsRetriedWithoutShowingTheDsn() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String dsn = "http://" + SentryStandIn.PUBLIC_KEY + "@127.0.0.1:" + port + "/42";
    SentrySettings down = new SentrySettings(dsn, null, null, null, sentry.apiUrl(), "env",
        SentrySettings.Fingerprint.ALERT, Duration.ofSeconds(2));
    Alert alert = diskFull();
    try (SentryEvents unreachable = new SentryEvents(down, "alertdesk@test", clock)) {
      SentryResult result = unreachable.capture(event(
          SentryIntent.eventId("r", alert.fingerprint(), T0), alert,
          SentryFixtures.incident(7, alert.labels(), List.of(alert))));
      assertThat(result.outcome()).isEqualTo(DeliveryOutcome.RETRY);
      assertThat(result.error()).isNotBlank().doesNotContain(SentryStandIn.PUBLIC_KEY);
    }
  }

  @Test
  void resolvingFindsTheIssueByEventIdAndResolvesIt() {
    Alert alert = diskFull();
    Incident incident = SentryFixtures.incident(7, alert.labels(), List.of(alert));
    String id = SentryIntent.eventId("team-x", alert.fingerprint(), alert.startsAt());
    SentryIssues issues = new SentryIssues(settings(SentrySettings.Fingerprint.ALERT), clock);

    SentryResult early = issues.resolve(id);
    events.capture(event(id, alert, incident));
    sentry.failNextApiCalls(SentryStandIn.Fault.rateLimited(3), SentryStandIn.Fault.status(503));
    SentryResult limited = issues.resolve(id);
    SentryResult unavailable = issues.resolve(id);
    SentryResult resolved = issues.resolve(id);

    assertThat(early.outcome()).as("not stored yet").isEqualTo(DeliveryOutcome.RETRY);
    assertThat(limited.outcome()).isEqualTo(DeliveryOutcome.RETRY_AFTER);
    assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(unavailable.outcome()).isEqualTo(DeliveryOutcome.RETRY);
    assertThat(resolved.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
    assertThat(sentry.issueOf(id).status()).isEqualTo("resolved");
    List<SentryStandIn.ApiCall> ok = sentry.apiCalls().stream()
        .filter(c -> c.status() == 200).toList();
    assertThat(ok).extracting(SentryStandIn.ApiCall::method).containsExactly("GET", "PUT");
    assertThat(ok.get(0).path()).isEqualTo("/api/0/organizations/acme/eventids/" + id + "/");
    assertThat(ok.get(1).path()).isEqualTo("/api/0/organizations/acme/issues/"
        + sentry.issueOf(id).id() + "/");
    assertThat(ok.get(1).body()).isEqualTo("{\"status\":\"resolved\"}");
  }

  @Test
  void aRefusedTokenFailsForGoodWithoutShowingTheToken() {
    Alert alert = diskFull();
    String id = SentryIntent.eventId("team-x", alert.fingerprint(), alert.startsAt());
    events.capture(event(id, alert, SentryFixtures.incident(7, alert.labels(), List.of(alert))));
    String wrong = "sntrys_wrongTokenValue_123456";
    SentrySettings s = new SentrySettings(sentry.dsn(), wrong, "acme", null, sentry.apiUrl(),
        "env", SentrySettings.Fingerprint.ALERT, Duration.ofSeconds(5));

    SentryResult result = new SentryIssues(s, clock).resolve(id);

    assertThat(result.outcome()).isEqualTo(DeliveryOutcome.FAILED);
    assertThat(result.error()).contains("401").doesNotContain(wrong);
  }

  @Test
  void anEventOfAnotherProjectIsNotResolved() {
    Alert alert = diskFull();
    String id = SentryIntent.eventId("team-x", alert.fingerprint(), alert.startsAt());
    events.capture(event(id, alert, SentryFixtures.incident(7, alert.labels(), List.of(alert))));
    SentrySettings s = new SentrySettings(sentry.dsn(), SentryStandIn.TOKEN, "acme", "payments",
        sentry.apiUrl(), "env", SentrySettings.Fingerprint.ALERT, Duration.ofSeconds(5));

    SentryResult result = new SentryIssues(s, clock).resolve(id);

    assertThat(result.outcome()).isEqualTo(DeliveryOutcome.FAILED);
    assertThat(result.error()).contains("\"alerts\"", "\"payments\"");
    assertThat(sentry.issueOf(id).status()).isEqualTo("unresolved");
  }
}
