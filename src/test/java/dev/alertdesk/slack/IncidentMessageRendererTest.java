package dev.alertdesk.slack;

import static dev.alertdesk.slack.BlockKitAssertions.assertWithinBlockKitLimits;
import static dev.alertdesk.slack.BlockKitAssertions.blocksOfType;
import static dev.alertdesk.slack.BlockKitAssertions.buttons;
import static dev.alertdesk.slack.BlockKitAssertions.fields;
import static dev.alertdesk.slack.BlockKitAssertions.mrkdwnTexts;
import static dev.alertdesk.slack.BlockKitAssertions.visibleText;
import static dev.alertdesk.slack.TestIncident.firing;
import static dev.alertdesk.slack.TestIncident.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.SlackIntent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class IncidentMessageRendererTest {
  private final IncidentMessageRenderer renderer = new IncidentMessageRenderer(TestIncident.clock(15));

  // ---------------------------------------------------------------------------------------------
  // Parent message

  @Test
  void parentShowsStatusTitleCountsAndFields() {
    TestIncident t = new TestIncident();
    t.members = List.of(firing("a"), firing("b"), resolved("c"));

    Incident incident = t.build();
    JsonNode message = assertWithinBlockKitLimits(renderer.parent(incident));

    assertThat(message.path("attachments")).hasSize(1);
    assertThat(header(message)).isEqualTo(":rotating_light: HighLatency · namespace=prod");
    assertThat(sectionTexts(message)).anySatisfy(text -> assertThat(text)
        .startsWith("*Firing* since <!date^" + incident.startedAt().getEpochSecond() + "^")
        .endsWith("> · 2 firing, 1 resolved"));
    assertThat(fields(message))
        .containsEntry("Severity", "critical")
        .containsEntry("Namespace", "prod")
        .containsEntry("Service", "api")
        .hasEntrySatisfying("Started", v -> assertThat(v)
            .startsWith("<!date^" + TestIncident.T0.getEpochSecond() + "^")
            .endsWith("|2025-03-10 09:00 UTC>"));
    assertThat(sectionTexts(message)).contains("*p99 latency above 500ms*\nThe API answers slowly.");
    assertThat(contextTexts(message)).anySatisfy(text -> assertThat(text)
        .contains("Incident #42").contains("`slack-sre`"));
    assertThat(message.path("text").asText()).isEqualTo(
        "[FIRING:2] HighLatency · namespace=prod (incident #42)");
  }

  @Test
  void parentListsFiringAlertsByTheLabelsThatTellThemApart() {
    TestIncident t = new TestIncident();
    t.members = List.of(firing("a"), firing("b"), resolved("c"));

    JsonNode message = assertWithinBlockKitLimits(renderer.parent(t.build()));

    String list = sectionTexts(message).stream().filter(s -> s.startsWith("*Firing alerts*"))
        .findFirst().orElseThrow();
    assertThat(list.lines().skip(1)).hasSize(2)
        .allSatisfy(line -> assertThat(line).startsWith("• `instance=")
            .doesNotContain("severity=").doesNotContain("alertname=").contains(" since <!date^"));
    assertThat(list).contains("instance=a:8080").contains("instance=b:8080")
        .doesNotContain("instance=c:8080");
  }

  @Test
  void resolvedParentSaysSoAndHasADifferentColourFromFiring() {
    Incident firing = new TestIncident().build();
    Incident resolved = new TestIncident().resolvedAfter(32).build();

    JsonNode firingMessage = assertWithinBlockKitLimits(renderer.parent(firing));
    JsonNode resolvedMessage = assertWithinBlockKitLimits(renderer.parent(resolved));

    String firingColour = colour(firingMessage);
    String resolvedColour = colour(resolvedMessage);
    assertThat(firingColour).matches("#[0-9A-Fa-f]{6}");
    assertThat(resolvedColour).matches("#[0-9A-Fa-f]{6}").isNotEqualToIgnoringCase(firingColour);
    assertThat(header(resolvedMessage)).startsWith(":white_check_mark: HighLatency");
    assertThat(sectionTexts(resolvedMessage)).contains("*Resolved* after 32m · 0 firing, 2 resolved");
    assertThat(resolvedMessage.path("text").asText()).startsWith("[RESOLVED] ");
    assertThat(sectionTexts(resolvedMessage)).noneMatch(s -> s.startsWith("*Firing alerts*"));
  }

  @Test
  void theParentIsRedForCriticalOrangeForWarningBlueForInfoAndGreenOnceResolvedAsTheReadmeSays() {
    TestIncident warning = new TestIncident();
    warning.commonLabels = Labels.of("alertname", "HighLatency", "severity", "warning");
    TestIncident info = new TestIncident();
    info.commonLabels = Labels.of("alertname", "HighLatency", "severity", "info");

    assertThat(hue(colour(assertWithinBlockKitLimits(renderer.parent(new TestIncident().build())))))
        .as("critical is red").satisfiesAnyOf(h -> assertThat(h).isGreaterThan(330),
            h -> assertThat(h).isLessThan(15));
    assertThat(hue(colour(assertWithinBlockKitLimits(renderer.parent(warning.build()))))).as("warning is orange")
        .isBetween(15.0, 40.0);
    assertThat(hue(colour(assertWithinBlockKitLimits(renderer.parent(info.build()))))).as("info is blue")
        .isBetween(180.0, 250.0);
    assertThat(hue(colour(assertWithinBlockKitLimits(renderer.parent(new TestIncident().resolvedAfter(32).build())))))
        .as("resolved is green").isBetween(90.0, 170.0);
  }

  /** The hue of a {@code #RRGGBB} colour in degrees (0 red, 30 orange, 60 yellow, 120 green). */
  private static double hue(String hex) {
    int rgb = Integer.parseInt(hex.substring(1), 16);
    float[] hsb = java.awt.Color.RGBtoHSB((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, null);
    return hsb[0] * 360.0;
  }

  @Test
  void aSingleAlertIncidentNamesItsAlertByTheLabelsThatIdentifyItNotByItsFingerprint() {
    TestIncident one = new TestIncident();
    Alert only = TestIncident.firing("db-7");
    one.members = new ArrayList<>(List.of(only));
    one.commonLabels = only.labels();

    String text = visibleText(assertWithinBlockKitLimits(renderer.parent(one.build())));

    assertThat(text).contains("`instance=db-7:8080, service=api`")
        .doesNotContain(only.fingerprint());
  }

  @Test
  void severityChoosesTheFiringColourAndEmoji() {
    TestIncident warning = new TestIncident();
    warning.commonLabels = Labels.of("alertname", "HighLatency", "severity", "warning");
    TestIncident critical = new TestIncident();

    JsonNode warningMessage = assertWithinBlockKitLimits(renderer.parent(warning.build()));
    JsonNode criticalMessage = assertWithinBlockKitLimits(renderer.parent(critical.build()));

    assertThat(colour(warningMessage)).isNotEqualToIgnoringCase(colour(criticalMessage));
    assertThat(header(warningMessage)).startsWith(":warning: ");
    assertThat(header(criticalMessage)).startsWith(":rotating_light: ");
  }

  @Test
  void reopenedParentSaysHowOften() {
    TestIncident t = new TestIncident();
    t.reopenCount = 2;

    JsonNode message = assertWithinBlockKitLimits(renderer.parent(t.build()));

    assertThat(sectionTexts(message)).anySatisfy(s -> assertThat(s).endsWith(" · reopened 2×"));
  }

  @Test
  void runbookButtonAppearsWhenRunbookUrlIsAnnotated() {
    TestIncident t = new TestIncident();
    t.commonAnnotations = Labels.of("summary", "s", "runbook_url", "https://runbooks.example/latency");

    JsonNode message = assertWithinBlockKitLimits(renderer.parent(t.build()));

    assertThat(button(message, "link_runbook")).hasValueSatisfying(b -> {
      assertThat(b.path("url").asText()).isEqualTo("https://runbooks.example/latency");
      assertThat(b.path("text").path("text").asText()).contains("Runbook");
    });
  }

  @Test
  void runbookButtonFallsBackToTheFirstMembersAnnotation() {
    TestIncident t = new TestIncident();
    Alert a = firing("a");
    t.members = List.of(new Alert(a.fingerprint(), a.status(), a.labels(),
        Labels.of("runbook_url", "https://runbooks.example/member"), a.startsAt(), null,
        a.generatorUrl()));

    JsonNode message = assertWithinBlockKitLimits(renderer.parent(t.build()));

    assertThat(button(message, "link_runbook")).hasValueSatisfying(b ->
        assertThat(b.path("url").asText()).isEqualTo("https://runbooks.example/member"));
  }

  @Test
  void runbookButtonIsAbsentWithoutRunbookUrl() {
    JsonNode message = assertWithinBlockKitLimits(renderer.parent(new TestIncident().build()));

    assertThat(button(message, "link_runbook")).isEmpty();
    assertThat(buttons(message)).extracting(b -> b.path("text").path("text").asText())
        .noneMatch(text -> text.contains("Runbook"));
  }

  @Test
  void sourceButtonUsesTheGeneratorUrl() {
    JsonNode message = assertWithinBlockKitLimits(renderer.parent(new TestIncident().build()));

    assertThat(button(message, "link_source")).hasValueSatisfying(b ->
        assertThat(b.path("url").asText()).isEqualTo(TestIncident.GENERATOR_URL));
  }

  @Test
  void alertmanagerButtonUsesTheExternalUrl() {
    TestIncident t = new TestIncident();
    t.externalUrl = "https://alertmanager.corp.example/am";

    JsonNode message = assertWithinBlockKitLimits(renderer.parent(t.build()));

    assertThat(button(message, "link_alertmanager")).hasValueSatisfying(b -> {
      assertThat(b.path("url").asText()).isEqualTo("https://alertmanager.corp.example/am");
      assertThat(b.path("text").path("text").asText()).isEqualTo("Alertmanager");
    });
  }

  @Test
  void linkButtonsAreLeftOutWithoutUsableUrls() {
    TestIncident t = new TestIncident();
    t.externalUrl = null;
    Alert a = firing("a");
    t.members = List.of(new Alert(a.fingerprint(), a.status(), a.labels(), a.annotations(),
        a.startsAt(), null, "javascript:alert(1)"));
    t.commonAnnotations = Labels.of("runbook_url", "file:///etc/passwd");

    JsonNode message = assertWithinBlockKitLimits(renderer.parent(t.build()));

    assertThat(buttons(message)).isEmpty();
    assertThat(blocksOfType(message, "actions")).isEmpty();
  }

  @Test
  void moreThanTenAlertsEndInPlusNMore() {
    TestIncident t = new TestIncident();
    t.members = TestIncident.firingMembers(12);

    JsonNode message = assertWithinBlockKitLimits(renderer.parent(t.build()));

    String list = firingList(message);
    assertThat(list.lines().filter(l -> l.startsWith("• "))).hasSize(10);
    assertThat(list).endsWith("\n+2 more");
  }

  @Test
  void exactlyTenAlertsNeedNoMore() {
    TestIncident t = new TestIncident();
    t.members = TestIncident.firingMembers(10);

    JsonNode message = assertWithinBlockKitLimits(renderer.parent(t.build()));

    String list = firingList(message);
    assertThat(list.lines().filter(l -> l.startsWith("• "))).hasSize(10);
    assertThat(list).doesNotContain("more");
  }

  @Test
  void truncatedAlertsAreMentionedOnlyWhenAlertmanagerLeftSomeOut() {
    TestIncident truncated = new TestIncident();
    truncated.truncatedAlerts = 7;

    JsonNode with = assertWithinBlockKitLimits(renderer.parent(truncated.build()));
    JsonNode without = assertWithinBlockKitLimits(renderer.parent(new TestIncident().build()));

    assertThat(contextTexts(with)).anySatisfy(s -> assertThat(s)
        .contains("left 7 more alerts out").contains("max_alerts"));
    assertThat(contextTexts(without)).noneMatch(s -> s.contains("max_alerts"));
  }

  @Test
  void parentPostAndParentUpdateRenderTheParent() {
    Incident incident = new TestIncident().build();

    assertThat(renderer.render(incident, SlackIntent.parentPost()))
        .isEqualTo(renderer.parent(incident));
    assertThat(renderer.render(incident, SlackIntent.parentUpdate()))
        .isEqualTo(renderer.parent(incident));
  }

  // ---------------------------------------------------------------------------------------------
  // Escaping

  @Test
  void escapesAmpersandAndAngleBracketsInEveryMrkdwnText() {
    TestIncident t = new TestIncident();
    t.receiver = "team <ops> & friends";
    t.groupLabels = Labels.of("alertname", "Disk<Full>", "mount", "/a&b <!channel>");
    t.commonLabels = Labels.of("alertname", "Disk<Full>", "severity", "<!here>",
        "namespace", "a&b", "service", "<svc>");
    t.commonAnnotations = Labels.of("summary", "Usage > 90% & rising <@U123>",
        "description", "See <https://evil.example|this link>");
    Alert a = firing("a");
    Labels labels = Labels.of("alertname", "Other<One>", "instance", "<b>&amp;");
    t.members = List.of(new Alert(labels.fingerprint(), AlertStatus.FIRING, labels,
        a.annotations(), a.startsAt(), null, a.generatorUrl()));
    Incident incident = t.build();
    List<String> rendered = List.of(
        renderer.parent(incident),
        renderer.render(incident, SlackIntent.threadReply(SlackIntent.Reply.ALERTS_CHANGED,
            incident.members(), List.of())),
        renderer.render(incident, SlackIntent.threadReply(SlackIntent.Reply.REOPENED,
            incident.members(), List.of())),
        renderer.render(incident, SlackIntent.threadReply(SlackIntent.Reply.RESOLVED,
            List.of(), incident.members())));

    for (String payload : rendered) {
      JsonNode message = assertWithinBlockKitLimits(payload);
      for (String text : mrkdwnTexts(message)) {
        String withoutDates = text.replaceAll("<!date\\^\\d+\\^[^|>]*\\|[^>]*>", "");
        assertThat(withoutDates).as("mrkdwn text %s", text)
            .doesNotContain("<").doesNotContain(">")
            .doesNotContainPattern("&(?!amp;|lt;|gt;)");
      }
    }
    JsonNode parent = BlockKitAssertions.parse(rendered.get(0));
    String visible = String.join("\n", mrkdwnTexts(parent));
    assertThat(visible)
        .contains("Usage &gt; 90% &amp; rising &lt;@U123&gt;")
        .contains("team &lt;ops&gt; &amp; friends")
        .contains("&lt;!here&gt;")
        .contains("*Other&lt;One&gt;*")
        .contains("instance=&lt;b&gt;&amp;amp;");
  }

  // ---------------------------------------------------------------------------------------------
  // Thread replies

  @Test
  void alertsChangedReplyListsWhatFiredAndWhatResolved() {
    TestIncident t = new TestIncident();
    t.members = List.of(firing("a"), firing("b"), resolved("c"));
    Incident incident = t.build();

    JsonNode message = assertWithinBlockKitLimits(renderer.render(incident,
        SlackIntent.threadReply(SlackIntent.Reply.ALERTS_CHANGED, List.of(firing("b")),
            List.of(resolved("c")))));

    assertThat(message.has("attachments")).isFalse();
    assertThat(message.path("text").asText())
        .isEqualTo(":fire: 1 alert firing, :white_check_mark: 1 alert resolved");
    List<String> sections = sectionTexts(message);
    assertThat(sections).hasSize(2);
    assertThat(sections.get(0)).startsWith(":fire: *1 alert firing*\n• `instance=b:8080`");
    assertThat(sections.get(1)).startsWith(":white_check_mark: *1 alert resolved*\n"
        + "• `instance=c:8080` ended <!date^");
    assertThat(contextTexts(message)).containsExactly("2 firing, 1 resolved · Incident #42");
  }

  @Test
  void resolvedReplyGivesTheDuration() {
    Incident incident = new TestIncident().resolvedAfter(32).build();

    JsonNode message = assertWithinBlockKitLimits(renderer.render(incident,
        SlackIntent.threadReply(SlackIntent.Reply.RESOLVED, List.of(), incident.members())));

    assertThat(message.path("text").asText()).isEqualTo(":white_check_mark: Resolved after 32m");
    assertThat(sectionTexts(message).get(0)).isEqualTo(":white_check_mark: Resolved after 32m");
    assertThat(sectionTexts(message).get(1)).startsWith("*Resolved*\n• ");
  }

  @Test
  void reopenedReplySaysWhatFiresAgain() {
    TestIncident t = new TestIncident();
    t.reopenCount = 1;
    Incident incident = t.build();

    JsonNode message = assertWithinBlockKitLimits(renderer.render(incident,
        SlackIntent.threadReply(SlackIntent.Reply.REOPENED, List.of(firing("a")), List.of())));

    assertThat(message.path("text").asText()).isEqualTo(":repeat: Reopened: 1 alert firing again");
    assertThat(sectionTexts(message).get(0)).contains("instance=a:8080");
  }

  @Test
  void repliesPastTenAlertsEndInPlusNMore() {
    TestIncident t = new TestIncident();
    t.members = TestIncident.firingMembers(25);
    Incident incident = t.build();

    JsonNode message = assertWithinBlockKitLimits(renderer.render(incident,
        SlackIntent.threadReply(SlackIntent.Reply.ALERTS_CHANGED, incident.members(), List.of())));

    assertThat(sectionTexts(message).get(0)).startsWith(":fire: *25 alerts firing*")
        .endsWith("\n+15 more");
  }

  @Test
  void aFiringParentDoesNotGoStaleBetweenUpdates() {
    // Slack renders the start time itself, so the parent reads the same a minute or a day later.
    Incident incident = new TestIncident().build();

    JsonNode early = assertWithinBlockKitLimits(
        new IncidentMessageRenderer(TestIncident.clock(3)).parent(incident));
    JsonNode late = assertWithinBlockKitLimits(
        new IncidentMessageRenderer(TestIncident.clock(24 * 60 + 125)).parent(incident));

    assertThat(visibleText(early)).contains("*Firing* since <!date^").doesNotContain("for 3m");
    assertThat(late).isEqualTo(early);
  }

  // ---------------------------------------------------------------------------------------------

  private static String header(JsonNode message) {
    List<JsonNode> headers = blocksOfType(message, "header");
    assertThat(headers).hasSize(1);
    return headers.get(0).path("text").path("text").asText();
  }

  private static String colour(JsonNode message) {
    return message.path("attachments").path(0).path("color").asText();
  }

  private static List<String> sectionTexts(JsonNode message) {
    List<String> out = new ArrayList<>();
    for (JsonNode section : blocksOfType(message, "section")) {
      if (section.has("text")) {
        out.add(section.path("text").path("text").asText());
      }
    }
    return out;
  }

  private static List<String> contextTexts(JsonNode message) {
    List<String> out = new ArrayList<>();
    for (JsonNode context : blocksOfType(message, "context")) {
      context.path("elements").forEach(e -> out.add(e.path("text").asText()));
    }
    return out;
  }

  private static String firingList(JsonNode message) {
    return sectionTexts(message).stream().filter(s -> s.startsWith("*Firing alerts*"))
        .findFirst().orElseThrow(() -> new AssertionError("no firing list in " + message));
  }

  // ---------------------------------------------------------------------------------------------
  // Composed for a channel, with enrichment

  @Test
  void theRoutesMentionLeadsTheTextAndTheFlappingLineIsThirdInTheParent() {
    JsonNode message = assertWithinBlockKitLimits(renderer.parent(new TestIncident().build(),
        IncidentResponse.none(1), "<!subteam^S1>", 5, Duration.ofMinutes(30),
        Enrichment.ParentContext.NONE));
    assertThat(message.path("text").asText()).startsWith("<!subteam^S1> [FIRING:");
    JsonNode blocks = message.at("/attachments/0/blocks");
    assertThat(blocks.get(2).path("type").asText()).isEqualTo("context");
    assertThat(blocks.get(2).toString()).contains(":repeat: *Flapping:* 5 changes between firing "
        + "and resolved in the last 30m; changes update this message instead of replying.");

    JsonNode plain = assertWithinBlockKitLimits(renderer.parent(new TestIncident().build()));
    assertThat(plain.path("text").asText()).startsWith("[FIRING:");
    assertThat(plain.toString()).doesNotContain("Flapping");
  }

  @Test
  void enrichmentGoesBeforeTheClosingContextLineAndOnlyHttpLinksAreKept() {
    Enrichment.ParentContext found = new Enrichment.ParentContext("Current value: 0.9",
        "https://explorer.example/#/slos/api", "https://alertdesk.example/api/charts/ab.png",
        "graph of errors");
    JsonNode message = assertWithinBlockKitLimits(renderer.parent(new TestIncident().build(),
        IncidentResponse.none(1), null, 0, Duration.ZERO, found));
    JsonNode blocks = message.at("/attachments/0/blocks");
    int n = blocks.size();
    assertThat(blocks.get(n - 1).toString()).contains("Incident #");
    assertThat(blocks.get(n - 4).toString()).contains("Current value: 0.9");
    assertThat(blocks.get(n - 3).at("/elements/0/url").asText())
        .isEqualTo("https://explorer.example/#/slos/api");
    assertThat(blocks.get(n - 2).path("type").asText()).isEqualTo("image");
    assertThat(blocks.get(n - 2).path("image_url").asText())
        .isEqualTo("https://alertdesk.example/api/charts/ab.png");

    JsonNode hostile = assertWithinBlockKitLimits(renderer.parent(new TestIncident().build(),
        IncidentResponse.none(1), null, 0, Duration.ZERO, new Enrichment.ParentContext(null,
            "javascript:alert(1)", "file:///etc/passwd", "x")));
    assertThat(hostile.toString()).doesNotContain("javascript:").doesNotContain("file:");

    JsonNode huge = assertWithinBlockKitLimits(renderer.parent(TestIncident.huge(500).build(),
        IncidentResponse.none(1), "<!here>", 9, Duration.ofMinutes(10), found));
    assertThat(huge.at("/attachments/0/blocks").size()).isLessThanOrEqualTo(50);
  }

  private static Optional<JsonNode> button(JsonNode message, String actionId) {
    return buttons(message).stream()
        .filter(b -> actionId.equals(b.path("action_id").asText())).findFirst();
  }
}
