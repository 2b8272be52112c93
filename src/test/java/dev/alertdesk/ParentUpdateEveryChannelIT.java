package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.NoiseConfig;
import dev.alertdesk.config.Settings;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.SlackStandIn;
import dev.alertdesk.testing.SlackStandIn.Call;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parent update goes to every channel where the incident has a parent, composed from current
 * state: routes send an incident to two channels, each with its mention, its alert flaps, and an
 * Acknowledge click (signed as Slack signs it) updates both parents, which keep their mention and
 * the "Flapping" line.
 */
class ParentUpdateEveryChannelIT {
  private static final String SIGNING_SECRET = "it-signing-secret-2ch-Lk3";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEAM_MENTION = "<!subteam^S0TEAM>";
  private static final String ONCALL_MENTION = "<@U0ONCALL>";

  @TempDir Path storage;

  private SlackStandIn slack;
  private Application app;
  private AlertdeskClient client;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  @Test
  void anAcknowledgeClickUpdatesTheParentInEveryChannelKeepingMentionAndFlappingLine()
      throws Exception {
    slack = new SlackStandIn();
    Path config = storage.resolve("alertdesk.yml");
    Files.writeString(config, """
        routes:
          - matchers: ['severity="critical"']
            channel: "#team"
            mention: "%s"
            continue: true
          - matchers: ['severity="critical"']
            channel: "#oncall"
            mention: "%s"
        noise:
          flapping: {window: 1h, max_transitions: 2}
        """.formatted(TEAM_MENTION, ONCALL_MENTION));
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "STORAGE_DIR", storage.toString(),
        "SLACK_BOT_TOKEN", "xoxb-test",
        "SLACK_CHANNEL", "#alerts",
        "SLACK_API_URL", slack.apiUrl(),
        "SLACK_SIGNING_SECRET", SIGNING_SECRET,
        "CONFIG_FILE", config.toString()));
    Settings settings = Settings.load(env);
    app = Application.start(settings, NoiseConfig.load(settings.configFile(), env),
        Clock.systemUTC());
    client = new AlertdeskClient(app.port());
    String base = "http://127.0.0.1:" + app.port();

    // Fires, resolves, fires again, resolves, fires: 4 changes, more than max_transitions 2.
    Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
    notify(AlertmanagerPayload.group("team", "DiskFull").firing("db-1", t));
    await("both parents posted").atMost(TIMEOUT).until(() -> slack.parentPosts().size() == 2);
    for (int i = 1; i <= 4; i++) {
      Instant started = t.plusSeconds(100L * ((i + 1) / 2));
      notify(i % 2 == 1
          ? AlertmanagerPayload.group("team", "DiskFull").resolved("db-1",
              t.plusSeconds(100L * ((i - 1) / 2)), started.plusSeconds(50))
          : AlertmanagerPayload.group("team", "DiskFull").firing("db-1", started));
    }
    List<Call> parents = slack.parentPosts();
    Call team = parents.stream().filter(c -> c.param("channel").equals("#team")).findFirst()
        .orElseThrow();
    Call oncall = parents.stream().filter(c -> c.param("channel").equals("#oncall")).findFirst()
        .orElseThrow();
    assertThat(team.param("text")).startsWith(TEAM_MENTION);
    assertThat(oncall.param("text")).startsWith(ONCALL_MENTION);
    await("the flapping line on both parents").atMost(TIMEOUT).until(() ->
        latest(team).contains("*Flapping:*") && latest(oncall).contains("*Flapping:*"));
    String text = team.param("text");
    long id = Long.parseLong(text.substring(text.indexOf("#") + 1, text.indexOf(")",
        text.indexOf("#"))));

    SlackRequests requests = new SlackRequests(base, SIGNING_SECRET);
    assertThat(requests.sendInteraction(SlackRequests.blockActions("U1", "name-U1",
        IncidentActionBlocks.ACKNOWLEDGE, String.valueOf(id), false, "1700000001.000200",
        slack.responseUrl(), team.answeredTs())).statusCode()).isEqualTo(200);

    await("both parents show the acknowledgement").atMost(TIMEOUT).until(() ->
        latest(team).contains("Acknowledged by <@U1>")
            && latest(oncall).contains("Acknowledged by <@U1>"));
    for (Call parent : List.of(team, oncall)) {
      Call update = slack.updates(parent.answeredTs()).stream()
          .filter(c -> decoded(c).contains("Acknowledged by <@U1>")).findFirst().orElseThrow();
      String mention = parent == team ? TEAM_MENTION : ONCALL_MENTION;
      assertThat(update.param("text")).as("the update keeps the route's mention")
          .startsWith(mention + " [FIRING:1]");
      assertThat(decoded(update)).as("the update keeps the flapping line")
          .contains("*Flapping:* 4 changes between firing and resolved")
          .contains(IncidentActionBlocks.UNACKNOWLEDGE);
    }
  }

  private void notify(AlertmanagerPayload payload) {
    assertThat(client.post("/api/alerts", payload.json(), null).statusCode()).isEqualTo(200);
  }

  /** The parent as last sent: its newest update, else the post. */
  private String latest(Call parent) {
    List<Call> updates = slack.updates(parent.answeredTs());
    return decoded(updates.isEmpty() ? parent : updates.get(updates.size() - 1));
  }

  private static String decoded(Call call) {
    try {
      String attachments = call.param("attachments");
      String blocks = call.param("blocks");
      return call.param("text") + "\n"
          + (attachments == null ? "" : JSON.readTree(attachments).toString())
          + (blocks == null ? "" : JSON.readTree(blocks).toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
