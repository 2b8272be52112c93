package dev.alertdesk.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One valid webhook with 100,000 alerts (half resolved, listed first): the incident page and
 * {@code GET /api/incidents/{id}} answer a bounded page, firing alerts first, with the counts
 * and a link to the rest, instead of rendering every alert (64 MB of HTML, an
 * {@code OutOfMemoryError} at the launcher's heap).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncidentPagingIT {
  private static final int ALERTS = 100_000;
  private Application app;
  private AlertdeskClient client;
  private long id;

  @BeforeAll
  void start(@TempDir Path dir) {
    app = Application.start(Settings.load(Map.of("PORT", "0", "STORAGE_DIR", dir.toString(),
        "MAX_PAYLOAD_BYTES", String.valueOf(64 * 1024 * 1024))), Clock.systemUTC());
    // Each 100,000-alert webhook takes seconds when idle and over 30 s on a loaded machine.
    client = new AlertdeskClient(app.port(), java.time.Duration.ofMinutes(3));
    // All firing first (an incident opens with its firing alerts), then half resolved.
    HttpResponse<String> posted = client.post("/api/alerts", payload(0), null);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    posted = client.post("/api/alerts", payload(ALERTS / 2), null);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    id = AlertdeskClient.json(posted).path("incident_id").asLong();
  }

  /** A notification of all alerts, the first {@code resolvedCount} of them resolved. */
  private static String payload(int resolvedCount) {
    StringBuilder alerts = new StringBuilder(ALERTS * 200);
    for (int n = 0; n < ALERTS; n++) {
      boolean resolved = n < resolvedCount;
      alerts.append(n == 0 ? "" : ",").append("{\"status\":\"")
          .append(resolved ? "resolved" : "firing")
          .append("\",\"labels\":{\"alertname\":\"Huge\",\"instance\":\"i-").append(n)
          .append("\"},\"annotations\":{},\"startsAt\":\"2026-03-01T08:00:00Z\",\"endsAt\":\"")
          .append(resolved ? "2026-03-01T08:05:00Z" : "0001-01-01T00:00:00Z")
          .append("\",\"fingerprint\":\"").append(String.format("%016x", n)).append("\"}");
    }
    return "{\"version\":\"4\",\"receiver\":\"r\",\"status\":\"firing\","
        + "\"groupKey\":\"{}:{alertname=\\\"Huge\\\"}\",\"groupLabels\":{\"alertname\":\"Huge\"},"
        + "\"commonLabels\":{\"alertname\":\"Huge\"},\"commonAnnotations\":{},"
        + "\"externalURL\":\"http://am:9093\",\"alerts\":[" + alerts + "]}";
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void theApiAnswersOnePageFiringFirstWithCountsAndALinkToTheRest() {
    JsonNode first = client.getJson("/api/incidents/" + id);
    assertThat(first.path("firing_count").asInt()).isEqualTo(ALERTS / 2);
    assertThat(first.path("resolved_count").asInt()).isEqualTo(ALERTS / 2);
    assertThat(first.path("alerts_total").asInt()).isEqualTo(ALERTS);
    assertThat(first.path("alerts")).hasSize(HistoryViews.DEFAULT_ALERTS_PER_PAGE)
        .allSatisfy(a -> assertThat(a.path("status").asText()).isEqualTo("firing"));
    String next = first.path("alerts_next").asText();
    assertThat(next).isEqualTo("/api/incidents/" + id + "?alerts_offset=100&alerts_limit=100");
    assertThat(client.getJson(next).path("alerts").get(0).path("labels").path("instance")
        .asText()).isEqualTo("i-" + (ALERTS / 2 + 100));

    JsonNode last = client.getJson("/api/incidents/" + id + "?alerts_offset=" + (ALERTS - 10)
        + "&alerts_limit=1000");
    assertThat(last.path("alerts")).hasSize(10)
        .allSatisfy(a -> assertThat(a.path("status").asText()).isEqualTo("resolved"));
    assertThat(last.path("alerts_next").isNull()).isTrue();
    assertThat(client.get("/api/incidents/" + id + "?alerts_limit=100000").statusCode())
        .isEqualTo(400);
    assertThat(client.get("/api/incidents/" + id + "?alerts_offset=-1").statusCode())
        .isEqualTo(400);
  }

  @Test
  void theIncidentPageStaysSmallAndLinksToTheNextAlerts() {
    HttpResponse<String> page = client.get("/incidents/" + id);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body().length()).isLessThan(300_000);
    assertThat(page.body()).contains("50000 firing, 50000 resolved")
        .contains("1–100 of 100000, firing first")
        .contains("href=\"/incidents/" + id + "?alerts_offset=100&amp;alerts_limit=100\"");
    assertThat(client.get("/api/incidents/" + id).body().length()).isLessThan(300_000);
  }
}
