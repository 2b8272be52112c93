package dev.alertdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.PrometheusProcess;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code replay} prints what the running service sends: the same saved payloads go to
 * {@code replay} and, over HTTP, to the service with the Slack stand-in (through the real SDK) and
 * a real Prometheus 2.42 that scrapes itself (the alerts' query is {@code up}, so the current
 * value is 1 in both). Parents (posts and updates), thread replies and graph uploads are compared
 * as Block Kit JSON trees, in order, after normalising what differs by when they were made: Slack
 * date tokens ({@code <!date^…|…>}), ISO times, clock times ({@code 10:42}), durations
 * ({@code 42m}, {@code 1h 5m}, {@code 30s}), epoch seconds or milliseconds, and chart ids.
 */
class ReplayParityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WEBHOOK_TOKEN = "parity-webhook";
  private static final Pattern SLACK_LINE = Pattern.compile(
      "^  slack (\\w+) channel=(\\S+) thread_of=#(\\d+)(?: (\\S+))?"
          + "(?: file=(\\S+) title=\"([^\"]*)\")?.*$");

  @TempDir Path dir;

  private PrometheusProcess prometheus;
  private SlackStandIn slack;
  private Application app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (slack != null) {
      slack.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void replayOfSavedPayloadsPrintsWhatTheSlackStandInThenReceivesFromTheRunningService()
      throws Exception {
    prometheus = PrometheusProcess.start("ReplayParityIT", "/prometheus/rules.yml", null, null);
    await("Prometheus scraped itself").atMost(Duration.ofSeconds(30)).until(() ->
        prometheus.get("/api/v1/query?query=count_over_time(up%5B1m%5D)%3E3")
            .contains("\"value\""));
    slack = new SlackStandIn();
    Path config = dir.resolve("alertdesk.yml");
    Files.writeString(config, "slack_channel: \"#alerts\"\n"
        + "slack_signing_secret: parity-signing-secret\n"
        + "prometheus_url: " + prometheus.url() + "\n"
        + "graph_lookback: 5m\n"
        + "graph_time_zone: UTC\n");
    // After Prometheus has a few samples, so both graph the same data: replay draws at the
    // payloads' time, the service at the time it sends.
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    List<Path> payloads = List.of(
        save("01-firing.json", AlertmanagerPayload.group("alertdesk", "TargetCheck")
            .firing("api-1", startsAt)),
        save("02-second-alert.json", AlertmanagerPayload.group("alertdesk", "TargetCheck")
            .firing("api-1", startsAt).firing("api-2", startsAt.plusSeconds(1))),
        save("03-resolved.json", AlertmanagerPayload.group("alertdesk", "TargetCheck")
            .resolved("api-1", startsAt, startsAt.plusSeconds(2))
            .resolved("api-2", startsAt.plusSeconds(1), startsAt.plusSeconds(2))));

    // The running service, one payload at a time, each delivered before the next.
    app = Application.start(Settings.load(Map.of(
        "PORT", "0",
        "STORAGE_DIR", dir.resolve("storage").toString(),
        "SLACK_BOT_TOKEN", "xoxb-parity",
        "SLACK_API_URL", slack.apiUrl(),
        "WEBHOOK_BEARER_TOKEN", WEBHOOK_TOKEN,
        "CONFIG_FILE", config.toString())), Clock.systemUTC());
    AlertdeskClient client = new AlertdeskClient(app.port());
    int[] expectedCalls = {2, 4, 7};
    for (int i = 0; i < payloads.size(); i++) {
      assertThat(client.post("/api/alerts", Files.readString(payloads.get(i)),
          "Bearer " + WEBHOOK_TOKEN).statusCode()).isEqualTo(200);
      int calls = expectedCalls[i];
      await("the Slack calls of payload " + (i + 1)).atMost(Duration.ofSeconds(30)).until(() ->
          client.getJson("/api/status").path("sections").path("outbox").path("details")
              .path("pending").asInt() == 0 && messagesOf(slack) >= calls);
    }

    // The replay of the same files, with the same settings.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> args = new ArrayList<>(List.of("replay", "--config", config.toString()));
    payloads.forEach(p -> args.add(p.toString()));
    assertThat(cli.execute(args.toArray(String[]::new))).as(err.toString()).isZero();
    List<Printed> printed = parse(out.toString());

    // Parents: every post and update, in order.
    List<JsonNode> replayParents = printed.stream()
        .filter(p -> p.kind().equals("parent_post") || p.kind().equals("parent_update"))
        .map(p -> normalised(message(p.payload()))).toList();
    List<JsonNode> serviceParents = slack.successful().stream()
        .filter(c -> c.method().equals("chat.update")
            || (c.method().equals("chat.postMessage") && c.param("thread_ts") == null))
        .map(c -> normalised(message(c))).toList();
    assertThat(replayParents).as("replay output:%n%s", out).hasSize(3);
    assertThat(replayParents).isEqualTo(serviceParents);
    assertThat(replayParents.get(0).toString()).as("buttons and the current value")
        .contains("\"type\":\"button\"").contains("Current value: 1");

    // Thread replies, in order.
    List<JsonNode> replayReplies = printed.stream()
        .filter(p -> p.kind().equals("thread_reply"))
        .map(p -> normalised(message(p.payload()))).toList();
    List<JsonNode> serviceReplies = slack.successful().stream()
        .filter(c -> c.method().equals("chat.postMessage") && c.param("thread_ts") != null)
        .map(c -> normalised(message(c))).toList();
    assertThat(replayReplies).hasSize(2).isEqualTo(serviceReplies);

    // Graphs: the uploads the service made, by file name, title and comment.
    List<String> replayUploads = printed.stream().filter(p -> p.kind().equals("graph"))
        .map(p -> p.method() + " " + p.file() + " \"" + p.title() + "\" "
            + norm(p.payload().path("text").asText()))
        .toList();
    List<String> serviceUploads = slack.uploads().stream()
        .map(u -> "files.uploadV2 " + u.filename() + " \"" + u.title() + "\" "
            + norm(u.initialComment()))
        .toList();
    assertThat(replayUploads).hasSize(2).isEqualTo(serviceUploads);
    assertThat(replayUploads.get(0)).isEqualTo(
        "files.uploadV2 TargetCheck-firing.png \"TargetCheck firing\" `up`");
  }

  /** Parent posts and updates, thread replies, and uploads the stand-in received. */
  private static int messagesOf(SlackStandIn slack) {
    return (int) slack.successful().stream().filter(c -> c.method().equals("chat.postMessage")
        || c.method().equals("chat.update")).count() + slack.uploads().size();
  }

  private Path save(String name, AlertmanagerPayload payload) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, payload.json());
    return file;
  }

  /** One Slack call printed by replay. */
  private record Printed(String kind, String method, String file, String title,
      JsonNode payload) {}

  private static List<Printed> parse(String output) throws Exception {
    List<Printed> printed = new ArrayList<>();
    List<String> lines = output.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = SLACK_LINE.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      StringBuilder json = new StringBuilder();
      int j = i + 1;
      if (j < lines.size() && lines.get(j).equals("    {")) {
        for (; j < lines.size() && lines.get(j).startsWith("    "); j++) {
          json.append(lines.get(j)).append('\n');
          if (lines.get(j).equals("    }")) {
            break;
          }
        }
      }
      printed.add(new Printed(m.group(1), m.group(4), m.group(5), m.group(6),
          json.isEmpty() ? JSON.createObjectNode() : JSON.readTree(json.toString())));
    }
    return printed;
  }

  /** The message fields Slack renders: text, blocks and attachments. */
  private static JsonNode message(JsonNode payload) {
    ObjectNode m = JSON.createObjectNode();
    for (String field : List.of("text", "blocks", "attachments")) {
      if (payload.hasNonNull(field)) {
        m.set(field, payload.get(field));
      }
    }
    return m;
  }

  private static JsonNode message(Call call) {
    ObjectNode m = JSON.createObjectNode();
    try {
      for (String field : List.of("text", "blocks", "attachments")) {
        String value = call.param(field);
        if (value != null) {
          m.set(field, field.equals("text") ? TextNode.valueOf(value) : JSON.readTree(value));
        }
      }
    } catch (Exception e) {
      throw new AssertionError("unreadable " + call, e);
    }
    return m;
  }

  /** A copy with every string normalised by {@link #norm(String)}. */
  private static JsonNode normalised(JsonNode node) {
    if (node.isTextual()) {
      return TextNode.valueOf(norm(node.asText()));
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = JSON.createArrayNode();
      array.forEach(e -> copy.add(normalised(e)));
      return copy;
    }
    if (node instanceof ObjectNode object) {
      ObjectNode copy = JSON.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (f.getKey().equals("ts")) {
          copy.put("ts", "<ts>");
        } else {
          copy.set(f.getKey(), normalised(f.getValue()));
        }
      }
      return copy;
    }
    if (node.isNumber() && node.asLong() > 1_000_000_000L) {
      return TextNode.valueOf("<epoch>");
    }
    return node;
  }

  /** Replaces what depends on when a message was made. */
  static String norm(String s) {
    return s.replaceAll("<!date\\^[^>]*>", "<date>")
        .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?Z", "<time>")
        .replaceAll("\\b\\d{1,2}:\\d\\d(:\\d\\d)?\\b", "<clock>")
        .replaceAll("\\b\\d+(\\.\\d+)?\\s?(ms|s|m|h|d)\\b( \\d+\\s?(ms|s|m|h|d)\\b)*", "<duration>")
        .replaceAll("\\b\\d{10,13}\\b", "<epoch>")
        .replaceAll("[0-9a-f]{32}", "<chart>");
  }
}
