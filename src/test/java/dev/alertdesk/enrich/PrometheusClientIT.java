package dev.alertdesk.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.alertdesk.graph.TimeSeries;
import dev.alertdesk.testing.MutableClock;
import dev.alertdesk.testing.PrometheusProcess;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus client against a real Prometheus 2.42 (answers and its real 400 bad_data), and
 * against a loopback fault server for what a healthy Prometheus does not readily produce: 422,
 * 503, HTTP 200 with {@code status: "error"}, a non-JSON page and a server that never answers.
 */
class PrometheusClientIT {
  private static PrometheusProcess prometheus;
  private static HttpServer faults;
  private static final AtomicInteger faultRequests = new AtomicInteger();
  private static final List<String> tenantHeaders = new ArrayList<>();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @BeforeAll
  static void start() throws IOException {
    prometheus = PrometheusProcess.start("PrometheusClientIT", "/prometheus/rules.yml", null, null);
    faults = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    faults.setExecutor(Executors.newFixedThreadPool(2));
    answer("/s503/api/v1/query", 503, "{\"status\":\"error\",\"errorType\":\"unavailable\","
        + "\"error\":\"too many queries\"}");
    answer("/s422/api/v1/query", 422, "{\"status\":\"error\",\"errorType\":\"execution\","
        + "\"error\":\"query processing would load too many samples into memory\"}");
    answer("/s200/api/v1/query", 200, "{\"status\":\"error\",\"errorType\":\"internal\","
        + "\"error\":\"boom\"}");
    answer("/html/api/v1/query", 502, "<html>bad gateway</html>");
    faults.createContext("/tenant/prefix/api/v1/query", exchange -> {
      exchange.getRequestBody().readAllBytes();
      synchronized (tenantHeaders) {
        tenantHeaders.add(exchange.getRequestHeaders().getFirst("Authorization") + " | "
            + exchange.getRequestHeaders().getFirst("X-Scope-OrgID"));
      }
      byte[] bytes = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
          + "\"result\":[{\"metric\":{\"tenant\":\"team-a\"},\"value\":[1700000000,\"7\"]}]}}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    answer("/ok/api/v1/query_range", 200, "{\"status\":\"success\",\"data\":{\"resultType\":"
        + "\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"x\",\"pod\":\"a\"},\"values\":"
        + "[[1700000000,\"1\"],[1700000015,\"NaN\"],[1700000030,\"+Inf\"],[1700000045,\"-Inf\"]]}]}}");
    faults.start();
  }

  private static void answer(String path, int status, String body) {
    faults.createContext(path, exchange -> {
      faultRequests.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (faults != null) {
      faults.stop(0);
      ((java.util.concurrent.ExecutorService) faults.getExecutor()).shutdownNow();
    }
  }

  private PrometheusClient client(String url, Duration timeout) {
    return new PrometheusClient(url, timeout, clock, metrics);
  }

  private double count(String outcome) {
    Counter c = metrics.find("alertdesk_prometheus_queries").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aDatasourceSendsItsOwnAuthAndTenantHeaderAndKeepsItsPathPrefix() {
    PrometheusDatasource mimir = new PrometheusDatasource("mimir",
        "http://127.0.0.1:" + faults.getAddress().getPort() + "/tenant/prefix", null,
        java.util.Map.of("cluster", "eu"), Duration.ofSeconds(2), "Bearer mimir-token",
        java.util.Map.of("X-Scope-OrgID", "team-a"));
    PrometheusClient client = new PrometheusClient(mimir, clock, metrics);

    List<TimeSeries> answer = client.query("up");

    assertThat(answer).hasSize(1);
    assertThat(answer.get(0).labels()).containsEntry("tenant", "team-a");
    synchronized (tenantHeaders) {
      assertThat(tenantHeaders).containsExactly("Bearer mimir-token | team-a");
    }
    assertThat(metrics.find("alertdesk_prometheus_queries").tag("datasource", "mimir")
        .tag("outcome", "success").counter().count()).isEqualTo(1);
    assertThat(mimir.toString()).doesNotContain("mimir-token").doesNotContain("team-a");
  }

  @Test
  void aPrometheusUrlWithAPathPrefixIsQueriedUnderThatPrefix() throws IOException {
    try (PrometheusProcess prefixed = PrometheusProcess.start("PrometheusClientIT-prefix",
        "/prometheus/empty-rules.yml", null, null, "/prometheus")) {
      assertThat(prefixed.url()).endsWith("/prometheus");
      PrometheusClient client = client(prefixed.url() + "/", Duration.ofSeconds(5));
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        clock.advance(PrometheusClient.CACHE_TTL.plusSeconds(1));
        return !client.query("up{job=\"prometheus\"}").isEmpty();
      });
      assertThat(client.query("up{job=\"prometheus\"}").get(0).values()).containsExactly(1.0);
    }
  }

  @Test
  void instantAndRangeQueriesAgainstRealPrometheus() {
    PrometheusClient client = client(prometheus.url(), Duration.ofSeconds(5));
    // Wait for the first scrapes; the clock moves past the cache's reuse so each try asks again.
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      clock.advance(PrometheusClient.CACHE_TTL.plusSeconds(1));
      Instant now = Instant.now();
      return !client.query("up{job=\"prometheus\"}").isEmpty()
          && !client.queryRange("up", now.minusSeconds(3600), now).isEmpty();
    });
    TimeSeries up = client.query("up{job=\"prometheus\"}").get(0);
    assertThat(up.labels()).containsEntry("job", "prometheus").containsEntry("__name__", "up");
    assertThat(up.values()).containsExactly(1.0);

    Instant now = Instant.now();
    List<TimeSeries> range = client.queryRange("up", now.minusSeconds(3600), now);
    assertThat(range).isNotEmpty();
    assertThat(range.get(0).size()).isLessThanOrEqualTo(PrometheusClient.MAX_POINTS);
    assertThat(client.query("vector(2.5)").get(0).values()).containsExactly(2.5);
    assertThat(count("success")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void badPromQlIsA400BadDataFromRealPrometheus() {
    PrometheusClient client = client(prometheus.url(), Duration.ofSeconds(5));
    assertThatThrownBy(() -> client.query("sum(rate(x[5m])"))
        .isInstanceOf(PrometheusException.class)
        .hasMessageStartingWith("Prometheus answered 400 bad_data: ")
        .satisfies(e -> assertThat(((PrometheusException) e).outcome())
            .isEqualTo(PrometheusException.Outcome.ERROR));
    assertThat(count("error")).isEqualTo(1);
  }

  @Test
  void errorAnswersBecomeShortReasons() {
    String base = "http://127.0.0.1:" + faults.getAddress().getPort();
    assertThatThrownBy(() -> client(base + "/s503", Duration.ofSeconds(5)).query("up"))
        .hasMessage("Prometheus answered 503 unavailable: too many queries");
    assertThatThrownBy(() -> client(base + "/s422", Duration.ofSeconds(5)).query("up"))
        .hasMessage("Prometheus answered 422 execution: query processing would load too many "
            + "samples into memory");
    assertThatThrownBy(() -> client(base + "/s200", Duration.ofSeconds(5)).query("up"))
        .hasMessage("Prometheus answered 200 internal: boom");
    assertThatThrownBy(() -> client(base + "/html", Duration.ofSeconds(5)).query("up"))
        .hasMessage("Prometheus answered HTTP 502 without a JSON body");
    assertThat(count("error")).isEqualTo(4);
  }

  @Test
  void nanAndInfinitiesAreParsed() {
    String base = "http://127.0.0.1:" + faults.getAddress().getPort();
    TimeSeries s = client(base + "/ok", Duration.ofSeconds(5))
        .queryRange("x", Instant.ofEpochSecond(1700000000), Instant.ofEpochSecond(1700000060))
        .get(0);
    assertThat(s.timesMillis()).containsExactly(1700000000000L, 1700000015000L,
        1700000030000L, 1700000045000L);
    assertThat(s.values()).containsExactly(1.0, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY);
  }

  @Test
  void aPrometheusThatNeverAnswersTimesOutAndTheFailureIsCached() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept());
          }
        } catch (IOException e) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      PrometheusClient client = client("http://127.0.0.1:" + silent.getLocalPort(),
          Duration.ofMillis(300));
      long started = System.nanoTime();
      assertThatThrownBy(() -> client.queryRange("up", Instant.now().minusSeconds(600), Instant.now()))
          .isInstanceOf(PrometheusException.class)
          .hasMessage("Prometheus did not answer within 300 ms");
      // A storm of the same question is answered from the cache: no second wait.
      for (int i = 0; i < 500; i++) {
        Instant now = Instant.now();
        assertThatThrownBy(() -> client.queryRange("up", now.minusSeconds(600), now))
            .isInstanceOf(PrometheusException.class);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
      assertThat(count("timeout")).isBetween(1.0, 2.0);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void aStormOverOneExpressionCostsOneRangeQuery() {
    String base = "http://127.0.0.1:" + faults.getAddress().getPort();
    PrometheusClient client = client(base + "/ok", Duration.ofSeconds(5));
    int before = faultRequests.get();
    Instant startsAt = Instant.ofEpochSecond(1700003600);
    for (int i = 0; i < 500; i++) {
      // 500 alerts of one rule: same startsAt, asked over a few seconds.
      Instant now = startsAt.plusSeconds(60 + i / 100);
      client.queryRange("x", startsAt.minusSeconds(3600), now);
    }
    assertThat(faultRequests.get() - before).isEqualTo(1);
    assertThat(count("success")).isEqualTo(1);
    clock.advance(PrometheusClient.CACHE_TTL.plusSeconds(1));
    client.queryRange("x", startsAt.minusSeconds(3600), startsAt.plusSeconds(60));
    assertThat(faultRequests.get() - before).isEqualTo(2);
  }

  @Test
  void connectionRefusedIsUnreachable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> client("http://127.0.0.1:" + port, Duration.ofSeconds(1)).query("up"))
        .hasMessage("Prometheus unreachable (connection refused)");
    assertThat(count("unreachable")).isEqualTo(1);
  }
}
