package dev.alertdesk.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.alert.Notification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class WebhookPayloadParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebhookPayloadParser parser = new WebhookPayloadParser();

  @Test
  void parsesARealAlertmanager025Payload() throws IOException {
    Notification n = parser.parse(fixture("alertmanager-0.25-firing.json"));

    assertThat(n.receiver()).isEqualTo("slack-payments");
    assertThat(n.status()).isEqualTo(AlertStatus.FIRING);
    assertThat(n.groupKey()).isEqualTo(
        "{}/{severity=~\"critical|page\"}:{alertname=\"KubePodCrashLooping\", namespace=\"payments\"}");
    assertThat(n.groupLabels().values())
        .containsOnlyKeys("alertname", "namespace")
        .containsEntry("namespace", "payments");
    assertThat(n.commonLabels().get("severity")).isEqualTo("critical");
    assertThat(n.commonLabels().names()).hasSize(9);
    assertThat(n.commonAnnotations().get("summary")).isEqualTo("Pod is crash looping.");
    assertThat(n.externalUrl()).isEqualTo("http://alertmanager-main-0.monitoring.svc:9093");
    assertThat(n.truncatedAlerts()).isZero();
    assertThat(n.alerts()).hasSize(2);

    Alert first = n.alerts().get(0);
    assertThat(first.fingerprint()).isEqualTo("1a2b3c4d5e6f7081");
    assertThat(first.status()).isEqualTo(AlertStatus.FIRING);
    assertThat(first.labels().get("pod")).isEqualTo("payments-api-7c9d8b6f5d-x2k4p");
    assertThat(first.labels().names()).hasSize(11);
    assertThat(first.annotations().get("runbook_url"))
        .isEqualTo("https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping");
    assertThat(first.annotations().get("description")).contains("\"CrashLoopBackOff\"");
    assertThat(first.startsAt()).isEqualTo(Instant.parse("2023-06-14T08:21:47.627Z"));
    assertThat(first.endsAt()).as("0001-01-01T00:00:00Z means no end").isNull();
    assertThat(first.generatorUrl()).startsWith("http://prometheus-k8s-0:9090/graph?g0.expr=");

    Alert second = n.alerts().get(1);
    assertThat(second.fingerprint()).isEqualTo("9f8e7d6c5b4a3921");
    assertThat(second.startsAt()).as("nanosecond precision is kept")
        .isEqualTo(Instant.parse("2023-06-14T08:22:17.627123456Z"));
  }

  @Test
  void parsesTheResolvedNotificationWithEndTimes() throws IOException {
    Notification n = parser.parse(fixture("alertmanager-0.25-resolved.json"));

    assertThat(n.status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(n.alerts()).extracting(Alert::status)
        .containsExactly(AlertStatus.RESOLVED, AlertStatus.RESOLVED);
    assertThat(n.alerts()).extracting(Alert::endsAt).containsExactly(
        Instant.parse("2023-06-14T08:44:47.627Z"), Instant.parse("2023-06-14T08:46:17.627Z"));
  }

  @Test
  void ignoresUnknownFieldsFromNewerAlertmanagers() throws IOException {
    ObjectNode root = fixtureTree();
    root.put("notification_reason", "repeat_interval");
    root.putObject("routeLabels").put("team", "payments");
    ((ObjectNode) root.withArray("alerts").get(0)).put("silencedBy", "nobody");
    Notification expected = parser.parse(fixture("alertmanager-0.25-firing.json"));

    Notification n = parser.parse(bytes(root));

    assertThat(n).isEqualTo(expected);
  }

  @Test
  void computesAMissingFingerprintFromTheLabels() throws IOException {
    ObjectNode root = fixtureTree();
    ObjectNode alert = (ObjectNode) root.withArray("alerts").get(0);
    alert.remove("fingerprint");
    alert.set("labels", JSON.createObjectNode().put("first-label", "first-label-value"));
    ObjectNode other = (ObjectNode) root.withArray("alerts").get(1);
    other.put("fingerprint", "");

    Notification n = parser.parse(bytes(root));

    // prometheus/common model: LabelSet{"first-label": "first-label-value"}.Fingerprint()
    // is 5146282821936882169.
    assertThat(n.alerts().get(0).fingerprint())
        .isEqualTo(Long.toHexString(Long.parseUnsignedLong("5146282821936882169")));
    assertThat(n.alerts().get(1).fingerprint()).as("a blank fingerprint is computed too")
        .isEqualTo(n.alerts().get(1).labels().fingerprint())
        .hasSize(16);
  }

  @Test
  void treatsAbsentOptionalFieldsAsEmpty() {
    String body = """
        {"version":"4","receiver":"r","status":"firing","groupKey":"{}:{}",
         "alerts":[{"status":"firing","labels":{"alertname":"A"},
                    "startsAt":"2024-01-01T00:00:00+02:00"}]}
        """;

    Notification n = parser.parse(body.getBytes(StandardCharsets.UTF_8));

    assertThat(n.groupLabels()).isEqualTo(Labels.EMPTY);
    assertThat(n.commonLabels()).isEqualTo(Labels.EMPTY);
    assertThat(n.commonAnnotations()).isEqualTo(Labels.EMPTY);
    assertThat(n.externalUrl()).isNull();
    assertThat(n.truncatedAlerts()).isZero();
    Alert alert = n.alerts().get(0);
    assertThat(alert.annotations()).isEqualTo(Labels.EMPTY);
    assertThat(alert.endsAt()).isNull();
    assertThat(alert.generatorUrl()).isNull();
    assertThat(alert.startsAt()).as("offsets are converted to UTC")
        .isEqualTo(Instant.parse("2023-12-31T22:00:00Z"));
  }

  @Test
  void keepsTruncatedAlerts() throws IOException {
    ObjectNode root = fixtureTree();
    root.put("truncatedAlerts", 17);

    assertThat(parser.parse(bytes(root)).truncatedAlerts()).isEqualTo(17);
  }

  @Test
  void acceptsAnEmptyAlertList() throws IOException {
    ObjectNode root = fixtureTree();
    root.putArray("alerts");

    assertThat(parser.parse(bytes(root)).alerts()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Bad input: always InvalidPayloadException, and the message names the problem

  static Stream<Arguments> badBodies() {
    return Stream.of(
        raw("malformed JSON", "{\"version\": \"4\", \"receiver\": ", "malformed JSON"),
        raw("an empty body", "", "JSON object"),
        raw("a JSON array", "[{\"version\":\"4\"}]", "JSON object"),
        raw("a JSON string", "\"4\"", "JSON object"),
        raw("JSON null", "null", "JSON object"),
        raw("trailing garbage after the object", validText() + " {\"extra\": true}",
            "malformed JSON"),
        mutated("version \"3\"", root -> root.put("version", "3"), "version", "\"3\""),
        mutated("version as a number", root -> root.put("version", 4), "version"),
        mutated("missing version", root -> root.remove("version"), "version"),
        mutated("missing receiver", root -> root.remove("receiver"), "receiver"),
        mutated("missing status", root -> root.remove("status"), "status"),
        mutated("missing groupKey", root -> root.remove("groupKey"), "groupKey"),
        mutated("groupKey as an object", root -> root.putObject("groupKey"), "groupKey"),
        mutated("missing alerts", root -> root.remove("alerts"), "alerts"),
        mutated("alerts null", root -> root.putNull("alerts"), "alerts"),
        mutated("alerts not an array", root -> root.putObject("alerts"), "alerts", "array"),
        mutated("an alert that is not an object",
            root -> root.withArray("alerts").add("firing"), "alerts[2]"),
        mutated("bad group status", root -> root.put("status", "pending"), "status", "pending"),
        mutated("bad alert status", root -> alert(root, 1).put("status", "active"),
            "alerts[1].status"),
        mutated("alert without labels", root -> alert(root, 0).remove("labels"),
            "alerts[0].labels"),
        mutated("alert labels not an object", root -> alert(root, 0).putArray("labels"),
            "alerts[0].labels"),
        mutated("alert without startsAt", root -> alert(root, 1).remove("startsAt"),
            "alerts[1].startsAt"),
        mutated("bad startsAt", root -> alert(root, 0).put("startsAt", "yesterday"),
            "alerts[0].startsAt", "yesterday"),
        mutated("startsAt without offset", root -> alert(root, 0).put("startsAt",
            "2023-06-14T08:21:47"), "alerts[0].startsAt"),
        mutated("bad endsAt", root -> alert(root, 0).put("endsAt", "2023-13-40T00:00:00Z"),
            "alerts[0].endsAt"),
        mutated("a non-string label value",
            root -> ((ObjectNode) alert(root, 0).get("labels")).put("replicas", 3),
            "alerts[0].labels.replicas", "string"),
        mutated("a non-string annotation value",
            root -> ((ObjectNode) alert(root, 1).get("annotations")).putObject("details"),
            "alerts[1].annotations.details"),
        mutated("a non-string group label value",
            root -> ((ObjectNode) root.get("groupLabels")).putNull("namespace"),
            "groupLabels.namespace"),
        mutated("commonLabels as an array", root -> root.putArray("commonLabels"),
            "commonLabels"),
        mutated("negative truncatedAlerts", root -> root.put("truncatedAlerts", -1),
            "truncatedAlerts"),
        mutated("fractional truncatedAlerts", root -> root.put("truncatedAlerts", 1.5),
            "truncatedAlerts"),
        mutated("truncatedAlerts beyond int", root -> root.put("truncatedAlerts", 1L << 40),
            "truncatedAlerts"),
        mutated("truncatedAlerts as a string", root -> root.put("truncatedAlerts", "3"),
            "truncatedAlerts"),
        mutated("fingerprint as a number", root -> alert(root, 0).put("fingerprint", 12),
            "alerts[0].fingerprint"),
        mutated("externalURL as a number", root -> root.put("externalURL", 9093),
            "externalURL"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void rejectsBadInputNamingTheField(String what, byte[] body, String[] expectedFragments) {
    assertThatThrownBy(() -> parser.parse(body))
        .isExactlyInstanceOf(InvalidPayloadException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(expectedFragments));
  }

  @Test
  void abbreviatesHugeBadValuesInTheMessage() throws IOException {
    ObjectNode root = fixtureTree();
    alert(root, 0).put("startsAt", "x".repeat(100_000));

    assertThatThrownBy(() -> parser.parse(bytes(root)))
        .isInstanceOf(InvalidPayloadException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200)
            .contains("alerts[0].startsAt"));
  }

  @Test
  void rejectsNestingDeeperThanSixtyFourLevelsEvenInUnknownFields() {
    String valid = validText().strip();
    String shallow = valid.substring(0, valid.length() - 1) + ",\"x\":"
        + "[".repeat(60) + "]".repeat(60) + "}";
    String deep = valid.substring(0, valid.length() - 1) + ",\"x\":"
        + "[".repeat(100) + "]".repeat(100) + "}";

    assertThat(parser.parse(shallow.getBytes(StandardCharsets.UTF_8)).alerts()).hasSize(2);
    assertThatThrownBy(() -> parser.parse(deep.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("malformed JSON");
  }

  // ---------------------------------------------------------------------------------------------

  private static Arguments raw(String what, String body, String... fragments) {
    return Arguments.of(what, body.getBytes(StandardCharsets.UTF_8), fragments);
  }

  private static Arguments mutated(String what, Consumer<ObjectNode> change, String... fragments) {
    try {
      ObjectNode root = fixtureTree();
      change.accept(root);
      return Arguments.of(what, bytes(root), fragments);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode alert(ObjectNode root, int index) {
    return (ObjectNode) root.withArray("alerts").get(index);
  }

  private static String validText() {
    try {
      return new String(fixture("alertmanager-0.25-firing.json"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = WebhookPayloadParserTest.class.getResourceAsStream("/payloads/" + name)) {
      if (in == null) {
        throw new IOException("missing fixture " + name);
      }
      return in.readAllBytes();
    }
  }

  static ObjectNode fixtureTree() throws IOException {
    return (ObjectNode) JSON.readTree(fixture("alertmanager-0.25-firing.json"));
  }

  static byte[] bytes(ObjectNode root) throws IOException {
    return JSON.writeValueAsBytes(root);
  }
}
