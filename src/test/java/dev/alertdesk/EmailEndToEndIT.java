package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SmtpFront;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * E-mail as a new user meets it: a real Alertmanager fires a critical alert that nobody
 * acknowledges; the running service (configured with {@code smtp} and a route with
 * {@code email}) mails through a real SMTP server (GreenMail behind the STARTTLS front) one
 * opened mail, one escalation and one resolved mail, threaded as one conversation.
 */
class EmailEndToEndIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String PASSWORD = "e2e-smtp-Pw!42";

  @TempDir Path storage;
  private GreenMail greenMail;
  private SmtpFront front;
  private SlackStandIn slack;
  private Application app;
  private AlertmanagerProcess alertmanager;

  @AfterEach
  void stop() throws Exception {
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (app != null) {
      app.close();
    }
    if (slack != null) {
      slack.close();
    }
    if (front != null) {
      front.close();
    }
    if (greenMail != null) {
      greenMail.stop();
    }
  }

  @Test
  void anUnacknowledgedCriticalAlertGivesOpenedEscalationAndResolvedMailsInOneThread()
      throws Exception {
    greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    greenMail.start();
    greenMail.setUser("alertdesk@example.com", "alertdesk", PASSWORD);
    front = new SmtpFront(greenMail.getSmtp().getPort(), storage);
    slack = new SlackStandIn();
    Path file = storage.resolve("alertdesk.yml");
    Files.writeString(file, """
        smtp:
          host: 127.0.0.1
          port: %d
          starttls: required
          username: alertdesk
          password: ${SMTP_PASSWORD}
          from: "Alertdesk <alertdesk@example.com>"
          ca_file: %s
        routes:
          - matchers: ['severity="critical"']
            email:
              to: [oncall@example.com]
              on: [opened, resolved, unacknowledged]
        reminders:
          unacknowledged_after: 4s
        """.formatted(front.port(), front.caFile()));
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-test",
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "BASE_URL", "https://alertdesk.example.com",
        "PROMETHEUS_URL", "http://127.0.0.1:9",
        "CONFIG_FILE", file.toString(),
        "SMTP_PASSWORD", PASSWORD));
    app = Application.start(Settings.load(env), Clock.systemUTC());
    AlertdeskClient client = new AlertdeskClient(app.port());
    alertmanager = AlertmanagerProcess.start("EmailE2E", AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:" + app.port() + "/api/alerts")
        .withGroupBy("alertname")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1)));

    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(5);
    Map<String, String> labels = Map.of("alertname", "CheckoutDown", "severity", "critical",
        "instance", "checkout-1");
    alertmanager.push(PostableAlert.firing(labels,
        Map.of("summary", "Checkout is down", "runbook_url", "https://runbooks.example.com/co"),
        startsAt, "https://prometheus.example.com/graph?g0.expr=up"));

    await("the opened mail and the escalation").atMost(TIMEOUT)
        .until(() -> greenMail.getReceivedMessages().length >= 2);
    alertmanager.push(new PostableAlert(labels, Map.of("summary", "Checkout is down"), startsAt,
        Instant.now().minusSeconds(1), null));
    await("the resolved mail").atMost(TIMEOUT)
        .until(() -> greenMail.getReceivedMessages().length >= 3);

    List<MimeMessage> mails = List.of(greenMail.getReceivedMessages());
    assertThat(mails).hasSize(3);
    String thread = mails.get(0).getMessageID();
    assertThat(mails.get(0).getSubject()).isEqualTo("[FIRING] Incident #1: CheckoutDown (critical)");
    assertThat(mails.get(1).getSubject()).isEqualTo("[FIRING] Incident #1: CheckoutDown (critical)");
    assertThat(mails.get(2).getSubject())
        .isEqualTo("[RESOLVED] Incident #1: CheckoutDown (critical)");
    for (MimeMessage reply : mails.subList(1, 3)) {
      assertThat(reply.getHeader("In-Reply-To")).containsExactly(thread);
      assertThat(reply.getHeader("References")).containsExactly(thread);
    }
    assertThat(front.tlsConnections()).hasSize(3);
    String text = textOf(mails.get(1));
    assertThat(text).contains("Escalation: critical incident #1 CheckoutDown is still "
        + "unacknowledged after", "Runbook: https://runbooks.example.com/co",
        "Incident page: https://alertdesk.example.com/incidents/1",
        "Slack thread: https://slack.com/app_redirect?channel=");

    JsonNode status = client.getJson("/api/status");
    assertThat(status.at("/sections/email/level").asText()).isEqualTo("ok");
    assertThat(status.at("/sections/email/details/host").asText()).isEqualTo("127.0.0.1");
    assertThat(status.toString()).doesNotContain(PASSWORD);
    await("the metric").atMost(TIMEOUT).until(() -> client.get("/metrics").body().contains(
        "alertdesk_deliveries_total{outcome=\"delivered\",target=\"email\"} 3.0"));
  }

  private static String textOf(MimeMessage m) throws Exception {
    return (String) ((jakarta.mail.Multipart) m.getContent()).getBodyPart(0).getContent();
  }
}
