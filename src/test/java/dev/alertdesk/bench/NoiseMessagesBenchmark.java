package dev.alertdesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.alert.Notification;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.NoiseConfig;
import dev.alertdesk.config.Settings;
import dev.alertdesk.incident.IncidentEngine;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.ingest.DryRun;
import dev.alertdesk.ingest.IngestPipelineFactory;
import dev.alertdesk.ingest.WebhookPayloadParser;
import dev.alertdesk.noise.IncidentResponseState;
import dev.alertdesk.noise.InMemoryNoiseLedger;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.MutableClock;
import dev.alertdesk.testing.SlackStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Counts the Slack messages a person sees for the same alert traffic through Alertmanager's own
 * {@code slack_configs} receiver and through Alertdesk with the README's example noise rules.
 * Loopback only and bounded (about 3 minutes).
 *
 * <ol>
 *   <li><b>Storm</b>: 200 distinct alert groups fire within seconds, then all resolve. Both sides
 *       run a real Alertmanager 0.25 with the same route ({@code group_by: [alertname,
 *       instance]}, group_wait 1 s, group_interval 2 s, repeat_interval 1 h). The native
 *       receiver posts to a Slack stand-in ({@code api_url}); Alertdesk receives the webhook and
 *       posts to the stand-in through the Slack SDK.
 *   <li><b>Flapping</b>: one fingerprint flips between firing and resolved every 2 minutes for 1
 *       hour. The native side runs a real Alertmanager on the trace compressed 60× (a flip every
 *       2 s, group_wait 0.5 s, group_interval 1 s), which sends one message per change as it would
 *       with group_interval below 2 minutes. Alertdesk replays the real-time trace through its
 *       engine and noise rules with a fixed clock ({@link DryRun}), a notification 10 s after each
 *       change and deadlines checked every 10 s.
 * </ol>
 *
 * Run with {@code bash bench/noise-messages.sh}; prints a Markdown table for BENCHMARKS.md.
 */
public final class NoiseMessagesBenchmark {
  private static final int GROUPS = 200;
  private static final Duration MAX_WAIT = Duration.ofSeconds(150);
  private static final Duration QUIET = Duration.ofSeconds(6);

  /** The README's example noise rules (without routes: one channel). */
  static final String CONFIG = """
      noise:
        notify_after: {min_firing: 2m}
        flapping: {window: 1h, max_transitions: 4}
        storm: {window: 1m, max_new_incidents: 10}
        correlate_by: [namespace, deployment]
      reminders:
        unacknowledged_after: 30m
      """;

  private NoiseMessagesBenchmark() {}

  /**
   * Runs both scenarios and prints the table.
   *
   * @param args none
   */
  public static void main(String[] args) throws Exception {
    int[] nativeStorm = nativeStorm();
    int[] desk = alertdeskStorm();
    int nativeFlap = nativeFlapping();
    int[] deskFlap = alertdeskFlapping();

    System.out.println("| scenario | Alertmanager slack_configs: messages | Alertdesk: channel messages"
        + " (parents) | Alertdesk: thread replies | Alertdesk: all messages | ratio (all) |"
        + " Alertdesk chat.update | incidents reachable from a message |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    row("200-group storm, firing", nativeStorm[0], desk[0], desk[1], desk[2], desk[6] + "/" + GROUPS);
    row("200-group storm, then all resolved", nativeStorm[0] + nativeStorm[1], desk[0] + desk[3],
        desk[1] + desk[4], desk[2] + desk[5], desk[6] + "/" + GROUPS);
    row("1 h flapping trace (flip every 2 min)", nativeFlap, deskFlap[0], deskFlap[1], deskFlap[2],
        deskFlap[3] + "/1");
  }

  private static void row(String name, int nativeCount, int parents, int replies, int updates,
      String reachable) {
    int all = parents + replies;
    System.out.printf("| %s | %d | %d | %d | %d | %.1f× fewer | %d | %s |%n", name, nativeCount,
        parents, replies, all, all == 0 ? 0.0 : (double) nativeCount / all, updates, reachable);
  }

  private static List<PostableAlert> stormAlerts(Instant startsAt) {
    List<PostableAlert> alerts = new ArrayList<>();
    for (int i = 0; i < GROUPS; i++) {
      alerts.add(PostableAlert.firing(Map.of("alertname", i % 2 == 0 ? "NodeDown" : "DnsFailures",
          "instance", "node-" + i, "severity", "critical"), Map.of("summary", "storm"),
          startsAt, null));
    }
    return alerts;
  }

  private static void push(AlertmanagerProcess am, List<PostableAlert> alerts) {
    for (int from = 0; from < alerts.size(); from += 50) {
      am.push(alerts.subList(from, Math.min(alerts.size(), from + 50))
          .toArray(PostableAlert[]::new));
    }
  }

  private static List<PostableAlert> resolved(List<PostableAlert> alerts, Instant endsAt) {
    return alerts.stream().map(a -> a.resolvedAt(endsAt)).toList();
  }

  /** {@code [firing messages, resolved messages]} of the native receiver. */
  private static int[] nativeStorm() throws Exception {
    try (SlackStandIn slack = new SlackStandIn();
        AlertmanagerProcess am = AlertmanagerProcess.start("bench-native-storm",
            nativeYaml(slack.apiUrl() + "chat.postMessage", "1s", "2s"))) {
      Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));
      List<PostableAlert> alerts = stormAlerts(startsAt);
      push(am, alerts);
      int firing = settle(() -> slack.calls().size(), GROUPS);
      push(am, resolved(alerts, Instant.now().truncatedTo(ChronoUnit.SECONDS)));
      int all = settle(() -> slack.calls().size(), firing + GROUPS);
      return new int[] {firing, all - firing};
    }
  }

  /**
   * Alertdesk's counts: {@code [parents, replies, updates]} while firing, the same three added by
   * the resolution, and how many incidents are reachable from a message.
   */
  private static int[] alertdeskStorm() throws Exception {
    Path dir = Files.createTempDirectory("alertdesk-noise-bench");
    Path config = dir.resolve("alertdesk.yml");
    Files.writeString(config, CONFIG);
    try (SlackStandIn slack = new SlackStandIn()) {
      Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "STORAGE_DIR", dir.toString(),
          "SLACK_BOT_TOKEN", "xoxb-bench", "SLACK_CHANNEL", "#alerts",
          "SLACK_API_URL", slack.apiUrl(), "CONFIG_FILE", config.toString()));
      Settings settings = Settings.load(env);
      try (Application app = Application.start(settings,
              NoiseConfig.load(settings.configFile(), env), Clock.systemUTC());
          AlertmanagerProcess am = AlertmanagerProcess.start("bench-alertdesk-storm",
              AlertmanagerProcess.Config.webhook("http://127.0.0.1:" + app.port() + "/api/alerts")
                  .withGroupBy("alertname", "instance")
                  .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1)))) {
        AlertdeskClient client = new AlertdeskClient(app.port());
        // Firing for 5 minutes already, so notify_after (2m) lets them through at once.
        Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));
        List<PostableAlert> alerts = stormAlerts(startsAt);
        push(am, alerts);
        settle(() -> (int) client.getJson("/api/incidents?limit=1").get("total").asLong(), GROUPS);
        settle(() -> slack.successful().size(), 1);
        int[] firing = counts(slack);
        push(am, resolved(alerts, Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        settle(() -> (int) client.getJson("/api/incidents?status=resolved&limit=1").get("total")
            .asLong(), GROUPS);
        settle(() -> slack.successful().size(), 1);
        int[] all = counts(slack);
        int reachable = 0;
        for (long id = 1; id <= GROUPS; id++) {
          JsonNode detail = client.getJson("/api/incidents/" + id);
          if (detail.has("slack_messages") && !detail.get("slack_messages").isEmpty()) {
            reachable++;
          }
        }
        return new int[] {firing[0], firing[1], firing[2], all[0] - firing[0],
            all[1] - firing[1], all[2] - firing[2], reachable};
      }
    }
  }

  /** {@code [parents, thread replies, updates]} the stand-in received. */
  private static int[] counts(SlackStandIn slack) {
    int parents = slack.parentPosts().size();
    int posts = slack.successful("chat.postMessage").size();
    return new int[] {parents, posts - parents, slack.successful("chat.update").size()};
  }

  private static int nativeFlapping() throws Exception {
    try (SlackStandIn slack = new SlackStandIn();
        AlertmanagerProcess am = AlertmanagerProcess.start("bench-native-flapping",
            nativeYaml(slack.apiUrl() + "chat.postMessage", "500ms", "1s"))) {
      Map<String, String> labels = Map.of("alertname", "Flappy", "instance", "node-1",
          "severity", "critical");
      Instant startsAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      am.push(PostableAlert.firing(labels, Map.of("summary", "flaps"), startsAt, null));
      for (int flip = 1; flip <= 30; flip++) {
        Thread.sleep(2_000);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (flip % 2 == 1) {
          am.push(PostableAlert.firing(labels, Map.of("summary", "flaps"), startsAt, null)
              .resolvedAt(now));
        } else {
          startsAt = now;
          am.push(PostableAlert.firing(labels, Map.of("summary", "flaps"), startsAt, null));
        }
      }
      return settle(() -> slack.calls().size(), 1);
    }
  }

  /** {@code [parents, replies, updates, reachable incidents]} of the replayed hour. */
  private static int[] alertdeskFlapping() {
    NoiseRules rules = NoiseConfig.load(writeConfig(), Map.of());
    Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
    MutableClock clock = new MutableClock(t0);
    DryRun run = new IngestPipelineFactory(clock, new IncidentEngine(clock, Duration.ofHours(1)),
        "#alerts", false, rules).dryRun(IncidentResponseState.NONE);
    WebhookPayloadParser parser = new WebhookPayloadParser();
    List<InMemoryNoiseLedger.Queued> sent = new ArrayList<>();
    Instant startsAt = t0;
    Instant end = t0.plus(Duration.ofHours(1));
    for (Instant t = t0; !t.isAfter(end); t = t.plusSeconds(10)) {
      clock.set(t);
      sent.addAll(run.tick().messages());
      long sinceStart = Duration.between(t0, t).toSeconds();
      if (sinceStart % 120 == 10) {
        Instant change = t.minusSeconds(10);
        boolean firing = (sinceStart / 120) % 2 == 0;
        if (firing) {
          startsAt = change;
        }
        AlertmanagerPayload p = AlertmanagerPayload.group("alertdesk", "Flappy")
            .alert(firing ? "firing" : "resolved", Map.of("alertname", "Flappy",
                "instance", "node-1", "severity", "critical"), startsAt, firing ? null : change);
        Notification n = parser.parse(p.bytes());
        sent.addAll(run.apply(n).messages());
      }
    }
    int parents = 0;
    int replies = 0;
    int updates = 0;
    for (InMemoryNoiseLedger.Queued q : sent) {
      switch (q.message().kind()) {
        case PARENT_POST -> parents++;
        case THREAD_REPLY -> replies++;
        case PARENT_UPDATE -> updates++;
      }
    }
    int reachable = sent.stream().anyMatch(q -> q.message().kind() == SlackIntent.Kind.PARENT_POST)
        ? run.incidents().size() : 0;
    return new int[] {parents, replies, updates, reachable};
  }

  private static Path writeConfig() {
    try {
      Path file = Files.createTempFile("alertdesk-noise", ".yml");
      Files.writeString(file, CONFIG);
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String nativeYaml(String apiUrl, String groupWait, String groupInterval) {
    return """
        route:
          receiver: slack
          group_by: [alertname, instance]
          group_wait: %s
          group_interval: %s
          repeat_interval: 1h
        receivers:
          - name: slack
            slack_configs:
              - api_url: "%s"
                channel: "#alerts"
                send_resolved: true
        """.formatted(groupWait, groupInterval, apiUrl);
  }

  /**
   * Waits until {@code value} reaches at least {@code atLeast} and then stays unchanged for
   * 6 s, or {@link #MAX_WAIT} passes; returns the value.
   */
  private static int settle(IntSupplier value, int atLeast) throws InterruptedException {
    Instant deadline = Instant.now().plus(MAX_WAIT);
    int last = -1;
    Instant changed = Instant.now();
    while (Instant.now().isBefore(deadline)) {
      int v = value.getAsInt();
      if (v != last) {
        last = v;
        changed = Instant.now();
      } else if (v >= atLeast && Duration.between(changed, Instant.now()).compareTo(QUIET) >= 0) {
        return v;
      }
      Thread.sleep(250);
    }
    return last;
  }
}
