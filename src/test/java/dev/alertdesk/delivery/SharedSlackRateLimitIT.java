package dev.alertdesk.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 6: two replicas of the service on one PostgreSQL spend one Slack budget per
 * channel between them. Both are real {@link Application}s (Slack SDK against a
 * {@link SlackStandIn} that records when each call arrived); a burst of new incidents is sent
 * to both at once. With a budget per process, the two would send twice the burst at once and
 * 2 messages a second after it.
 */
class SharedSlackRateLimitIT {
  private static final int INCIDENTS = 14;
  /**
   * The stand-in records when a call arrived, not when its token was taken: a call whose token
   * was taken just before a window may arrive inside it. Each replica sends one call at a time,
   * so at most one such call per replica: 2. (Per-process budgets send 10 at once and fail.)
   */
  private static final int TOLERANCE = 2;

  @TempDir Path storageA;
  @TempDir Path storageB;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void twoReplicasOnOnePostgresTogetherStayWithinOneChannelBudget() throws Exception {
    try (TestDatabases.PostgresDatabase pg = TestDatabases.createPostgres();
        SlackStandIn slack = new SlackStandIn();
        Application a = Application.start(Settings.load(env(slack, pg, storageA)),
            Clock.systemUTC());
        Application b = Application.start(Settings.load(env(slack, pg, storageB)),
            Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> ready(a) && ready(b));
      Instant start = Instant.now().minusSeconds(30);
      for (int i = 0; i < INCIDENTS; i++) {
        Application to = i % 2 == 0 ? a : b;
        AlertmanagerPayload alert = AlertmanagerPayload.group("team-a", "Shared" + i)
            .firing("host-" + i, start);
        assertThat(post(to, alert.json())).isEqualTo(200);
      }
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> slack.parentPosts().size() >= INCIDENTS);

      List<Instant> sent = slack.successful().stream()
          .filter(c -> c.method().startsWith("chat."))
          .map(SlackStandIn.Call::receivedAt).sorted().toList();
      assertThat(slack.parentPosts()).hasSize(INCIDENTS);
      // Token bucket bound: within any window, at most the burst plus one per second elapsed.
      for (int i = 0; i < sent.size(); i++) {
        for (int j = i; j < sent.size(); j++) {
          long seconds = Duration.between(sent.get(i), sent.get(j)).toSeconds();
          assertThat(j - i + 1L)
              .as("chat calls between %s and %s (%s s apart), all replicas together",
                  sent.get(i), sent.get(j), seconds)
              .isLessThanOrEqualTo(ChannelRateLimit.BURST + seconds + TOLERANCE);
        }
      }
      // The window check above could pass vacuously if few calls were made: they were not.
      assertThat(Duration.between(sent.get(0), sent.get(INCIDENTS - 1)).toSeconds())
          .as("14 parents at a budget of 5 + 1/s take at least 8 s")
          .isGreaterThanOrEqualTo(INCIDENTS - ChannelRateLimit.BURST - 1 - TOLERANCE);
    }
  }

  boolean ready(Application app) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
          + "/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  int post(Application app, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
            + "/api/alerts"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static Map<String, String> env(SlackStandIn slack, TestDatabases.PostgresDatabase pg,
      Path storage) {
    Map<String, String> env = new HashMap<>();
    env.put("LISTEN_HOST", "127.0.0.1");
    env.put("PORT", "0");
    env.put("STORAGE_DIR", storage.toString());
    env.put("DB_CONNECTION_STRING", pg.connectionString());
    env.put("SLACK_BOT_TOKEN", "xoxb-it-0000-shared");
    env.put("SLACK_SIGNING_SECRET", "it-signing-secret");
    env.put("SLACK_CHANNEL", "#alerts");
    env.put("SLACK_API_URL", slack.apiUrl());
    return env;
  }
}
