package dev.alertdesk.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV export neutralises spreadsheet formulas (OWASP "CSV Injection"): a cell from alert data
 * starting with {@code = + - @}, a tab or a carriage return is written with a leading
 * {@code '}, so opening the export runs nothing.
 */
class CsvFormulaIT {
  @Test
  void cellsThatWouldRunAsFormulasAreWrittenAsText(@TempDir Path dir) throws Exception {
    try (Application app = Application.start(Settings.load(Map.of("PORT", "0",
        "STORAGE_DIR", dir.toString())), Clock.systemUTC())) {
      AlertdeskClient client = new AlertdeskClient(app.port());
      String formula = "=HYPERLINK(\"https://evil.example\",\"Click\")";
      var payload = AlertmanagerPayload.group("+cmd|' /C calc'!A0", formula)
          .groupKey("-2+3")
          .alert("firing", Map.of("alertname", formula, "severity", "@SUM(1+1)"),
              Instant.parse("2026-03-01T08:00:00Z"), null);
      assertThat(client.post("/api/alerts", payload.json(), null).statusCode()).isEqualTo(200);

      String csv = client.get("/api/export/incidents.csv").body();
      CsvMapper mapper = new CsvMapper();
      MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class)
          .with(CsvSchema.emptySchema().withHeader()).readValues(csv);
      List<Map<String, String>> all = rows.readAll();
      assertThat(all).hasSize(1);
      Map<String, String> row = all.get(0);
      assertThat(row.get("alertname")).isEqualTo("'" + formula);
      assertThat(row.get("receiver")).isEqualTo("'+cmd|' /C calc'!A0");
      assertThat(row.get("group_key")).isEqualTo("'-2+3");
      assertThat(row.get("severity")).isEqualTo("'@SUM(1+1)");
      assertThat(row.values()).noneMatch(v -> !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0
          && !v.matches("-?[0-9.]+"));
      assertThat(row.get("id")).isEqualTo("1");
    }
  }
}
