package dev.alertdesk.delivery;

import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.slack.SlackWebApiGateway;
import dev.alertdesk.store.JdbiOutbox;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.StoreFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack delivery as the service wires it: the real ingest path ({@link StoreFixture}), a
 * {@link JdbiOutbox}, the real {@link SlackWebApiGateway} (Slack SDK) pointed at a
 * {@link SlackStandIn}, and an {@link OutboxWorker} driven by hand through
 * {@link OutboxWorker#runOnce()} on the fixture's clock.
 */
final class DeliveryHarness implements AutoCloseable {
  static final String BOT_TOKEN = "xoxb-it-0000-delivery";
  private static final Pattern INCIDENT = Pattern.compile("[Ii]ncident #(\\d+)\\b");

  final StoreFixture store;
  final SlackStandIn slack;
  final SlackWebApiGateway gateway;
  final JdbiOutbox outbox;
  final OutboxWorker worker;

  DeliveryHarness(DatabaseTarget target, boolean slackEnabled) throws IOException {
    this.store = new StoreFixture(target, slackEnabled);
    this.slack = new SlackStandIn();
    this.gateway = new SlackWebApiGateway(slack.apiUrl(), BOT_TOKEN);
    this.outbox = new JdbiOutbox(store.database());
    this.worker = new OutboxWorker(outbox, gateway, store.composer(), store.clock(), store.metrics(),
        Duration.ofMillis(100));
  }

  /** Returns how many outbox rows are still pending. */
  long pending() {
    return StoreFixture.num(store.rows("SELECT COUNT(*) AS n FROM outbox WHERE status = ?",
        "pending").get(0).get("n"));
  }

  /** Returns every outbox row in id order. */
  List<Map<String, Object>> outboxRows() {
    return store.rows("SELECT * FROM outbox ORDER BY id");
  }

  /**
   * Runs the worker until no job is pending, moving the clock by {@code step} after each pass so
   * that backoff and {@code Retry-After} delays pass without sleeping. Real time is spent only
   * on the per-channel rate limit (a burst of 5, then 1 per second).
   */
  void deliverAll(Duration step) {
    await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> {
          worker.runOnce();
          store.clock().advance(step);
          return pending() == 0;
        });
  }

  /** The content of one Slack message: its fallback text and its Block Kit parts. */
  record Content(String text, String attachments, String blocks) {
    /** The content an outbox row's payload is sent with. */
    static Content of(String payloadJson) {
      JsonObject payload = JsonParser.parseString(payloadJson).getAsJsonObject();
      return new Content(part(payload, "text", true), part(payload, "attachments", false),
          part(payload, "blocks", false));
    }

    /** The content a call carried. */
    static Content of(SlackStandIn.Call call) {
      return new Content(call.param("text"), call.param("attachments"), call.param("blocks"));
    }

    private static String part(JsonObject payload, String name, boolean text) {
      JsonElement e = payload.get(name);
      if (e == null || e.isJsonNull()) {
        return null;
      }
      return text ? e.getAsString() : e.toString();
    }
  }

  /**
   * A Slack call as the test compares it: method, whether it was a thread reply, and content.
   */
  record Sent(String method, boolean threadReply, Content content) {
    static Sent of(SlackStandIn.Call call) {
      return new Sent(call.method(), call.param("thread_ts") != null, Content.of(call));
    }

    /** The call an outbox row must become, given whether its incident's parent exists. */
    static Sent expected(Map<String, Object> row, boolean parentExists) {
      String kind = (String) row.get("kind");
      Content content = Content.of((String) row.get("payload_json"));
      return switch (kind) {
        case "THREAD_REPLY" -> new Sent("chat.postMessage", true, content);
        default -> new Sent(parentExists ? "chat.update" : "chat.postMessage", false, content);
      };
    }
  }

  /** Returns the incident a call is about, read from the "incident #N" every message carries. */
  static long incidentOf(SlackStandIn.Call call) {
    String all = call.param("text") + " " + call.param("attachments") + " " + call.param("blocks");
    Matcher m = INCIDENT.matcher(all);
    if (!m.find()) {
      throw new AssertionError("call names no incident: " + call);
    }
    return Long.parseLong(m.group(1));
  }

  /** Returns the successful calls about {@code incidentId}, in arrival order. */
  List<Sent> sentFor(long incidentId) {
    List<Sent> sent = new ArrayList<>();
    for (SlackStandIn.Call call : slack.successful()) {
      if (incidentOf(call) == incidentId) {
        sent.add(Sent.of(call));
      }
    }
    return sent;
  }

  /** Returns the calls the outbox rows of {@code incidentId} must become, in row order. */
  List<Sent> expectedFor(long incidentId) {
    List<Sent> expected = new ArrayList<>();
    boolean parentExists = false;
    for (Map<String, Object> row : store.rows(
        "SELECT * FROM outbox WHERE incident_id = ? ORDER BY id", incidentId)) {
      expected.add(Sent.expected(row, parentExists));
      parentExists = true;
    }
    return expected;
  }

  @Override
  public void close() throws Exception {
    worker.close();
    gateway.close();
    slack.close();
    store.close();
  }
}
