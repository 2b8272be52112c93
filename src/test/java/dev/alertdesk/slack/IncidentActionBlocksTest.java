package dev.alertdesk.slack;

import static dev.alertdesk.slack.BlockKitAssertions.assertWithinBlockKitLimits;
import static dev.alertdesk.slack.BlockKitAssertions.blocksOfType;
import static dev.alertdesk.slack.BlockKitAssertions.visibleText;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.incident.IncidentResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The action buttons and response line of an open incident's parent message. */
class IncidentActionBlocksTest {
  private final IncidentMessageRenderer interactive =
      new IncidentMessageRenderer(TestIncident.clock(10), true);

  private static List<String> actionIds(JsonNode message) {
    List<String> ids = new ArrayList<>();
    for (JsonNode block : blocksOfType(message, "actions")) {
      block.get("elements").forEach(e -> ids.add(e.path("action_id").asText()));
    }
    return ids;
  }

  @Test
  void anOpenIncidentOffersAcknowledgeSilenceAndSnoozeNextToItsLinks() {
    JsonNode message = assertWithinBlockKitLimits(
        interactive.parent(new TestIncident().build()));

    assertThat(actionIds(message)).containsSubsequence(IncidentActionBlocks.ACKNOWLEDGE,
        IncidentActionBlocks.SILENCE, IncidentActionBlocks.SNOOZE, "link_source");
    JsonNode silence = blocksOfType(message, "actions").get(0).get("elements").get(1);
    assertThat(silence.get("options")).extracting(o -> o.get("value").asText())
        .containsExactly("42:1h", "42:4h", "42:24h", "42:resolved");
    assertThat(silence.path("confirm").path("text").path("text").asText())
        .contains("`alertname=\"HighLatency\"`").contains("`namespace=\"prod\"`");
    assertThat(blocksOfType(message, "actions").get(0).get("elements").get(0).get("value").asText())
        .isEqualTo("42");
  }

  @Test
  void anAcknowledgedAndSilencedIncidentSaysByWhomAndOffersTheReverseActions() {
    TestIncident t = new TestIncident();
    IncidentResponse response = new IncidentResponse(42,
        new IncidentResponse.Acknowledgement("U1", "alice", TestIncident.T0.plusSeconds(120)),
        new IncidentResponse.Silence("s-1", List.of("alertname=\"HighLatency\""),
            TestIncident.T0.plus(Duration.ofHours(1)), "U2", "bob", false),
        Set.of());

    String payload = interactive.parent(t.build(), response);
    JsonNode message = assertWithinBlockKitLimits(payload);

    assertThat(visibleText(message)).contains("Acknowledged by <@U1>")
        .contains("Silenced until <!date^" + TestIncident.T0.plus(Duration.ofHours(1)).getEpochSecond()
            + "^{time}|10:00 UTC> by <@U2>");
    assertThat(actionIds(message)).contains(IncidentActionBlocks.UNACKNOWLEDGE,
        IncidentActionBlocks.UNSILENCE).doesNotContain(IncidentActionBlocks.ACKNOWLEDGE,
        IncidentActionBlocks.SILENCE);
    assertThat(message.get("attachments").get(0).get("color").asText()).isEqualTo("#9E9EA6");
    assertThat(BlockKitAssertions.blocksOfType(message, "header").get(0).toString())
        .contains(":mute:");
  }

  @Test
  void anExpiredSilenceIsNoLongerShownAndSilenceIsOfferedAgain() {
    IncidentResponse response = IncidentResponse.none(42).withSilence(
        new IncidentResponse.Silence("s-1", List.of(), TestIncident.T0.plusSeconds(60), "U2", "bob",
            false));
    JsonNode message = assertWithinBlockKitLimits(
        interactive.parent(new TestIncident().build(), response));
    assertThat(visibleText(message)).doesNotContain("Silenced");
    assertThat(actionIds(message)).contains(IncidentActionBlocks.SILENCE);
  }

  @Test
  void resolvedIncidentsAndANonInteractiveRendererShowNoActions() {
    JsonNode resolved = assertWithinBlockKitLimits(
        interactive.parent(new TestIncident().resolvedAfter(5).build()));
    assertThat(actionIds(resolved)).noneMatch(id -> id.startsWith("incident_"));
    JsonNode plain = assertWithinBlockKitLimits(
        new IncidentMessageRenderer(TestIncident.clock(10)).parent(new TestIncident().build()));
    assertThat(actionIds(plain)).noneMatch(id -> id.startsWith("incident_"));
  }

  @Test
  void aHugeIncidentStaysWithinBlockKitLimitsWithItsActions() {
    JsonNode message = assertWithinBlockKitLimits(interactive.parent(TestIncident.huge(500).build()));
    assertThat(actionIds(message)).contains(IncidentActionBlocks.SILENCE);
  }

  @Test
  void anIncidentWithoutLabelsToMatchOffersNoSilence() {
    TestIncident t = new TestIncident();
    t.groupLabels = dev.alertdesk.alert.Labels.EMPTY;
    t.commonLabels = dev.alertdesk.alert.Labels.EMPTY;
    JsonNode message = assertWithinBlockKitLimits(interactive.parent(t.build()));
    assertThat(actionIds(message)).contains(IncidentActionBlocks.ACKNOWLEDGE)
        .doesNotContain(IncidentActionBlocks.SILENCE);
  }

  @Test
  void anActionReplyIsAThreadMessageWithinLimits() {
    JsonNode reply = assertWithinBlockKitLimits(interactive.actionReply(new TestIncident().build(),
        ":eyes: Acknowledged by <@U1>"));
    assertThat(reply.get("text").asText()).isEqualTo(":eyes: Acknowledged by <@U1>");
    assertThat(visibleText(reply)).contains("Incident #42");
  }
}
