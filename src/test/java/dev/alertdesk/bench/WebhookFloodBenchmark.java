package dev.alertdesk.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Memory under a webhook flood, on loopback only, bounded in time: {@value #CLIENTS} clients
 * each send 1,000-alert webhooks (each a new group) back to back for {@value #SECONDS} s against
 * the packaged service started with {@code ./alertdesk serve} (the launcher's JVM options) on a
 * fresh SQLite directory. Prints the answers by status, the latency of the 200s and the 503s, the
 * service's RSS before the flood (the baseline of the same run), its highest sampled RSS and its
 * peak ({@code VmHWM}). Run with {@code bench/webhook-flood.sh}.
 */
public final class WebhookFloodBenchmark {
  private static final int CLIENTS = 200;
  private static final int SECONDS = 30;
  private static final int ALERTS = 1_000;

  private WebhookFloodBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args none; run from the project root after {@code mvn package}
   */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("alertdesk-flood");
    int port = WebhookLoadBenchmark.freePort();
    Process service = WebhookLoadBenchmark.startService(dir, port);
    try {
      String base = "http://127.0.0.1:" + port;
      WebhookLoadBenchmark.awaitReady(base, System.nanoTime());
      for (int i = 0; i < 20; i++) {
        WebhookLoadBenchmark.post(base, WebhookLoadBenchmark.payload("flood-warm-" + i, ALERTS));
      }
      long rssBeforeKb = rssKb(service.pid(), "VmRSS:");
      StatusCounts statuses = new StatusCounts();
      ConcurrentLinkedQueue<Double> okMillis = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Double> busyMillis = new ConcurrentLinkedQueue<>();
      AtomicLong maxRssKb = new AtomicLong(rssBeforeKb);
      long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.submit(() -> {
          for (int n = 0; System.nanoTime() < end; n++) {
            String body = WebhookLoadBenchmark.payload("flood-" + client + "-" + n, ALERTS);
            long t0 = System.nanoTime();
            int status;
            try {
              status = WebhookLoadBenchmark.HTTP.send(HttpRequest.newBuilder(
                      URI.create(base + "/api/alerts")).timeout(Duration.ofSeconds(60))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                  HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
              status = -1;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
            double millis = (System.nanoTime() - t0) / 1e6;
            statuses.add(status);
            if (status == 200) {
              okMillis.add(millis);
            } else if (status == 503) {
              busyMillis.add(millis);
            }
          }
        });
      }
      clients.shutdown();
      while (!clients.awaitTermination(500, TimeUnit.MILLISECONDS)) {
        maxRssKb.accumulateAndGet(rssKb(service.pid(), "VmRSS:"), Math::max);
      }
      long peakKb = WebhookLoadBenchmark.peakRssKb(service.pid());
      List<Double> ok = sorted(okMillis);
      List<Double> busy = sorted(busyMillis);
      System.out.println("| metric | value |");
      System.out.println("|---|---|");
      System.out.printf("| requests (%d clients × 1,000 alerts, %d s) | %s |%n", CLIENTS, SECONDS,
          statuses);
      System.out.printf("| 200: p50 / p99 latency | %.0f ms / %.0f ms |%n",
          WebhookLoadBenchmark.percentile(ok, 0.5), WebhookLoadBenchmark.percentile(ok, 0.99));
      System.out.printf("| 503: p50 / p99 latency | %.0f ms / %.0f ms |%n",
          WebhookLoadBenchmark.percentile(busy, 0.5), WebhookLoadBenchmark.percentile(busy, 0.99));
      System.out.printf("| alerts committed/s | %.0f |%n", ok.size() * (double) ALERTS / SECONDS);
      System.out.printf("| RSS before the flood (baseline) | %.0f MB |%n", rssBeforeKb / 1024.0);
      System.out.printf("| highest sampled RSS during the flood | %.0f MB |%n",
          maxRssKb.get() / 1024.0);
      System.out.printf("| peak RSS (VmHWM) | %.0f MB |%n", peakKb / 1024.0);
      System.out.printf("| ratio peak / before | %.2f |%n", peakKb / (double) rssBeforeKb);
    } finally {
      service.destroy();
      if (!service.waitFor(15, TimeUnit.SECONDS)) {
        service.destroyForcibly();
      }
    }
  }

  private static List<Double> sorted(ConcurrentLinkedQueue<Double> values) {
    List<Double> list = new ArrayList<>(values);
    Collections.sort(list);
    return list;
  }

  private static long rssKb(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  /** Counts answers by HTTP status ({@code -1}: the connection failed). */
  private static final class StatusCounts {
    private final ConcurrentHashMap<Integer, LongAdder> counts = new ConcurrentHashMap<>();

    void add(int status) {
      counts.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      new java.util.TreeMap<>(counts).forEach((s, n) -> parts.add(
          (s < 0 ? "connection failed" : String.valueOf(s)) + ": " + n.sum()));
      return String.join(", ", parts);
    }
  }
}
