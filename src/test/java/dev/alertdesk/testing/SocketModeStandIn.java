package dev.alertdesk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.jspecify.annotations.Nullable;

/**
 * Slack's Socket Mode server on loopback (docs.slack.dev/apis/events-api/using-socket-mode),
 * handed out by {@link SlackStandIn}'s {@code apps.connections.open}: it says {@code hello} on
 * every new connection, sends envelopes ({@code interactive}, {@code slash_commands},
 * {@code events_api}) on the newest one, records each acknowledgement ({@code {"envelope_id": …}})
 * with the time it arrived, and can ask for a refresh ({@code disconnect}) or drop the socket
 * without a close handshake. Envelopes are JSON written here, independently of the SDK.
 */
public final class SocketModeStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One envelope sent.
   *
   * @param envelopeId its id
   * @param json the whole envelope as sent
   * @param sentAt when it was written to the socket
   */
  public record Sent(String envelopeId, String json, Instant sentAt) {}

  /**
   * One acknowledgement received.
   *
   * @param envelopeId the envelope it acknowledges
   * @param json the message as received
   * @param at when it arrived
   */
  public record Ack(String envelopeId, String json, Instant at) {}

  private final Server server;
  private final CountDownLatch started = new CountDownLatch(1);
  private final List<WebSocket> opened = new ArrayList<>();
  private final List<Sent> sent = new ArrayList<>();
  private final List<Ack> acks = new ArrayList<>();
  private final List<String> tickets = new ArrayList<>();

  /** Starts the server on a free loopback port. */
  public SocketModeStandIn() throws InterruptedException {
    server = new Server();
    server.setReuseAddr(true);
    server.start();
    if (!started.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the Socket Mode stand-in did not start");
    }
  }

  /** A new WebSocket URL with its own ticket, as {@code apps.connections.open} answers. */
  synchronized String newUrl() {
    String ticket = UUID.randomUUID().toString();
    tickets.add(ticket);
    return "ws://127.0.0.1:" + server.getPort() + "/link/?ticket=" + ticket;
  }

  /** Returns how many connections were opened so far. */
  public synchronized int connections() {
    return opened.size();
  }

  /** Returns how many connections are open now. */
  public synchronized int openConnections() {
    return (int) opened.stream().filter(WebSocket::isOpen).count();
  }

  /** Returns every envelope sent so far, in order. */
  public synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** Returns every acknowledgement received so far, in order. */
  public synchronized List<Ack> acks() {
    return List.copyOf(acks);
  }

  /** Returns the acknowledgements of one envelope. */
  public synchronized List<Ack> acksOf(String envelopeId) {
    return acks.stream().filter(a -> a.envelopeId().equals(envelopeId)).toList();
  }

  /**
   * Sends an {@code interactive} envelope with a block_actions payload on the newest connection.
   *
   * @return the envelope id
   */
  public String interactive(String payloadJson) {
    return envelope("interactive", UUID.randomUUID().toString(), read(payloadJson), 0, false);
  }

  /**
   * Sends a {@code slash_commands} envelope on the newest connection.
   *
   * @param fields the command's fields ({@code command}, {@code text}, {@code user_id}, …)
   * @return the envelope id
   */
  public String slashCommand(Map<String, String> fields) {
    ObjectNode payload = JSON.createObjectNode();
    fields.forEach(payload::put);
    return envelope("slash_commands", UUID.randomUUID().toString(), payload, 0, true);
  }

  /** Sends an {@code events_api} envelope with an {@code app_mention} event. */
  public String eventsApi() {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("type", "event_callback");
    payload.putObject("event").put("type", "app_mention").put("text", "<@U0BOT> hi");
    return envelope("events_api", UUID.randomUUID().toString(), payload, 0, false);
  }

  /**
   * Sends an envelope sent before again, as Slack redelivers one it saw no acknowledgement of:
   * same id and payload, {@code retry_attempt} one higher.
   */
  public String redeliver(String envelopeId) throws Exception {
    Sent earlier;
    synchronized (this) {
      earlier = sent.stream().filter(s -> s.envelopeId().equals(envelopeId)).findFirst()
          .orElseThrow();
    }
    JsonNode e = JSON.readTree(earlier.json());
    return envelope(e.get("type").asText(), envelopeId, e.get("payload"),
        e.get("retry_attempt").asInt() + 1, e.get("accepts_response_payload").asBoolean());
  }

  private String envelope(String type, String id, JsonNode payload, int retryAttempt,
      boolean acceptsResponsePayload) {
    ObjectNode e = JSON.createObjectNode();
    e.put("envelope_id", id);
    e.put("type", type);
    e.put("accepts_response_payload", acceptsResponsePayload);
    e.set("payload", payload);
    e.put("retry_attempt", retryAttempt);
    e.put("retry_reason", retryAttempt == 0 ? "" : "timeout");
    String json = e.toString();
    synchronized (this) {
      newest().send(json);
      sent.add(new Sent(id, json, Instant.now()));
    }
    return id;
  }

  /** Asks the client to reconnect, as Slack does before it recycles a server. */
  public synchronized void disconnect(String reason) {
    newest().send("{\"type\":\"disconnect\",\"reason\":\"" + reason
        + "\",\"debug_info\":{\"host\":\"applink-standin\"}}");
  }

  /** Drops the newest connection without a close handshake, as a broken network does. */
  public synchronized void drop() {
    newest().closeConnection(CloseFrame.ABNORMAL_CLOSE, "dropped by the stand-in");
  }

  private WebSocket newest() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      if (opened.get(i).isOpen()) {
        return opened.get(i);
      }
    }
    throw new IllegalStateException("no open Socket Mode connection");
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Returns the elapsed time from sending an envelope to its first acknowledgement, or null. */
  public synchronized @Nullable Duration ackDelay(String envelopeId) {
    Instant sentAt = sent.stream().filter(s -> s.envelopeId().equals(envelopeId))
        .map(Sent::sentAt).reduce((a, b) -> b).orElse(null);
    Instant ackAt = acks.stream().filter(a -> a.envelopeId().equals(envelopeId))
        .map(Ack::at).reduce((a, b) -> b).orElse(null);
    return sentAt == null || ackAt == null ? null : Duration.between(sentAt, ackAt);
  }

  @Override
  public void close() throws InterruptedException {
    server.stop(1000);
  }

  private final class Server extends WebSocketServer {
    Server() {
      super(new InetSocketAddress("127.0.0.1", 0));
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      synchronized (SocketModeStandIn.this) {
        opened.add(conn);
      }
      conn.send("{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":"
          + "\"applink-standin\",\"approximate_connection_time\":18060},"
          + "\"connection_info\":{\"app_id\":\"A0STANDIN\"}}");
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onMessage(WebSocket conn, String message) {
      Instant at = Instant.now();
      JsonNode node = read(message);
      if (node.hasNonNull("envelope_id")) {
        synchronized (SocketModeStandIn.this) {
          acks.add(new Ack(node.get("envelope_id").asText(), message, at));
        }
      }
    }

    @Override
    public void onError(@Nullable WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {
      started.countDown();
    }
  }
}
