package dev.alertdesk.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Notification;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzz-style tests of the webhook parser with a seeded {@link Random}: whatever the body, the
 * parser returns a valid payload or throws {@link InvalidPayloadException} with a short message,
 * never any other exception or error. The work is bounded by input counts, not by timing.
 */
final class WebhookPayloadFuzzTest {
  private static final long SEED = 0x5EEDA1E7L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final WebhookPayloadParser parser = new WebhookPayloadParser();
  private Random random;
  private byte[] valid;
  private int accepted;
  private int rejected;

  @BeforeEach
  void setUp() throws IOException {
    random = new Random(SEED);
    valid = WebhookPayloadParserTest.fixture("alertmanager-0.25-firing.json");
  }

  @Test
  void randomBytesAreRejectedCleanly() {
    for (int i = 0; i < 3_000; i++) {
      byte[] body = new byte[random.nextInt(400)];
      random.nextBytes(body);
      check(body, "random bytes #" + i);
    }
    assertThat(accepted + rejected).isEqualTo(3_000);
    assertThat(rejected).as("random bytes are never a v4 payload").isEqualTo(3_000);
  }

  @Test
  void randomJsonTokenSoupIsParsedOrRejectedCleanly() {
    String[] tokens = {"{", "}", "[", "]", ":", ",", "\"version\"", "\"4\"", "\"receiver\"",
        "\"status\"", "\"firing\"", "\"resolved\"", "\"groupKey\"", "\"alerts\"", "\"labels\"",
        "\"startsAt\"", "\"endsAt\"", "\"2024-02-29T23:59:59Z\"", "\"0001-01-01T00:00:00Z\"",
        "\"truncatedAlerts\"", "null", "true", "false", "0", "-1", "1e999", "-0.0",
        "123456789012345678901234567890", "\"\\u0000\"", "\"\\ud800\"", "\"\\uDFFF\\uD800\"",
        "\"\\\"\"", "\"", "\\", " ", "\n", "\u00e9", "\uFEFF", "/*", "*/", "'x'", "NaN"};
    for (int i = 0; i < 3_000; i++) {
      StringBuilder body = new StringBuilder();
      int count = random.nextInt(60);
      for (int t = 0; t < count; t++) {
        body.append(tokens[random.nextInt(tokens.length)]);
      }
      check(body.toString().getBytes(StandardCharsets.UTF_8), "token soup #" + i + ": " + body);
    }
    assertThat(accepted + rejected).isEqualTo(3_000);
  }

  @Test
  void everyTruncationOfAValidPayloadIsRejected() {
    int end = new String(valid, StandardCharsets.UTF_8).lastIndexOf('}');
    for (int length = 0; length <= end; length++) {
      byte[] body = new byte[length];
      System.arraycopy(valid, 0, body, 0, length);
      check(body, "first " + length + " bytes");
    }
    assertThat(accepted).isZero();
    assertThat(rejected).isEqualTo(end + 1);
    assertThat(check(valid, "the whole payload")).isTrue();
  }

  @Test
  void flippedBytesInAValidPayloadAreParsedOrRejectedCleanly() {
    byte[] interesting = "{}[]\":,\\0-9eE+.ntfu \u0000\u007f".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 3_000; i++) {
      byte[] body = valid.clone();
      int flips = 1 + random.nextInt(8);
      for (int f = 0; f < flips; f++) {
        int at = random.nextInt(body.length);
        body[at] = random.nextBoolean()
            ? (byte) random.nextInt(256)
            : interesting[random.nextInt(interesting.length)];
      }
      check(body, "flipped bytes #" + i);
    }
    assertThat(accepted + rejected).isEqualTo(3_000);
    assertThat(accepted).as("some mutants only touch label text and stay valid").isPositive();
    assertThat(rejected).as("most mutants break the JSON").isPositive();
  }

  @Test
  void deletedKeysAndReplacedValuesAreParsedOrRejectedCleanly() throws IOException {
    for (int i = 0; i < 2_000; i++) {
      ObjectNode root = (ObjectNode) JSON.readTree(valid);
      int edits = 1 + random.nextInt(3);
      StringBuilder what = new StringBuilder("tree mutant #" + i + ":");
      for (int e = 0; e < edits; e++) {
        what.append(' ').append(mutate(root));
      }
      check(JSON.writeValueAsBytes(root), what.toString());
    }
    assertThat(accepted + rejected).isEqualTo(2_000);
    assertThat(accepted).isPositive();
    assertThat(rejected).isPositive();
  }

  @Test
  void deepNestingIsRejectedWithoutOverflowingTheStack() {
    int depth = 10_000;
    String prefix = "{\"version\":\"4\",\"receiver\":\"r\",\"status\":\"firing\",\"groupKey\":\"g\","
        + "\"alerts\":";
    List<String> bodies = List.of(
        "[".repeat(depth),
        "[".repeat(depth) + "]".repeat(depth),
        "{\"a\":".repeat(depth) + "1" + "}".repeat(depth),
        "{\"a\":".repeat(depth),
        prefix + "[".repeat(depth) + "]".repeat(depth) + "}",
        prefix + "[{\"status\":\"firing\",\"startsAt\":\"2024-01-01T00:00:00Z\",\"labels\":"
            + "{\"a\":".repeat(depth) + "\"x\"" + "}".repeat(depth) + "}]}",
        prefix + "[]," + "\"x\":" + "[{".repeat(depth / 2) + "}]".repeat(depth / 2) + "}",
        prefix + "[]," + "\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}",
        prefix + "[]," + "\"x\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}");
    for (String body : bodies) {
      check(body.getBytes(StandardCharsets.UTF_8), "nesting: " + abbreviate(body));
    }
    assertThat(rejected).isEqualTo(bodies.size());
  }

  @Test
  void hostileEncodingsAreRejectedCleanly() {
    HexFormat hex = HexFormat.of();
    List<byte[]> bodies = List.of(
        hex.parseHex("0000007b"),                        // UTF-32BE "{"
        hex.parseHex("7b000000"),                        // UTF-32LE "{"
        hex.parseHex("0000feff0000007b0000007d"),        // UTF-32BE BOM, "{}"
        hex.parseHex("feff007b007d"),                    // UTF-16BE BOM, "{}"
        hex.parseHex("fffe7b007d00"),                    // UTF-16LE BOM, "{}"
        hex.parseHex("efbbbf"),                          // UTF-8 BOM only
        hex.parseHex("7b2276657273696f6e223a22c328227d"), // {"version":"<invalid UTF-8>"}
        hex.parseHex("7b22f09f"),                        // truncated 4-byte sequence
        hex.parseHex("00000000"),
        hex.parseHex("ffffffffffff"));
    for (int i = 0; i < bodies.size(); i++) {
      check(bodies.get(i), "encoding #" + i + " " + hex.formatHex(bodies.get(i)));
    }
    assertThat(rejected).isEqualTo(bodies.size());
  }

  @Test
  void anOversizedPayloadWithTwentyThousandAlertsParses() throws IOException {
    int count = 20_000;
    String longValue = "v".repeat(600);
    ObjectNode root = (ObjectNode) JSON.readTree(valid);
    ArrayNode alerts = root.putArray("alerts");
    for (int i = 0; i < count; i++) {
      ObjectNode alert = alerts.addObject();
      alert.put("status", i % 3 == 0 ? "resolved" : "firing");
      ObjectNode labels = alert.putObject("labels");
      labels.put("alertname", "KubePodCrashLooping");
      labels.put("namespace", "payments");
      labels.put("pod", "payments-api-" + i);
      labels.put("container_image", longValue + i);
      labels.put("description_label", longValue);
      alert.putObject("annotations").put("summary", longValue);
      alert.put("startsAt", "2023-06-14T08:21:47.627Z");
      alert.put("endsAt", i % 3 == 0 ? "2023-06-14T09:21:47Z" : "0001-01-01T00:00:00Z");
      alert.put("generatorURL", "http://prometheus:9090/graph?g0.expr=up");
    }
    root.put("truncatedAlerts", 0);
    byte[] body = JSON.writeValueAsBytes(root);
    assertThat(body.length).as("the payload is really large").isGreaterThan(30_000_000);

    Notification n = parser.parse(body);

    assertThat(n.alerts()).hasSize(count);
    assertThat(n.alerts()).extracting(Alert::fingerprint).doesNotHaveDuplicates();
    assertThat(n.alerts().get(count - 1).labels().get("pod")).isEqualTo("payments-api-19999");
  }

  @Test
  void oversizedTokensAreParsedOrRejectedCleanly() {
    String head = "{\"version\":\"4\",\"receiver\":\"r\",\"status\":\"firing\",\"groupKey\":\"g\","
        + "\"alerts\":[{\"status\":\"firing\",\"startsAt\":\"2024-01-01T00:00:00Z\",\"labels\":";
    List<String> bodies = List.of(
        head + "{\"a\":\"" + "x".repeat(25_000_000) + "\"}}]}",
        head + "{\"" + "n".repeat(100_000) + "\":\"x\"}}]}",
        head + "{}}],\"truncatedAlerts\":" + "9".repeat(100_000) + "}",
        head + "{}}],\"truncatedAlerts\":1e" + "9".repeat(5_000) + "}",
        head + "{}}],\"x\":" + "-" + "1".repeat(2_000) + "." + "0".repeat(2_000) + "}");
    for (String body : bodies) {
      check(body.getBytes(StandardCharsets.UTF_8), "oversized token: " + abbreviate(body));
    }
    assertThat(accepted + rejected).isEqualTo(bodies.size());
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Parses {@code body}: returns true when accepted, false when rejected with
   * InvalidPayloadException, and fails the test on anything else.
   */
  private boolean check(byte[] body, String what) {
    Notification n;
    try {
      n = parser.parse(body);
    } catch (InvalidPayloadException e) {
      assertThat(e.getMessage()).as(what + ": rejection message").isNotBlank()
          .hasSizeLessThan(1_000);
      rejected++;
      return false;
    } catch (Throwable t) {
      fail(abbreviate(what) + ": threw " + t.getClass().getName() + " instead of "
          + "InvalidPayloadException", t);
      return false;
    }
    assertThat(n).as(what).isNotNull();
    assertThat(n.receiver()).as(what).isNotNull();
    assertThat(n.groupKey()).as(what).isNotNull();
    assertThat(n.truncatedAlerts()).as(what).isNotNegative();
    for (Alert a : n.alerts()) {
      assertThat(a.fingerprint()).as(what + ": fingerprint").isNotBlank();
      assertThat(a.labels()).as(what + ": labels").isNotNull();
      assertThat(a.startsAt()).as(what + ": startsAt").isNotNull();
    }
    accepted++;
    return true;
  }

  /** Applies one random edit to the tree and says what it did. */
  private String mutate(ObjectNode root) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    JsonNode target = containers.get(random.nextInt(containers.size()));
    if (target instanceof ObjectNode object && object.size() > 0) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      String name = names.get(random.nextInt(names.size()));
      if (random.nextInt(3) == 0) {
        object.remove(name);
        return "delete " + name;
      }
      object.set(name, randomValue());
      return "replace " + name;
    }
    if (target instanceof ArrayNode array && array.size() > 0) {
      int index = random.nextInt(array.size());
      if (random.nextBoolean()) {
        array.remove(index);
        return "delete [" + index + "]";
      }
      array.set(index, randomValue());
      return "replace [" + index + "]";
    }
    return "nothing";
  }

  private JsonNode randomValue() {
    return switch (random.nextInt(14)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextInt());
      case 3 -> NODES.numberNode(random.nextLong());
      case 4 -> NODES.numberNode(random.nextDouble() * 1e6);
      case 5 -> NODES.numberNode(new BigDecimal("1e400"));
      case 6 -> NODES.textNode("");
      case 7 -> NODES.textNode("4");
      case 8 -> NODES.textNode("firing");
      case 9 -> NODES.textNode("2024-13-01T00:00:00Z");
      case 10 -> NODES.arrayNode();
      case 11 -> NODES.objectNode();
      case 12 -> NODES.objectNode().put("k", random.nextInt());
      default -> NODES.textNode(new String(Character.toChars(0x1F525)).repeat(random.nextInt(50)));
    };
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        collect(it.next(), out);
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…(" + s.length() + " chars)";
  }
}
