package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * With {@code LOG_JSON=true} ({@code logback-json.xml}), the stable log keys are JSON fields, not
 * only text inside {@code message}: a webhook's log line carries {@code incident_id},
 * {@code receiver} and {@code group_key} as fields.
 */
class JsonLogFieldsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aWebhookLogLineCarriesIncidentIdAsAJsonField(@TempDir Path dir) throws Exception {
    Encoder<ILoggingEvent> encoder = encoderOfLogbackJsonXml();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level rootLevel = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.setContext(context);
    logs.start();
    root.setLevel(Level.INFO);
    root.addAppender(logs);
    long id;
    try (Application app = Application.start(Settings.load(Map.of("PORT", "0",
        "STORAGE_DIR", dir.toString())), Clock.systemUTC())) {
      HttpResponse<String> posted = new AlertdeskClient(app.port()).post("/api/alerts",
          AlertmanagerPayload.group("team-a", "DiskFull")
              .firing("db-1", Instant.parse("2026-03-01T08:00:00Z")).json(), null);
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
      id = AlertdeskClient.json(posted).path("incident_id").asLong();
    } finally {
      root.detachAppender(logs);
      logs.stop();
      root.setLevel(rootLevel);
    }

    List<JsonNode> lines = new ArrayList<>();
    for (ILoggingEvent event : List.copyOf(logs.list)) {
      lines.add(JSON.readTree(new String(encoder.encode(event), StandardCharsets.UTF_8)));
    }
    assertThat(lines).filteredOn(line -> line.has("incident_id"))
        .as("JSON log lines with an incident_id field").isNotEmpty()
        .anySatisfy(line -> {
          assertThat(line.path("incident_id").asLong()).isEqualTo(id);
          assertThat(line.path("receiver").asText()).isEqualTo("team-a");
          assertThat(line.path("group_key").asText()).isNotEmpty();
          assertThat(line.path("message").asText()).contains("incident_id=" + id);
        });
  }

  /** The encoder {@code LOG_JSON=true} selects, built from the shipped {@code logback-json.xml}. */
  @SuppressWarnings("unchecked")
  private static Encoder<ILoggingEvent> encoderOfLogbackJsonXml() throws Exception {
    URL config = JsonLogFieldsIT.class.getClassLoader().getResource("logback-json.xml");
    assertThat(config).isNotNull();
    LoggerContext separate = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(separate);
    configurator.doConfigure(config);
    OutputStreamAppender<ILoggingEvent> stdout = (OutputStreamAppender<ILoggingEvent>)
        separate.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
    return stdout.getEncoder();
  }
}
