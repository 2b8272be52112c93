package dev.alertdesk.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.alert.Matcher;
import dev.alertdesk.testing.AlertmanagerProcess;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The silence API client against a real Alertmanager 0.25. */
class AlertmanagerClientIT {
  private static AlertmanagerProcess alertmanager;
  private static AlertmanagerClient client;

  @BeforeAll
  static void start() throws Exception {
    alertmanager = AlertmanagerProcess.start("AlertmanagerClientIT",
        AlertmanagerProcess.Config.webhook("http://127.0.0.1:9/unused"));
    client = new AlertmanagerClient(alertmanager.url());
  }

  @AfterAll
  static void stop() {
    if (alertmanager != null) {
      alertmanager.close();
    }
  }

  private static Matcher eq(String name, String value) {
    return Matcher.of(Matcher.Type.EQUAL, name, value);
  }

  @Test
  void aSilenceIsCreatedListedAndExpired() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String id = client.createSilence(List.of(eq("alertname", "Quote\"d"),
        Matcher.of(Matcher.Type.NOT_REGEX_MATCH, "namespace", "dev|staging")), now, now.plus(Duration.ofHours(4)), "alice",
        "Silenced from Slack by @alice for incident #1");

    Silence silence = client.silences().stream().filter(s -> s.id().equals(id)).findFirst()
        .orElseThrow();
    assertThat(silence.state()).isEqualTo("active");
    assertThat(silence.createdBy()).isEqualTo("alice");
    assertThat(silence.endsAt()).isEqualTo(now.plus(Duration.ofHours(4)));
    assertThat(silence.matchers()).containsExactlyInAnyOrder(eq("alertname", "Quote\"d"),
        Matcher.of(Matcher.Type.NOT_REGEX_MATCH, "namespace", "dev|staging"));

    client.expireSilence(id);
    client.expireSilence(id); // already expired: still fine
    assertThat(client.silences()).filteredOn(s -> s.id().equals(id))
        .singleElement().satisfies(s -> assertThat(s.state()).isEqualTo("expired"));
  }

  @Test
  void alertmanagersOwnErrorTextIsReported() {
    Instant now = Instant.now();
    // Alertmanager 0.25 answers a JSON string: "Failed to create silence: start time must be
    // before end time".
    assertThatThrownBy(() -> client.createSilence(List.of(eq("alertname", "X")), now,
        now.minusSeconds(60), "alice", "c"))
        .isInstanceOf(AlertmanagerException.class)
        .satisfies(e -> assertThat(((AlertmanagerException) e).status()).isEqualTo(400))
        .hasMessage("Failed to create silence: start time must be before end time");
    // ... and a 500 with "silence not found" for an unknown id.
    assertThatThrownBy(() -> client.expireSilence("00000000-0000-0000-0000-000000000000"))
        .isInstanceOf(AlertmanagerException.class)
        .hasMessageContaining("not found")
        .satisfies(e -> assertThat(((AlertmanagerException) e).isNotFound()).isTrue());
  }

  @Test
  void unresolvedAlertsAreCountedByMatcher() {
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10);
    alertmanager.push(AlertmanagerProcess.PostableAlert.firing(
        java.util.Map.of("alertname", "CountMe", "namespace", "prod"), java.util.Map.of(),
        startsAt, null));
    assertThat(client.countUnresolvedAlerts(List.of("alertname=\"CountMe\"",
        "namespace=\"prod\""))).isEqualTo(1);
    assertThat(client.countUnresolvedAlerts(List.of("alertname=\"CountMe\"",
        "namespace=\"staging\""))).isZero();
  }

  @Test
  void anUnreachableAlertmanagerIsReportedWithStatusZero() {
    AlertmanagerClient nowhere = new AlertmanagerClient("http://127.0.0.1:9");
    assertThatThrownBy(nowhere::silences).isInstanceOf(AlertmanagerException.class)
        .hasMessageContaining("unreachable")
        .satisfies(e -> assertThat(((AlertmanagerException) e).status()).isZero());
  }
}
