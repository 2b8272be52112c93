package dev.alertdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code alertdesk} command line as users run it, through {@link Main#commandLine()} with
 * its output captured: {@code version}, {@code check-config} and {@code replay} on saved
 * Alertmanager payloads ({@code src/test/resources/payloads/}).
 */
class CliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void versionPrintsTheVersion() {
    assertThat(run("version")).isZero();
    assertThat(out.toString().strip()).isEqualTo("alertdesk " + Version.current());
    assertThat(Version.current()).isNotBlank();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void versionOptionPrintsTheSame() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString().strip()).isEqualTo("alertdesk " + Version.current());
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("frobnicate");
  }

  @Test
  void checkConfigAcceptsAValidFileAndMasksSecrets() throws Exception {
    Path file = write("valid.yml", """
        # Alertdesk settings
        port: 3031
        slack_bot_token: xoxb-very-secret-123
        slack_channel: "#alerts"
        webhook_bearer_token: hook-secret-456
        reopen_window: 30m
        routes:
          - matchers: ['severity="critical"']
            channel: "#pager"
        """);

    assertThat(run("check-config", file.toString())).isZero();

    assertThat(out.toString()).startsWith("configuration OK:")
        .contains("slackChannel=#alerts")
        .contains("reopenWindow=PT30M")
        .contains("slackBotToken=****")
        .doesNotContain("xoxb-very-secret-123")
        .doesNotContain("hook-secret-456");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void checkConfigValidatesTheSmtpSectionAndEmailRoutesWithoutShowingThePassword()
      throws Exception {
    Path good = write("email.yml", """
        smtp:
          host: smtp.example.com
          username: alertdesk
          password: smtp-secret-789
          from: "Alertdesk <alertdesk@example.com>"
        routes:
          - matchers: ['severity="critical"']
            email: {to: [oncall@example.com], on: [opened, resolved]}
        """);
    assertThat(run("check-config", good.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("smtp=SmtpSettings[host=smtp.example.com, port=587, "
            + "starttls=required, username=alertdesk, password=****")
        .contains("e-mail: smtp.example.com:587 (starttls: required), routes that mail: 1")
        .doesNotContain("smtp-secret-789");

    out.getBuffer().setLength(0);
    Path bad = write("bad-email.yml", """
        smtp:
          host: smtp.example.com
          starttls: maybe
          password: smtp-secret-789
          from: "Alertdesk <alertdesk@example.com>"
        routes:
          - email: {to: [nobody], on: [opened]}
        """);
    assertThat(run("check-config", bad.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("line 3: smtp.starttls: must be required, tls or none",
            "smtp: username and password go together",
            "routes[0].email.to[0]: \"nobody\" is not an e-mail address")
        .doesNotContain("smtp-secret-789");
  }

  @Test
  void checkConfigNamesTheUnknownKeyAndItsLine() throws Exception {
    Path file = write("unknown.yml", """
        port: 3031
        slack_channel: "#alerts"
        slack_chanel: "#typo"
        """);

    assertThat(run("check-config", file.toString())).isEqualTo(1);

    assertThat(err.toString()).contains("invalid configuration")
        .contains(file.toString()).contains("line 3").contains("slack_chanel");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void checkConfigReportsEveryProblemInFileOrderWithFileLineAndKey() throws Exception {
    Path file = write("many.yml", """
        slack_channel: "#alerts"
        routes:
          - matchers: ['job=~"("']
            channel: "#payments"
            chanel: "#typo"
            mention: "@oncall"
        prot: 3031
        noise:
          storm: {window: 1m, max_new_incidents: lots}
        """);

    assertThat(run("check-config", file.toString())).isEqualTo(1);

    List<String> lines = err.toString().lines().toList();
    assertThat(lines.get(0)).isEqualTo("invalid configuration: 5 problems:");
    assertThat(lines.subList(1, lines.size())).satisfiesExactly(
        l -> assertThat(l).startsWith("  " + file + " line 3: routes[0].matchers[0]: "),
        l -> assertThat(l).startsWith("  " + file + " line 5: routes[0].chanel: unknown key"),
        l -> assertThat(l).startsWith("  " + file + " line 6: routes[0].mention: \"@oncall\" is "
            + "not Slack mention markup").contains("<!subteam^ID>").contains("<@U123ABC>"),
        l -> assertThat(l).startsWith("  " + file + " line 7: unknown key \"prot\""),
        l -> assertThat(l).startsWith("  " + file + " line 9: noise.storm.max_new_incidents: "
            + "not a whole number"));
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void checkConfigAcceptsEverySlackMentionForm() throws Exception {
    Path file = write("mentions.yml", """
        slack_channel: "#alerts"
        routes:
          - mention: "<!subteam^S0ONCALL|@oncall>"
          - mention: "<@U024BE7LH> <!here>"
          - mention: "<!channel>"
        """);

    assertThat(run("check-config", file.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("routes: 3");
  }

  @Test
  void checkConfigNamesTheKeyAndLineOfABadValue() throws Exception {
    Path file = write("badvalue.yml", """
        slack_channel: "#alerts"
        log_level: info
        port: eighty
        """);

    assertThat(run("check-config", file.toString())).isEqualTo(1);

    assertThat(err.toString())
        .contains(file.toString() + " line 3: port: not a whole number: \"eighty\"");
  }

  @Test
  void checkConfigNamesTheLineOfBrokenYaml() throws Exception {
    Path file = write("broken.yml", """
        port: 3031
        slack_channel: "#alerts"
        log_level: info: debug
        """);

    assertThat(run("check-config", file.toString())).isEqualTo(1);

    assertThat(err.toString()).contains(file.toString() + " line 3: not valid YAML");
  }

  @Test
  void checkConfigOfAMissingFileFails() {
    assertThat(run("check-config", dir.resolve("nope.yml").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("nope.yml").contains("does not exist");
  }

  @Test
  void replayPrintsTheIncidentAndTheSlackMessagesOfEachPayload() throws Exception {
    Path config = write("replay.yml", "slack_channel: \"#replay\"\n");

    int code = run("replay", "--config", config.toString(), payload("01-firing.json"),
        payload("02-second-alert.json"), payload("03-resolved.json"));

    assertThat(err.toString()).isEmpty();
    assertThat(code).isZero();
    List<String> sections = sections(out.toString());
    assertThat(sections).hasSize(3);

    String opened = sections.get(0);
    assertThat(opened.lines().findFirst().orElseThrow())
        .contains("01-firing.json").contains("@ 2026-03-02T10:00:00Z").endsWith("opened incident #1");
    assertThat(opened).contains("  event opened").contains("  slack parent_post channel=#replay");
    JsonNode parent = JSON.readTree(jsonAfter(opened, "slack parent_post"));
    assertThat(parent.get("text").asText()).isEqualTo("[FIRING:1] HighLatency (incident #1)");
    assertThat(parent.get("attachments").get(0).get("blocks").toString())
        .contains("\"type\":\"header\"").contains("https://runbooks.example.com/high-latency");

    String updated = sections.get(1);
    assertThat(updated.lines().findFirst().orElseThrow()).endsWith("updated incident #1");
    assertThat(updated).contains("  event alerts_firing").contains("0c9e8d7a6b5f4e32")
        .contains("  slack parent_update channel=#replay")
        .contains("  slack thread_reply channel=#replay");
    JsonNode joined = JSON.readTree(jsonAfter(updated, "slack thread_reply"));
    assertThat(joined.get("text").asText()).contains("1 alert firing");
    assertThat(joined.get("blocks").toString()).contains("pod=api-7d9f-b");

    String resolved = sections.get(2);
    assertThat(resolved.lines().findFirst().orElseThrow()).endsWith("resolved incident #1");
    assertThat(resolved).contains("  event resolved").contains("  slack parent_update")
        .contains("  slack thread_reply");
    JsonNode resolution = JSON.readTree(jsonAfter(resolved, "slack thread_reply"));
    assertThat(resolution.get("text").asText()).isEqualTo(":white_check_mark: Resolved after 42m");
    JsonNode finalParent = JSON.readTree(jsonAfter(resolved, "slack parent_update"));
    assertThat(finalParent.get("text").asText()).startsWith("[RESOLVED]");
  }

  @Test
  void checkConfigNamesTheLineAndKeyOfABadRouteMatcher() throws Exception {
    Path file = write("routes.yml", """
        slack_channel: "#alerts"
        routes:
          - matchers: ['severity="critical"', 'namespace=~"(checkout"']
            channel: "#pager"
        """);

    assertThat(run("check-config", file.toString())).isEqualTo(1);

    assertThat(err.toString()).contains(file + " line 3: routes[0].matchers[1]: "
        + "invalid regular expression \"(checkout\"");
  }

  @Test
  void checkConfigSummarisesTheNoiseRules() throws Exception {
    Path file = write("noise.yml", """
        routes:
          - matchers: ['severity="info"']
            slack: false
        noise:
          notify_after: {min_firing: 2m}
          storm: {window: 1m, max_new_incidents: 10}
        """);

    assertThat(run("check-config", file.toString())).isZero();

    assertThat(out.toString()).contains("routes: 1, notify_after: 2m, flapping: off, storm: on");
  }

  @Test
  void replayWithNoiseRulesSaysPerIncidentWhatWasHeldBackAndWhy() throws Exception {
    Path config = write("notify-after.yml", """
        slack_channel: "#replay"
        noise:
          notify_after: {min_firing: 1h}
        """);

    int code = run("replay", "--config", config.toString(), payload("01-firing.json"),
        payload("02-second-alert.json"), payload("03-resolved.json"));

    assertThat(err.toString()).isEmpty();
    assertThat(code).isZero();
    assertThat(out.toString()).doesNotContain("  slack ")
        .contains("event notification_delayed {channel=#replay, notify_at=2026-03-02T11:00:00Z, "
            + "reason=notify_after} incident #1")
        .contains("event notification_suppressed {channel=#replay, min_firing_seconds=3600, "
            + "reason=resolved_before_notify_after} incident #1")
        .contains("incident #1 HighLatency")
        .contains("0 parent, 0 replies, 0 updates in its thread; notification_delayed (notify_after), "
            + "notification_suppressed (resolved_before_notify_after)")
        .contains("messages a person sees (parents and replies): 0");
  }

  @Test
  void replayOfTheSamePayloadTwiceSaysDuplicateAndSendsNothing() throws Exception {
    int code = run("replay", payload("01-firing.json"), payload("01-firing.json"));

    assertThat(code).isZero();
    List<String> sections = sections(out.toString());
    assertThat(sections.get(1).lines().findFirst().orElseThrow()).endsWith("duplicate incident #1");
    assertThat(sections.get(1)).contains("no Slack call").doesNotContain("  slack ");
  }

  @Test
  void replayReportsAnInvalidPayloadAndFails() throws Exception {
    Path bad = write("bad.json", "{\"version\": \"3\"}");

    int code = run("replay", payload("01-firing.json"), bad.toString(),
        dir.resolve("missing.json").toString());

    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).contains("opened incident #1");
    assertThat(err.toString()).contains("bad.json: invalid payload").contains("\"3\"")
        .contains("missing.json: cannot read");
  }

  private Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static String payload(String name) throws URISyntaxException {
    return Path.of(CliIT.class.getResource("/payloads/" + name).toURI()).toString();
  }

  /** Splits replay output at its "== FILE" headers. */
  private static List<String> sections(String output) {
    List<String> sections = new ArrayList<>();
    StringBuilder current = null;
    for (String line : output.lines().toList()) {
      if (line.startsWith("== ")) {
        if (current != null) {
          sections.add(current.toString());
        }
        current = new StringBuilder();
      }
      if (current != null) {
        current.append(line).append('\n');
      }
    }
    if (current != null) {
      sections.add(current.toString());
    }
    return sections;
  }

  /** The indented JSON object printed after the line starting with {@code marker}. */
  private static String jsonAfter(String section, String marker) {
    List<String> lines = section.lines().toList();
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().startsWith(marker)) {
        start = i + 1;
        break;
      }
    }
    assertThat(start).as("a line starting with %s in%n%s", marker, section).isPositive();
    StringBuilder json = new StringBuilder();
    for (int i = start; i < lines.size() && lines.get(i).startsWith("    "); i++) {
      json.append(lines.get(i)).append('\n');
      if (lines.get(i).equals("    }")) {
        break;
      }
    }
    return json.toString();
  }
}
