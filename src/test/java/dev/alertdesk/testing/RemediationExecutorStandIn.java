package dev.alertdesk.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A remediation-executor service on loopback, as the {@code http} executor's receiver would be:
 * it checks the {@code X-Alertdesk-Signature} (v0, HMAC-SHA256 over {@code v0:<timestamp>:<raw
 * body>}, computed here independently of the code under test) and refuses a timestamp more than
 * 5 minutes off, answering 401; otherwise it answers what the test set. It can hold an answer
 * back (before the status line, or after the first body bytes) until it is closed, to exercise
 * timeouts without sleeping. Records every request.
 */
public final class RemediationExecutorStandIn implements AutoCloseable {
  /** One request as received. */
  public record Received(String path, String timestamp, String signature, String requestId,
      String contentType, String body, boolean signatureValid) {}

  /** When to stop answering. */
  public enum Hold {
    /** Answer at once. */
    NONE,
    /** Send nothing until closed. */
    BEFORE_HEADERS,
    /** Send the status line and a few body bytes, then nothing until closed. */
    AFTER_FIRST_BYTES
  }

  private final HttpServer server;
  private final byte[] secret;
  private final Clock clock;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile int status = 200;
  private volatile String answer = "{\"ok\":true}";
  private volatile Hold hold = Hold.NONE;

  /**
   * Starts on {@code 127.0.0.1} and a free port.
   *
   * @param secret the shared HMAC key
   * @param clock the time a request's timestamp is compared with
   */
  public RemediationExecutorStandIn(String secret, Clock clock) throws IOException {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "remediation-executor-stand-in");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The URL to POST to, with {@code path} (such as {@code /run?tenant=a}). */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Sets the answer to a correctly signed request. */
  public void answer(int status, String body) {
    this.status = status;
    this.answer = body;
  }

  /** Holds the next answers back until {@link #close()}. */
  public void hold(Hold hold) {
    this.hold = hold;
  }

  /** Every request so far, in order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String timestamp = header(exchange, "X-Alertdesk-Request-Timestamp");
      String signature = header(exchange, "X-Alertdesk-Signature");
      boolean valid = validSignature(timestamp, signature, body) && fresh(timestamp);
      received.add(new Received(exchange.getRequestURI().toString(), timestamp, signature,
          header(exchange, "X-Alertdesk-Request-Id"), header(exchange, "Content-Type"), body,
          valid));
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "POST only");
        return;
      }
      if (!valid) {
        send(exchange, 401, "invalid signature");
        return;
      }
      switch (hold) {
        case BEFORE_HEADERS -> await();
        case AFTER_FIRST_BYTES -> {
          exchange.sendResponseHeaders(status, 0);
          OutputStream out = exchange.getResponseBody();
          out.write("{\"partial".getBytes(StandardCharsets.UTF_8));
          out.flush();
          await();
          return;
        }
        case NONE -> { }
      }
      send(exchange, status, answer);
    }
  }

  private boolean validSignature(String timestamp, String signature, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] expected = ("v0=" + java.util.HexFormat.of().formatHex(mac.doFinal(
          ("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8))))
          .getBytes(StandardCharsets.UTF_8);
      return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean fresh(String timestamp) {
    try {
      long seconds = Long.parseLong(timestamp);
      return Math.abs(clock.instant().getEpochSecond() - seconds)
          <= Duration.ofMinutes(5).toSeconds();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void await() {
    try {
      closed.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String header(HttpExchange exchange, String name) {
    String value = exchange.getRequestHeaders().getFirst(name);
    return value == null ? "" : value;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
  }
}
