package dev.alertdesk.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timeline entry written by a newer version, with a kind this one does not know, is shown as
 * written on the incident page and in {@code GET /api/incidents/{id}}, never as a 500. A chart of
 * a kind this version does not know is left out of both.
 */
class UnknownEventKindIT {
  private static final String HOSTILE_KIND = "<script>alert(1)</script>";

  @Test
  void anEventKindFromANewerVersionIsShownAsWritten(@TempDir Path dir) throws Exception {
    try (Application app = Application.start(Settings.load(Map.of("PORT", "0",
        "STORAGE_DIR", dir.toString())), Clock.systemUTC())) {
      AlertdeskClient client = new AlertdeskClient(app.port());
      HttpResponse<String> posted = client.post("/api/alerts",
          AlertmanagerPayload.group("team-a", "DiskFull")
              .firing("db-1", Instant.parse("2026-03-01T08:00:00Z")).json(), null);
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
      long id = AlertdeskClient.json(posted).path("incident_id").asLong();
      try (Connection c = DriverManager.getConnection(
              "jdbc:sqlite:" + dir.resolve("alertdesk.db"));
          PreparedStatement insert = c.prepareStatement("INSERT INTO incident_event "
              + "(incident_id, at, kind, details_json) VALUES (?, ?, ?, '{\"note\":\"new\"}')")) {
        for (String kind : List.of("from_the_future", HOSTILE_KIND)) {
          insert.setLong(1, id);
          insert.setLong(2, Instant.parse("2026-03-01T08:01:00Z").toEpochMilli());
          insert.setString(3, kind);
          insert.executeUpdate();
        }
      }

      HttpResponse<String> api = client.get("/api/incidents/" + id);
      assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
      List<String> kinds = new ArrayList<>();
      for (JsonNode e : AlertdeskClient.json(api).path("timeline")) {
        kinds.add(e.path("kind").asText());
      }
      assertThat(kinds).contains("opened", "from_the_future", HOSTILE_KIND);

      HttpResponse<String> page = client.get("/incidents/" + id);
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      assertThat(page.body()).contains("event-from_the_future", "from the future")
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(HOSTILE_KIND);
    }
  }

  @Test
  void aChartKindFromANewerVersionIsLeftOut(@TempDir Path dir) throws Exception {
    try (Application app = Application.start(Settings.load(Map.of("PORT", "0",
        "STORAGE_DIR", dir.toString())), Clock.systemUTC())) {
      AlertdeskClient client = new AlertdeskClient(app.port());
      HttpResponse<String> posted = client.post("/api/alerts",
          AlertmanagerPayload.group("team-a", "DiskFull")
              .firing("db-1", Instant.parse("2026-03-01T08:00:00Z")).json(), null);
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
      long id = AlertdeskClient.json(posted).path("incident_id").asLong();
      try (Connection c = DriverManager.getConnection(
              "jdbc:sqlite:" + dir.resolve("alertdesk.db"));
          PreparedStatement insert = c.prepareStatement("INSERT INTO chart "
              + "(id, incident_id, kind, created_at, file_name, query) VALUES (?, ?, ?, ?, ?, ?)")) {
        String[][] charts = {{"firing", "known_query"}, {"from_the_future", "future_query"}};
        for (int i = 0; i < charts.length; i++) {
          insert.setString(1, "0123456789abcdef0123456789abcde" + i);
          insert.setLong(2, id);
          insert.setString(3, charts[i][0]);
          insert.setLong(4, Instant.parse("2026-03-01T08:01:00Z").toEpochMilli() + i);
          insert.setString(5, "chart-" + i + ".png");
          insert.setString(6, charts[i][1]);
          insert.executeUpdate();
        }
      }

      HttpResponse<String> api = client.get("/api/incidents/" + id);
      assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
      List<String> titles = new ArrayList<>();
      for (JsonNode g : AlertdeskClient.json(api).path("graphs")) {
        titles.add(g.path("title").asText());
      }
      assertThat(titles).contains("Prometheus: known_query (while firing)")
          .noneMatch(t -> t.contains("future_query"));

      HttpResponse<String> page = client.get("/incidents/" + id);
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      assertThat(page.body()).contains("known_query").doesNotContain("future_query");
    }
  }
}
