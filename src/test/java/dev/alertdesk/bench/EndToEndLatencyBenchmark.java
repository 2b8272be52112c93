package dev.alertdesk.bench;

import com.sun.net.httpserver.HttpServer;
import dev.alertdesk.testing.AlertdeskProcess;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.TestDatabases;
import dev.alertdesk.testing.TestDatabases.PostgresDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end latency, side by side in one run: one real Alertmanager 0.25 whose receiver has
 * both its own {@code slack_configs} (to a plain HTTP sink standing in for Slack's webhook) and a
 * {@code webhook_configs} entry per Alertdesk replica (Alertdesk posts to the Slack stand-in
 * through the Slack SDK). Both integrations of a group are notified by the same flush, so the
 * native message's arrival marks Alertmanager's send; the added latency of a group is the arrival
 * of Alertdesk's parent message minus that. Loopback only, bounded.
 *
 * <ol>
 *   <li><b>Single alerts</b>: {@value #PROBES} groups, one new alert every 1.1 s.
 *   <li><b>Storm</b>: {@value #STORM} groups at once; the time until every native message and
 *       every Alertdesk parent has arrived, counted from the push (at most {@value #STORM_CAP_S}
 *       s).
 * </ol>
 *
 * Both run on SQLite (one replica) and on PostgreSQL with two replicas (every notification goes
 * to both, as from an HA pair). Replicas are separate JVMs started as the container image starts
 * them, with the launcher's default heap. Run with {@code bash bench/end-to-end-latency.sh};
 * prints Markdown tables for BENCHMARKS.md.
 */
public final class EndToEndLatencyBenchmark {
  static final int PROBES = 40;
  static final int STORM = 200;
  private static int probeCount = PROBES;
  private static int stormGroups = STORM;
  static final int STORM_CAP_S = 480;
  private static final Pattern PROBE = Pattern.compile("probe=([a-z0-9]+)");
  private static final Pattern TITLE = Pattern.compile("\"title\":\"([a-z0-9]+)\"");
  private static final String JAVA_OPTS =
      "-Xms192m -Xmx256m -XX:+UseSerialGC -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -Xss512k";

  private EndToEndLatencyBenchmark() {}

  /**
   * Runs both scenarios on SQLite, then on PostgreSQL with two replicas.
   *
   * @param args optional: the number of single-alert rounds (default 1), the alerts per round
   *     (default {@value #PROBES}) and the storm's groups (default {@value #STORM}), smaller
   *     for a quick check of the harness
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    probeCount = args.length > 1 ? Integer.parseInt(args[1]) : PROBES;
    stormGroups = args.length > 2 ? Integer.parseInt(args[2]) : STORM;
    List<String> rows = new ArrayList<>();
    List<String> storms = new ArrayList<>();
    for (boolean postgres : new boolean[] {false, true}) {
      String setup = postgres ? "PostgreSQL, 2 replicas" : "SQLite, 1 replica";
      try (PostgresDatabase db = postgres ? TestDatabases.createPostgres() : null) {
        for (int round = 1; round <= rounds; round++) {
          rows.add(single(setup + ", round " + round, db));
        }
        storms.add(storm(setup, db));
      }
    }
    System.out.println("| setup | groups | Alertdesk parents | p50 added | p95 added | max added |"
        + " first 5: median added | after 5: median added |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.out.println();
    System.out.println("| setup | groups | native messages | native: all visible after |"
        + " Alertdesk parents | Alertdesk: all parents visible after | Slack calls by Alertdesk |");
    System.out.println("|---|---|---|---|---|---|---|");
    storms.forEach(System.out::println);
  }

  private static String single(String setup, PostgresDatabase db) throws Exception {
    try (Rig rig = new Rig(db)) {
      Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
      String prefix = "p" + Long.toString(System.nanoTime() % 100000, 36);
      List<String> probes = new ArrayList<>();
      for (int i = 0; i < probeCount; i++) {
        String probe = prefix + String.format("%03d", i);
        probes.add(probe);
        rig.am.push(alert("LatencyProbe", probe, startsAt));
        Thread.sleep(1_100);
      }
      await(() -> rig.deskParents().keySet().containsAll(probes)
          && rig.nativeArrivals.keySet().containsAll(probes), Duration.ofSeconds(120));
      Map<String, Instant> desk = rig.deskParents();
      List<Long> added = new ArrayList<>();
      List<Long> firstFive = new ArrayList<>();
      List<Long> later = new ArrayList<>();
      for (int i = 0; i < probes.size(); i++) {
        String p = probes.get(i);
        if (desk.containsKey(p) && rig.nativeArrivals.containsKey(p)) {
          long ms = Duration.between(rig.nativeArrivals.get(p), desk.get(p)).toMillis();
          added.add(ms);
          (i < 5 ? firstFive : later).add(ms);
        }
      }
      return String.format("| %s | %d | %d | %d ms | %d ms | %d ms | %d ms | %d ms |", setup,
          probeCount, added.size(), percentile(added, 50), percentile(added, 95),
          percentile(added, 100), percentile(firstFive, 50), percentile(later, 50));
    }
  }

  private static String storm(String setup, PostgresDatabase db) throws Exception {
    try (Rig rig = new Rig(db)) {
      Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
      List<PostableAlert> alerts = new ArrayList<>();
      for (int i = 0; i < stormGroups; i++) {
        alerts.add(alert("StormProbe", String.format("s%03d", i), startsAt));
      }
      Instant pushed = Instant.now();
      for (int from = 0; from < alerts.size(); from += 50) {
        rig.am.push(alerts.subList(from, Math.min(alerts.size(), from + 50)).toArray(PostableAlert[]::new));
      }
      await(() -> rig.deskParents().size() >= stormGroups && rig.nativeArrivals.size() >= stormGroups,
          Duration.ofSeconds(STORM_CAP_S));
      Map<String, Instant> desk = rig.deskParents();
      return String.format("| %s | %d | %d | %s | %d | %s | %d |", setup, stormGroups,
          rig.nativeArrivals.size(), lastAfter(rig.nativeArrivals, pushed, stormGroups), desk.size(),
          lastAfter(desk, pushed, stormGroups), rig.slack.successful().size());
    }
  }

  private static String lastAfter(Map<String, Instant> arrivals, Instant from, int expected) {
    if (arrivals.size() < expected) {
      return "not within " + STORM_CAP_S + " s";
    }
    Instant last = Collections.max(arrivals.values());
    return String.format("%.1f s", Duration.between(from, last).toMillis() / 1000.0);
  }

  private static PostableAlert alert(String name, String probe, Instant startsAt) {
    return PostableAlert.firing(Map.of("alertname", name, "probe", probe, "severity", "warning"),
        Map.of("summary", "latency probe " + probe), startsAt, null);
  }

  private static long percentile(List<Long> values, int p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static void await(BooleanSupplier done, Duration max) throws InterruptedException {
    Instant deadline = Instant.now().plus(max);
    while (!done.getAsBoolean() && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
  }

  /** One Alertmanager, the native sink, the Slack stand-in and one or two replicas. */
  private static final class Rig implements AutoCloseable {
    final SlackStandIn slack = new SlackStandIn();
    final Map<String, Instant> nativeArrivals = new ConcurrentHashMap<>();
    final HttpServer sink;
    final List<AlertdeskProcess> replicas = new ArrayList<>();
    final AlertmanagerProcess am;

    Rig(PostgresDatabase db) throws IOException {
      sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      sink.createContext("/", exchange -> {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Instant now = Instant.now();
        Matcher m = TITLE.matcher(body);
        if (m.find()) {
          nativeArrivals.putIfAbsent(m.group(1), now);
        }
        byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, ok.length);
        exchange.getResponseBody().write(ok);
        exchange.close();
      });
      sink.setExecutor(Executors.newFixedThreadPool(4));
      sink.start();
      Map<String, String> settings = new LinkedHashMap<>(Map.of(
          "SLACK_BOT_TOKEN", "xoxb-bench", "SLACK_CHANNEL", "#alerts",
          "SLACK_API_URL", slack.apiUrl(), "PROMETHEUS_URL", "http://127.0.0.1:9",
          "JAVA_OPTS", JAVA_OPTS, "LOG_LEVEL", "warn"));
      if (db != null) {
        db.reset();
        settings.put("DB_CONNECTION_STRING", db.connectionString());
        replicas.add(AlertdeskProcess.start("bench-latency-pg-1", settings));
        replicas.add(AlertdeskProcess.start("bench-latency-pg-2", settings));
      } else {
        replicas.add(AlertdeskProcess.start("bench-latency-sqlite", settings));
      }
      StringBuilder webhooks = new StringBuilder();
      for (AlertdeskProcess r : replicas) {
        webhooks.append("      - url: \"").append(r.webhookUrl()).append("\"\n")
            .append("        send_resolved: true\n");
      }
      am = AlertmanagerProcess.start("bench-latency", """
          route:
            receiver: both
            group_by: [alertname, probe]
            group_wait: 0s
            group_interval: 5m
            repeat_interval: 4h
          receivers:
            - name: both
              slack_configs:
                - api_url: "http://127.0.0.1:%d/hook"
                  channel: "#alerts"
                  title: '{{ .GroupLabels.probe }}'
                  send_resolved: true
              webhook_configs:
          %s""".formatted(sink.getAddress().getPort(), webhooks));
    }

    /** First successful parent post per probe, by arrival. */
    Map<String, Instant> deskParents() {
      Map<String, Instant> parents = new LinkedHashMap<>();
      for (SlackStandIn.Call c : slack.parentPosts()) {
        Matcher m = PROBE.matcher(c.param("text"));
        if (m.find()) {
          parents.putIfAbsent(m.group(1), c.receivedAt());
        }
      }
      return parents;
    }

    @Override
    public void close() {
      am.close();
      replicas.forEach(AlertdeskProcess::close);
      sink.stop(0);
      ((java.util.concurrent.ExecutorService) sink.getExecutor()).shutdownNow();
      slack.close();
    }
  }
}
