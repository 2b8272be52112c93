package dev.alertdesk.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertmanagerPayload;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded random generator against the running service over HTTP: webhook bodies mutated from a
 * valid notification (hostile times, numbers, NUL, huge and odd values, wrong types), and the
 * query parameters and path segments of every read route. Whatever the input, the answer is
 * never a 5xx other than 503 (Alertmanager retries 5xx for ever). Bounded in count and time
 * ({@value #BUDGET_SECONDS} s per test at most); the seed makes every run the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputFuzzIT {
  private static final long SEED = 0xF022_11L;
  private static final int BUDGET_SECONDS = 12;
  private static final int WEBHOOKS = 1_500;
  private static final int QUERIES = 3_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Values known to break edges: overflowing times and numbers, NUL, markup, huge text. */
  private static final List<String> HOSTILE = List.of("", " ", "0", "-1", "2147483647",
      "2147483648", "-2147483648", "9223372036854775807", "99999999999999999999", "1e309",
      "NaN", "+300000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
      "0001-01-01T00:00:00Z", "0000-12-31T23:59:59Z", "9999-12-31T23:59:59.999999999Z",
      "2026-02-30T00:00:00Z", "2026-03-01", "+99999-01-01", "1000000000d", "-5m", "7d", "0s",
      "a\u0000b", "\u0000", "{", "}", "\"", "\\", "=~", "a=~\"(.*a){14}\"", "{a=\"b\"",
      "x=~\"[\"", "severity=\"critical\"", "<script>alert(1)</script>", "javascript:alert(1)",
      "%00", "%zz", "\uD800", "😀", "../../etc/passwd", "firing", "resolved", "FIRING",
      "transitions", "x".repeat(5_000), "1".repeat(400), "#1", "00000000000000000001");

  private Application app;
  private String base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Random random = new Random(SEED);

  @BeforeAll
  void start(@TempDir Path dir) {
    app = Application.start(Settings.load(Map.of("PORT", "0", "STORAGE_DIR", dir.toString())),
        Clock.systemUTC());
    base = "http://127.0.0.1:" + app.port();
    var seed = AlertmanagerPayload.group("fuzz", "Seed")
        .firing("api-1", Instant.parse("2026-03-01T08:00:00Z"));
    assertThat(send("POST", "/api/alerts", seed.json(), "application/json")).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private String hostile() {
    return HOSTILE.get(random.nextInt(HOSTILE.size()));
  }

  private JsonNode hostileJson() {
    return switch (random.nextInt(8)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.numberNode(random.nextLong());
      case 2 -> NODES.numberNode(new java.math.BigDecimal("1e400"));
      case 3 -> NODES.booleanNode(random.nextBoolean());
      case 4 -> NODES.arrayNode().add(hostile());
      case 5 -> NODES.objectNode().put(hostile(), hostile());
      default -> NODES.textNode(hostile());
    };
  }

  /** Replaces a few random fields anywhere in the tree with hostile values. */
  private void mutate(JsonNode node, int depth) {
    if (node instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (random.nextInt(6) == 0) {
          o.set(name, hostileJson());
        } else if (random.nextInt(12) == 0) {
          o.remove(name);
        } else {
          mutate(o.get(name), depth + 1);
        }
      }
      if (random.nextInt(10) == 0) {
        o.put(hostile(), hostile());
      }
    } else if (node instanceof ArrayNode a) {
      Iterator<JsonNode> it = a.elements();
      List<JsonNode> copy = new ArrayList<>();
      it.forEachRemaining(copy::add);
      copy.forEach(child -> mutate(child, depth + 1));
      if (random.nextInt(8) == 0) {
        a.add(hostileJson());
      }
    }
  }

  private int send(String method, String path, String body, String contentType) {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30));
    if (body == null) {
      r.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      r.header("Content-Type", contentType)
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      return http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }

  @Test
  void mutatedWebhooksNeverGetA5xxOtherThan503() throws Exception {
    String valid = AlertmanagerPayload.group("fuzz", "Fuzz")
        .firing("api-1", Instant.parse("2026-03-01T08:00:00Z"))
        .resolved("api-2", Instant.parse("2026-03-01T08:00:00Z"),
            Instant.parse("2026-03-01T08:10:00Z")).json();
    long deadline = System.nanoTime() + Duration.ofSeconds(BUDGET_SECONDS).toNanos();
    int sent = 0;
    for (int i = 0; i < WEBHOOKS && System.nanoTime() < deadline; i++, sent++) {
      JsonNode tree = JSON.readTree(valid);
      ((ObjectNode) tree).put("groupKey", "{}:{fuzz=\"" + i + "\"}");
      mutate(tree, 0);
      String body = tree.toString();
      int status = send("POST", "/api/alerts", body, "application/json");
      assertThat(status).as("POST /api/alerts %s", abbreviate(body))
          .satisfiesAnyOf(s -> assertThat(s).isLessThan(500), s -> assertThat(s).isEqualTo(503));
    }
    assertThat(sent).isGreaterThan(100);
  }

  @Test
  void randomQueryParametersAndPathsNeverGetA5xxOtherThan503() {
    List<String> routes = List.of("/api/incidents", "/api/insights",
        "/api/export/incidents.csv", "/api/export/incidents.jsonl", "/api/audit", "/",
        "/insights", "/insights/incidents-per-day.png", "/api/incidents/1",
        "/api/incidents/1/messages", "/incidents/1", "/incidents/1/messages",
        "/incidents/1/activity.png", "/api/fingerprints/{x}", "/fingerprints/{x}",
        "/api/incidents/{x}", "/incidents/{x}", "/api/charts/{x}.png", "/api/chart/{x}");
    List<String> params = List.of("alertname", "matcher", "status", "from", "to", "limit",
        "offset", "period", "rank_by", "top", "since", "incident", "alerts_offset",
        "alerts_limit");
    long deadline = System.nanoTime() + Duration.ofSeconds(BUDGET_SECONDS).toNanos();
    int sent = 0;
    for (int i = 0; i < QUERIES && System.nanoTime() < deadline; i++, sent++) {
      String route = routes.get(random.nextInt(routes.size()))
          .replace("{x}", enc(hostile()));
      StringBuilder q = new StringBuilder();
      int n = random.nextInt(4);
      for (int p = 0; p < n; p++) {
        q.append(p == 0 ? '?' : '&').append(params.get(random.nextInt(params.size())))
            .append('=').append(enc(hostile()));
      }
      String method = random.nextInt(10) == 0 ? "HEAD" : "GET";
      int status = send(method, route + q, null, null);
      assertThat(status).as("%s %s%s", method, route, abbreviate(q.toString()))
          .satisfiesAnyOf(s -> assertThat(s).isLessThan(500), s -> assertThat(s).isEqualTo(503));
    }
    assertThat(sent).isGreaterThan(100);
  }

  @Test
  void theReviewsReproductionsAnswer400AndAnEmptyPageInsteadOf500() {
    String farFuture = AlertmanagerPayload.group("fuzz", "FarFuture")
        .firing("api-1", Instant.parse("2026-03-01T08:00:00Z")).json()
        .replace("2026-03-01T08:00:00Z", "+300000000-01-01T00:00:00Z");
    assertThat(send("POST", "/api/alerts", farFuture, "application/json")).isEqualTo(400);
    assertThat(send("GET", "/api/incidents?offset=2147483647&matcher="
        + enc("alertname=\"Seed\""), null, null)).isEqualTo(200);
    assertThat(send("GET", "/?offset=2147483647&matcher=" + enc("alertname=\"Seed\""), null,
        null)).isEqualTo(200);
    assertThat(send("GET", "/api/audit?since=" + enc("+300000000-01-01T00:00:00Z"), null, null))
        .isEqualTo(400);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }
}
