package dev.alertdesk.socketmode;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.apps.connections.AppsConnectionsOpenResponse;
import com.slack.api.socket_mode.SocketModeClient;
import com.slack.api.socket_mode.impl.SocketModeClientJavaWSImpl;
import com.slack.api.socket_mode.queue.impl.ConcurrentLinkedMessageQueue;
import com.slack.api.socket_mode.request.SocketModeEnvelope;
import com.slack.api.socket_mode.response.AckResponse;
import dev.alertdesk.status.SectionStatus;
import dev.alertdesk.status.StatusSection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Slack Socket Mode connection open (docs.slack.dev/apis/events-api/using-socket-mode)
 * and acknowledges every envelope on it before its work runs.
 *
 * <p>Connecting: {@code apps.connections.open} with the app-level token, through the Slack SDK
 * pointed at {@code SLACK_API_URL}, hands out a WebSocket URL; the SDK's Socket Mode client
 * ({@code com.slack.api.socket_mode}, Java-WebSocket backend) opens it, and the connection counts
 * as up once Slack says {@code hello}. Every {@code interactive}, {@code slash_commands} and
 * {@code events_api} envelope is acknowledged at once ({@code {"envelope_id": …}}; Slack wants it
 * within 3 s, and redelivers an envelope that is not) and only then handed to the
 * {@link EnvelopeHandler}, which records and queues its work.
 *
 * <p>Reconnecting: one supervisor thread opens a fresh connection when Slack asks for it (a
 * {@code disconnect} envelope: {@code refresh_requested}, {@code warning}), when the socket
 * closes, when no {@code hello} comes within {@link #HELLO_TIMEOUT}, or when a ping every
 * {@link #PING_INTERVAL} gets no pong. The first attempt after a working connection is immediate;
 * failed attempts back off 1 s, 2 s, 4 s … up to {@link #MAX_BACKOFF} (with ±20 % jitter, so
 * replicas do not reconnect in step). Nothing else waits for it: {@code /ready} and the HTTP
 * endpoints stay up.
 *
 * <p>Shown as {@code /api/status} section {@code slack_socket_mode} ({@link #statusSection()})
 * and the metrics {@code alertdesk_slack_socket_mode_connected} (1 or 0),
 * {@code alertdesk_slack_socket_mode_reconnects_total} and
 * {@code alertdesk_slack_socket_mode_envelopes_total{type}}. The app token and the WebSocket URL
 * (which carries a ticket) are never logged or shown.
 */
public final class SocketModeConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SocketModeConnection.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a new connection may take to say {@code hello}. */
  public static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
  /** How often a working connection is pinged (a pong must follow within 3 s). */
  public static final Duration PING_INTERVAL = Duration.ofSeconds(30);
  /** The longest wait between failed attempts. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
  /** Failed attempts in a row after which the status section shows an error, not a warning. */
  static final int ERROR_AFTER_FAILURES = 5;
  /** Threads the SDK gives each connection to process envelopes (each one is only acked and queued). */
  private static final int PROCESSOR_THREADS = 2;

  private final Slack slack;
  private final String appToken;
  private final EnvelopeHandler handler;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Counter reconnects;
  private final Object lock = new Object();

  // Guarded by lock.
  private ConnectionState state = ConnectionState.CONNECTING;
  private @Nullable Session current;
  private long generation;
  private int failures;
  private long nextAttemptNanos = System.nanoTime();
  private long nextPingNanos;
  private @Nullable String lastError;
  private @Nullable Instant connectedSince;
  private long envelopes;
  private boolean running;
  private @Nullable Thread supervisor;

  /** One WebSocket connection and what is known of it; guarded by {@link #lock}. */
  private static final class Session {
    final Client client;
    final long generation;
    final long helloDeadlineNanos;
    boolean helloSeen;
    boolean lost;

    Session(Client client, long generation, long helloDeadlineNanos) {
      this.client = client;
      this.generation = generation;
      this.helloDeadlineNanos = helloDeadlineNanos;
    }
  }

  /**
   * @param slackApiUrl the Web API base ({@code SLACK_API_URL}), ending in {@code /}
   * @param appToken the app-level token ({@code xapp-…}, scope {@code connections:write})
   * @param handler does each envelope's work after it was acknowledged
   * @param clock the source of shown times
   * @param metrics where the connection's metrics are registered
   */
  public SocketModeConnection(String slackApiUrl, String appToken, EnvelopeHandler handler,
      Clock clock, MeterRegistry metrics) {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(slackApiUrl);
    config.setStatsEnabled(false);
    config.getMethodsConfig().setStatsEnabled(false);
    this.slack = Slack.getInstance(config);
    this.appToken = appToken;
    this.handler = handler;
    this.clock = clock;
    this.metrics = metrics;
    this.reconnects = Counter.builder("alertdesk_slack_socket_mode_reconnects")
        .description("Socket Mode connections lost (dropped, refreshed, or never said hello)")
        .register(metrics);
    Gauge.builder("alertdesk_slack_socket_mode_connected", this,
            c -> c.state() == ConnectionState.CONNECTED ? 1 : 0)
        .description("1 while the Slack Socket Mode connection is up, else 0")
        .register(metrics);
  }

  /** Starts the supervisor thread, which opens the first connection at once. */
  public void start() {
    synchronized (lock) {
      if (running) {
        return;
      }
      running = true;
      Thread t = new Thread(this::supervise, "alertdesk-socket-mode");
      t.setDaemon(true);
      supervisor = t;
      t.start();
    }
    log.info("slack socket mode starting");
  }

  /** Returns where the connection stands now. */
  public ConnectionState state() {
    synchronized (lock) {
      return state;
    }
  }

  /** Returns how many envelopes were received (and acknowledged) since the start. */
  public long envelopes() {
    synchronized (lock) {
      return envelopes;
    }
  }

  private void supervise() {
    while (true) {
      Session toPing = null;
      boolean attempt = false;
      synchronized (lock) {
        if (!running) {
          return;
        }
        long now = System.nanoTime();
        Session s = current;
        if (s != null && !s.lost && !s.helloSeen && now - s.helloDeadlineNanos > 0) {
          lostLocked(s, "no hello within " + HELLO_TIMEOUT.toSeconds() + " s");
        }
        if ((s == null || s.lost) && now - nextAttemptNanos >= 0) {
          attempt = true;
        } else if (s != null && s.helloSeen && !s.lost && now - nextPingNanos >= 0) {
          nextPingNanos = now + PING_INTERVAL.toNanos();
          toPing = s;
        }
      }
      if (attempt) {
        connect();
      } else if (toPing != null && !toPing.client.verifyConnection()) {
        lost(toPing, "no pong");
      }
      synchronized (lock) {
        if (!running) {
          return;
        }
        try {
          lock.wait(250);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Opens a new connection, retiring the current one. Runs on the supervisor thread. */
  private void connect() {
    Session old;
    synchronized (lock) {
      old = current;
      current = null;
    }
    if (old != null) {
      closeQuietly(old.client);
    }
    String url;
    try {
      url = open();
    } catch (SocketModeException e) {
      failed(e.getMessage());
      return;
    }
    try {
      Client client = new Client(url);
      Session session;
      synchronized (lock) {
        if (!running) {
          closeQuietly(client);
          return;
        }
        session = new Session(client, ++generation,
            System.nanoTime() + HELLO_TIMEOUT.toNanos());
        current = session;
      }
      listen(session);
      client.connect();
    } catch (URISyntaxException e) {
      failed("apps.connections.open returned an invalid URL");
    } catch (RuntimeException e) {
      failed("could not open the WebSocket: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Calls {@code apps.connections.open} (docs.slack.dev/reference/methods/apps.connections.open).
   *
   * @return the WebSocket URL, never logged
   * @throws SocketModeException naming Slack's error code or the failure's type
   */
  private String open() {
    try {
      AppsConnectionsOpenResponse r = slack.methods().appsConnectionsOpen(req -> req.token(appToken));
      if (!r.isOk() || r.getUrl() == null) {
        throw new SocketModeException("apps.connections.open failed: "
            + (r.getError() == null ? "no url" : r.getError()));
      }
      return r.getUrl();
    } catch (SlackApiException e) {
      throw new SocketModeException("apps.connections.open failed: HTTP "
          + e.getResponse().code());
    } catch (IOException e) {
      throw new SocketModeException("apps.connections.open failed: " + e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      if (e instanceof SocketModeException) {
        throw e;
      }
      throw new SocketModeException("apps.connections.open failed: " + e.getClass().getSimpleName());
    }
  }

  private void listen(Session session) {
    Client client = session.client;
    client.addWebSocketMessageListener(message -> {
      if (message.contains("\"hello\"") && "hello".equals(type(message))) {
        hello(session);
      }
    });
    client.addInteractiveEnvelopeListener(e -> envelope(session, e));
    client.addSlashCommandsEnvelopeListener(e -> envelope(session, e));
    client.addEventsApiEnvelopeListener(e -> envelope(session, e));
    client.addWebSocketCloseListener((code, reason) -> lost(session, "closed (code " + code + ")"));
    client.addWebSocketErrorListener(e -> log.warn("slack socket mode error {}: {}",
        kv("generation", session.generation), e.getClass().getSimpleName()));
  }

  private void hello(Session session) {
    synchronized (lock) {
      if (session != current || session.lost) {
        return;
      }
      session.helloSeen = true;
      failures = 0;
      lastError = null;
      state = ConnectionState.CONNECTED;
      connectedSince = clock.instant();
      nextPingNanos = System.nanoTime() + PING_INTERVAL.toNanos();
    }
    log.info("slack socket mode connected {}", kv("generation", session.generation));
  }

  /** Acknowledges one envelope, then hands it on; on the SDK's processor thread. */
  private void envelope(Session session, SocketModeEnvelope envelope) {
    String id = envelope.getEnvelopeId();
    String type = envelope.getType();
    try {
      session.client.sendSocketModeResponse(new AckResponse(id));
    } catch (RuntimeException e) {
      // The socket closed under us: Slack redelivers the envelope on the next connection.
      log.warn("slack socket mode ack failed, Slack will redeliver {} {}: {}",
          kv("envelope_id", id), kv("type", type), e.getClass().getSimpleName());
      return;
    }
    synchronized (lock) {
      envelopes++;
    }
    Counter.builder("alertdesk_slack_socket_mode_envelopes")
        .description("Socket Mode envelopes received and acknowledged, by type")
        .tag("type", type == null ? "unknown" : type)
        .register(metrics).increment();
    log.debug("slack socket mode envelope acknowledged {} {} {}", kv("envelope_id", id),
        kv("type", type), kv("retry_attempt", envelope.getRetryAttempt()));
    try {
      JsonNode payload = envelope.getPayload() == null ? JSON.createObjectNode()
          : JSON.readTree(envelope.getPayload().toString());
      handler.handle(type == null ? "" : type, id, payload);
    } catch (IOException | RuntimeException e) {
      log.warn("slack socket mode envelope not handled {} {}: {}", kv("envelope_id", id),
          kv("type", type), e.getClass().getSimpleName());
    }
  }

  /** A {@code disconnect} from Slack: reconnect now (docs: "refresh_requested", "warning"). */
  private void disconnectRequested(Client client, @Nullable String reason) {
    synchronized (lock) {
      Session s = current;
      if (s != null && s.client == client) {
        log.info("slack socket mode disconnect requested by Slack {}", kv("reason", reason));
        lostLocked(s, "disconnect requested: " + reason);
      }
    }
  }

  private void lost(Session session, String why) {
    synchronized (lock) {
      lostLocked(session, why);
    }
  }

  private void lostLocked(Session session, String why) {
    if (session != current || session.lost || !running) {
      return;
    }
    session.lost = true;
    if (!session.helloSeen) {
      failures++;
    }
    lastError = why;
    state = ConnectionState.RECONNECTING;
    connectedSince = null;
    nextAttemptNanos = System.nanoTime() + backoff(failures).toNanos();
    reconnects.increment();
    log.warn("slack socket mode connection lost, reconnecting {} {} {}",
        kv("generation", session.generation), kv("reason", why), kv("failures", failures));
    lock.notifyAll();
  }

  private void failed(String why) {
    synchronized (lock) {
      failures++;
      lastError = why;
      if (state != ConnectionState.CONNECTING) {
        state = ConnectionState.RECONNECTING;
      }
      Duration wait = backoff(failures);
      nextAttemptNanos = System.nanoTime() + wait.toNanos();
      log.warn("slack socket mode connection failed, retrying {} {} {}", kv("reason", why),
          kv("failures", failures), kv("retry_in_ms", wait.toMillis()));
    }
  }

  /**
   * The wait before the next attempt after {@code failures} failed ones in a row: none after a
   * working connection, then 1 s doubling up to {@link #MAX_BACKOFF}, ±20 % jitter.
   */
  static Duration backoff(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    long base = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(failures - 1, 16));
    long jitter = (long) (base * 0.2 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
    return Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), base + jitter));
  }

  private static @Nullable String type(String message) {
    try {
      JsonNode node = JSON.readTree(message);
      return node != null && node.hasNonNull("type") ? node.get("type").asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The {@code /api/status} section {@code slack_socket_mode}. */
  public StatusSection statusSection() {
    return new StatusSection() {
      @Override
      public String name() {
        return "slack_socket_mode";
      }

      @Override
      public SectionStatus check() {
        Map<String, Object> details = new LinkedHashMap<>();
        synchronized (lock) {
          details.put("state", state.wire());
          if (connectedSince != null) {
            details.put("connected_since", connectedSince.toString());
          }
          details.put("failed_attempts", failures);
          details.put("envelopes", envelopes);
          details.put("reconnects", (long) reconnects.count());
          if (lastError != null) {
            details.put("last_error", lastError);
          }
          return switch (state) {
            case CONNECTED -> SectionStatus.ok("connected", details);
            case STOPPED -> new SectionStatus(SectionStatus.Level.OFF, "stopped", details);
            default -> new SectionStatus(failures >= ERROR_AFTER_FAILURES
                ? SectionStatus.Level.ERROR : SectionStatus.Level.WARNING,
                state.wire() + (lastError == null ? "" : ": " + lastError), details);
          };
        }
      }
    };
  }

  /** Stops the supervisor and closes the connection; envelopes not acked yet are redelivered. */
  @Override
  public void close() {
    Thread t;
    Session s;
    synchronized (lock) {
      running = false;
      state = ConnectionState.STOPPED;
      t = supervisor;
      s = current;
      current = null;
      lock.notifyAll();
    }
    if (t != null) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (s != null) {
      closeQuietly(s.client);
    }
    log.info("slack socket mode stopped");
  }

  private static void closeQuietly(SocketModeClient client) {
    try {
      client.setAutoReconnectEnabled(false);
      client.close();
    } catch (IOException | RuntimeException e) {
      log.debug("closing a socket mode client failed: {}", e.getClass().getSimpleName());
    }
  }

  /**
   * The SDK's Java-WebSocket client, with no reconnection of its own (the supervisor does it),
   * and a {@code disconnect} envelope handed to the supervisor instead of the SDK's in-place
   * reconnect, so every reconnect takes one path.
   */
  private final class Client extends SocketModeClientJavaWSImpl {
    Client(String wssUrl) throws URISyntaxException {
      super(slack, appToken, wssUrl, PROCESSOR_THREADS, new ConcurrentLinkedMessageQueue(),
          false, false, SocketModeClient.DEFAULT_SESSION_MONITOR_INTERVAL_MILLISECONDS);
      setAutoReconnectOnCloseEnabled(false);
    }

    @Override
    public void processMessage(String message) throws IOException {
      if (message.contains("\"disconnect\"") && "disconnect".equals(type(message))) {
        JsonNode node = JSON.readTree(message);
        disconnectRequested(this, node.hasNonNull("reason") ? node.get("reason").asText() : null);
        return;
      }
      super.processMessage(message);
    }
  }
}
