package dev.alertdesk.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load generator for the webhook, on loopback only, bounded in count and time. Starts the
 * packaged service with {@code ./alertdesk serve} as a child process on a fresh SQLite directory
 * and measures:
 *
 * <ol>
 *   <li>time from process start to {@code /ready};
 *   <li>single webhooks of 1,000 alerts (each a new group): alerts committed per second;
 *   <li>a sustained, open-loop 200 requests/s of 10-alert webhooks for 30 s: p50/p99 latency and
 *       alerts committed per second;
 *   <li>peak RSS of the service ({@code VmHWM});
 *   <li>the baseline: the same rows written with a raw JDBC batch insert into the same schema on a
 *       fresh SQLite file (WAL, synchronous=FULL, as the service), in the same run.
 * </ol>
 *
 * Run with {@code bench/webhook-load.sh}; results print as Markdown for BENCHMARKS.md.
 */
public final class WebhookLoadBenchmark {
  private static final int BIG_ALERTS = 1_000;
  private static final int BIG_ROUNDS = 30;
  private static final int WARMUP_ROUNDS = 40;
  private static final int RATE_PER_SECOND = 200;
  private static final int SUSTAINED_SECONDS = 30;
  private static final int SMALL_ALERTS = 10;
  // HTTP/1.1, as Alertmanager sends it.
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private WebhookLoadBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args none; run from the project root after {@code mvn package}
   */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("alertdesk-bench");
    int port = freePort();
    long started = System.nanoTime();
    Process service = startService(dir, port);
    try {
      String base = "http://127.0.0.1:" + port;
      double readySeconds = awaitReady(base, started);
      RawSqliteBaseline baseline = new RawSqliteBaseline(dir.resolve("baseline.db"));
      // Warm-up: JIT and SQLite page cache, not measured.
      for (int i = 0; i < WARMUP_ROUNDS; i++) {
        post(base, payload("warm-" + i, BIG_ALERTS));
        baseline.round();
      }
      for (int i = 0; i < 200; i++) {
        post(base, payload("warm-small-" + i, SMALL_ALERTS));
      }

      List<Double> bigRates = new ArrayList<>();
      List<Double> bigLatencies = new ArrayList<>();
      List<Double> baselineRates = new ArrayList<>();
      double[] serverBefore = serverTimer(base);
      for (int i = 0; i < BIG_ROUNDS; i++) {
        String body = payload("big-" + i, BIG_ALERTS);
        long t0 = System.nanoTime();
        int status = post(base, body);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (status != 200) {
          throw new IllegalStateException("webhook answered " + status);
        }
        bigLatencies.add(seconds * 1000);
        bigRates.add(BIG_ALERTS / seconds);
        baselineRates.add(BIG_ALERTS / baseline.round());
      }
      baseline.close();
      double[] serverAfter = serverTimer(base);
      double serverMeanMs = 1000 * (serverAfter[0] - serverBefore[0]) / (serverAfter[1] - serverBefore[1]);

      ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
      AtomicInteger failures = new AtomicInteger();
      List<CompletableFuture<Void>> inflight = new ArrayList<>();
      int total = RATE_PER_SECOND * SUSTAINED_SECONDS;
      long intervalNanos = 1_000_000_000L / RATE_PER_SECOND;
      List<String> bodies = new ArrayList<>(total);
      for (int i = 0; i < total; i++) {
        bodies.add(payload("small-" + i, SMALL_ALERTS));
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long due = t0 + i * intervalNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        long sent = System.nanoTime();
        inflight.add(HTTP.sendAsync(request(base, bodies.get(i)), HttpResponse.BodyHandlers.discarding())
            .thenAccept(r -> {
              // Open loop: latency counts from the scheduled send time (no coordinated omission).
              latencies.add((System.nanoTime() - Math.min(due, sent)) / 1e6);
              if (r.statusCode() != 200) {
                failures.incrementAndGet();
              }
            }));
      }
      CompletableFuture.allOf(inflight.toArray(CompletableFuture[]::new)).join();
      double sustainedSeconds = (System.nanoTime() - t0) / 1e9;
      long peakRssKb = peakRssKb(service.pid());

      List<Double> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      double bigMedianRate = median(bigRates);
      System.out.println("| metric | value |");
      System.out.println("|---|---|");
      System.out.printf("| ready after start | %.2f s |%n", readySeconds);
      System.out.printf("| 1,000-alert webhook, median latency (%d runs) | %.1f ms |%n", BIG_ROUNDS, median(bigLatencies));
      System.out.printf("| 1,000-alert webhook, mean server-side time (alertdesk_webhook_duration_seconds) | %.1f ms |%n", serverMeanMs);
      System.out.printf("| 1,000-alert webhook, median alerts committed/s | %.0f |%n", bigMedianRate);
      System.out.printf("| raw SQLite batch insert of the same rows, median alerts/s (interleaved) | %.0f |%n", median(baselineRates));
      System.out.printf("| ratio Alertdesk / raw baseline | %.0f %% |%n", 100 * bigMedianRate / median(baselineRates));
      System.out.printf("| sustained: requests sent (10 alerts each) | %d in %.1f s, %d non-200 |%n", total, sustainedSeconds, failures.get());
      System.out.printf("| sustained: alerts committed/s | %.0f |%n", total * SMALL_ALERTS / sustainedSeconds);
      System.out.printf("| sustained: p50 latency | %.1f ms |%n", percentile(sorted, 0.50));
      System.out.printf("| sustained: p99 latency | %.1f ms |%n", percentile(sorted, 0.99));
      System.out.printf("| peak RSS of the service (VmHWM) | %.0f MB |%n", peakRssKb / 1024.0);
    } finally {
      service.destroy();
      service.waitFor();
    }
  }

  /**
   * The baseline: the rows Alertdesk writes for one 1,000-alert notification, inserted with plain
   * JDBC batches in one transaction into the same schema (Alertdesk's own Flyway migrations on a
   * fresh SQLite file, same pragmas): one raw notification, one incident, and per alert one
   * member, one occurrence and one fingerprint row, with the same column values as text. What it
   * leaves out is everything Alertdesk adds: HTTP, parsing, the engine, rendering, upserts, events
   * and outbox rows. Rounds run interleaved with Alertdesk's, so both see the same machine.
   */
  private static final class RawSqliteBaseline implements AutoCloseable {
    private final Connection c;
    private final String raw = payload("baseline", BIG_ALERTS);
    private int round;

    RawSqliteBaseline(Path file) throws Exception {
      dev.alertdesk.config.DatabaseTarget target =
          dev.alertdesk.config.DatabaseTarget.parse("sqlite://" + file);
      try (dev.alertdesk.store.Database schema = dev.alertdesk.store.Database.open(target)) {
        schema.migrate();
      }
      c = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
      }
      c.setAutoCommit(false);
    }

    /** Writes one notification's rows; returns the seconds it took. */
    double round() throws Exception {
      round++;
      String group = "baseline-" + round;
      long t0 = System.nanoTime();
      long incidentId;
      try (PreparedStatement n = c.prepareStatement("INSERT INTO notification (received_at, receiver, "
              + "group_key, status, alert_count, truncated_alerts, outcome, incident_id, headers_json, "
              + "raw_json) VALUES (?, 'bench', ?, 'firing', ?, 0, 'opened', NULL, '{}', ?)");
           PreparedStatement inc = c.prepareStatement("INSERT INTO incident (receiver, group_key, status, "
              + "alertname, severity, group_labels_json, common_labels_json, common_annotations_json, "
              + "external_url, truncated_alerts, started_at, opened_at, last_changed_at, reopen_count, "
              + "firing_count, resolved_count) VALUES ('bench', ?, 'firing', 'Load', 'warning', ?, ?, ?, "
              + "'http://127.0.0.1:9093', 0, ?, ?, ?, 0, ?, 0)", Statement.RETURN_GENERATED_KEYS);
           PreparedStatement m = c.prepareStatement("INSERT INTO incident_alert (incident_id, fingerprint, "
              + "position, status, alertname, labels_json, annotations_json, starts_at, ends_at, "
              + "generator_url) VALUES (?, ?, ?, 'firing', 'Load', ?, ?, ?, NULL, ?)");
           PreparedStatement o = c.prepareStatement("INSERT INTO alert_occurrence (fingerprint, starts_at, "
              + "incident_id, alertname, ends_at) VALUES (?, ?, ?, 'Load', NULL)");
           PreparedStatement f = c.prepareStatement("INSERT INTO alert_fingerprint (fingerprint, alertname, "
              + "labels_json, first_seen_at, last_seen_at, occurrence_count) VALUES (?, 'Load', ?, ?, ?, 1)")) {
        inc.setString(1, group);
        inc.setString(2, "{\"alertname\":\"Load\",\"group\":\"" + group + "\"}");
        inc.setString(3, "{\"alertname\":\"Load\",\"group\":\"" + group + "\",\"severity\":\"warning\"}");
        inc.setString(4, "{\"summary\":\"load test\"}");
        inc.setLong(5, round);
        inc.setLong(6, round);
        inc.setLong(7, round);
        inc.setInt(8, BIG_ALERTS);
        inc.executeUpdate();
        try (var keys = inc.getGeneratedKeys()) {
          keys.next();
          incidentId = keys.getLong(1);
        }
        n.setLong(1, round);
        n.setString(2, group);
        n.setInt(3, BIG_ALERTS);
        n.setString(4, raw);
        n.executeUpdate();
        for (int i = 0; i < BIG_ALERTS; i++) {
          String fp = String.format("%08x%08x", group.hashCode(), i);
          String labelsJson = "{\"alertname\":\"Load\",\"group\":\"" + group + "\",\"instance\":\"host-"
              + i + ":9100\",\"job\":\"node\",\"severity\":\"warning\"}";
          m.setLong(1, incidentId);
          m.setString(2, fp);
          m.setInt(3, i);
          m.setString(4, labelsJson);
          m.setString(5, "{\"summary\":\"load test\"}");
          m.setLong(6, round);
          m.setString(7, "http://127.0.0.1:9090/graph?g0.expr=up");
          m.addBatch();
          o.setString(1, fp);
          o.setLong(2, round);
          o.setLong(3, incidentId);
          o.addBatch();
          f.setString(1, fp);
          f.setString(2, labelsJson);
          f.setLong(3, round);
          f.setLong(4, round);
          f.addBatch();
        }
        m.executeBatch();
        o.executeBatch();
        f.executeBatch();
      }
      c.commit();
      return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public void close() throws Exception {
      c.close();
    }
  }

  /**
   * Starts the service the way the README starts it ({@code ./alertdesk serve}, the launcher's
   * default JVM options) on loopback, storing in {@code dir}, logging to
   * {@code dir/service.log}.
   */
  static Process startService(Path dir, int port) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("./alertdesk", "serve");
    pb.environment().put("PORT", String.valueOf(port));
    pb.environment().put("LISTEN_HOST", "127.0.0.1");
    pb.environment().put("STORAGE_DIR", dir.toString());
    pb.environment().put("LOG_LEVEL", "warn");
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("service.log").toFile());
    return pb.start();
  }

  static String payload(String group, int alerts) {
    StringBuilder s = new StringBuilder(alerts * 400);
    s.append("{\"version\":\"4\",\"receiver\":\"bench\",\"status\":\"firing\",\"groupKey\":\"{}:{group=\\\"")
        .append(group).append("\\\"}\",\"truncatedAlerts\":0,\"groupLabels\":{\"alertname\":\"Load\",\"group\":\"")
        .append(group).append("\"},\"commonLabels\":{\"alertname\":\"Load\",\"group\":\"").append(group)
        .append("\",\"severity\":\"warning\"},\"commonAnnotations\":{\"summary\":\"load test\"},")
        .append("\"externalURL\":\"http://127.0.0.1:9093\",\"alerts\":[");
    for (int i = 0; i < alerts; i++) {
      if (i > 0) {
        s.append(',');
      }
      s.append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"Load\",\"group\":\"").append(group)
          .append("\",\"severity\":\"warning\",\"instance\":\"host-").append(i)
          .append(":9100\",\"job\":\"node\"},\"annotations\":{\"summary\":\"load test\"},")
          .append("\"startsAt\":\"").append(Instant.parse("2026-11-20T10:00:00Z"))
          .append("\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"http://127.0.0.1:9090/graph?g0.expr=up\",")
          .append("\"fingerprint\":\"").append(String.format("%08x%08x", group.hashCode(), i)).append("\"}");
    }
    return s.append("]}").toString();
  }

  private static HttpRequest request(String base, String body) {
    return HttpRequest.newBuilder(URI.create(base + "/api/alerts"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static int post(String base, String body) throws IOException, InterruptedException {
    return HTTP.send(request(base, body), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Reads the service's own webhook timer: {sum in seconds, count}. */
  private static double[] serverTimer(String base) throws IOException, InterruptedException {
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    double count = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("alertdesk_webhook_duration_seconds_sum")) {
        sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      } else if (line.startsWith("alertdesk_webhook_duration_seconds_count")) {
        count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return new double[] {sum, count};
  }

  static double awaitReady(String base, long startedNanos) throws InterruptedException {
    long deadline = startedNanos + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return (System.nanoTime() - startedNanos) / 1e9;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("service not ready within 60 s");
  }

  static long peakRssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  static int freePort() throws IOException {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return percentile(sorted, 0.5);
  }

  static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
