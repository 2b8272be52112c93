package dev.alertdesk.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.remediation.RemediationExecutor.ExecutionContext;
import dev.alertdesk.remediation.RemediationResult.Outcome;
import dev.alertdesk.testing.MutableClock;
import dev.alertdesk.testing.RemediationExecutorStandIn;
import dev.alertdesk.testing.RemediationExecutorStandIn.Hold;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link HttpExecutor} against a remediation-executor stand-in on loopback
 * ({@link RemediationExecutorStandIn}), which checks the signature independently.
 */
class HttpExecutorTest {
  private static final String SECRET = "remediation-secret-0123456789abcdef";
  private static final Instant NOW = Instant.parse("2026-12-04T14:05:00Z");
  private static final ExecutionContext CONTEXT = new ExecutionContext("r-7f3a",
      "restart-payments", 42, "U0ALICE", List.of("U0BOB", "U0CAROL"));
  private static final RemediationTarget TARGET = new RemediationTarget("checkout",
      "payments-api", Map.of("replicas", "4", "requiredLabel", "alertdesk.io/remediable=true"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MutableClock clock = new MutableClock(NOW);
  private RemediationExecutorStandIn standIn;

  @BeforeEach
  void startStandIn() throws Exception {
    standIn = new RemediationExecutorStandIn(SECRET, clock);
  }

  @AfterEach
  void stopStandIn() {
    standIn.close();
  }

  @Test
  void aSignedRequestIsAcceptedAndItsAnswerShown() throws Exception {
    standIn.answer(200, "{\"restarted\": \"payments-api\"}");
    HttpExecutor executor = executor(SECRET, Duration.ofSeconds(5));

    RemediationResult result = executor.execute("rollout-restart", TARGET,
        executor.preview("rollout-restart", TARGET), CONTEXT);

    assertThat(result).isEqualTo(new RemediationResult(Outcome.SUCCEEDED,
        "HTTP 200 from the remediation executor: {\"restarted\": \"payments-api\"}"));
    RemediationExecutorStandIn.Received request = standIn.received().get(0);
    assertThat(request.signatureValid()).isTrue();
    assertThat(request.timestamp()).isEqualTo(Long.toString(NOW.getEpochSecond()));
    assertThat(request.requestId()).isEqualTo("r-7f3a");
    assertThat(request.contentType()).startsWith("application/json");
    assertThat(request.path()).isEqualTo("/run?tenant=a");
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.get("request_id").asText()).isEqualTo("r-7f3a");
    assertThat(body.get("action").asText()).isEqualTo("restart-payments");
    assertThat(body.get("operation").asText()).isEqualTo("rollout-restart");
    assertThat(body.get("target").get("namespace").asText()).isEqualTo("checkout");
    assertThat(body.get("target").get("name").asText()).isEqualTo("payments-api");
    assertThat(body.get("target").get("parameters").get("replicas").asText()).isEqualTo("4");
    assertThat(body.get("incident").get("id").asLong()).isEqualTo(42);
    assertThat(body.get("requested_by").asText()).isEqualTo("U0ALICE");
    assertThat(body.get("approved_by")).extracting(JsonNode::asText)
        .containsExactly("U0BOB", "U0CAROL");
  }

  @Test
  void theSignatureIsSlacksV0SchemeOverTimestampAndBody() {
    // Slack's own example (docs.slack.dev/authentication/verifying-requests-from-slack).
    HttpExecutor executor = new HttpExecutor(new HttpExecutorConfig(standIn.url("/"), "S",
        "8f742231b10e8888abcd99yyyzzz85a5", Duration.ofSeconds(1)), clock);
    String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        + "channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        + "command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
        + "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121"
        + ".803a0bc887a14d10d2c447fce8b6703c";
    assertThat(executor.sign("1531420618", body))
        .isEqualTo("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
  }

  @Test
  void aReceiverWithAnotherSecretRefusesAndTheResultIsAFailureWithItsStatus() {
    HttpExecutor executor = executor("another-secret-0123456789abcdef", Duration.ofSeconds(5));

    RemediationResult result = executor.execute("rollout-restart", TARGET,
        executor.preview("rollout-restart", TARGET), CONTEXT);

    assertThat(result).isEqualTo(new RemediationResult(Outcome.FAILED,
        "HTTP 401 from the remediation executor: invalid signature"));
    assertThat(standIn.received()).singleElement()
        .satisfies(r -> assertThat(r.signatureValid()).isFalse());
  }

  @Test
  void aRequestSignedTooLongAgoIsRefusedByTheReceiver() {
    HttpExecutor executor = new HttpExecutor(config(SECRET, Duration.ofSeconds(5)),
        java.time.Clock.fixed(NOW.minus(Duration.ofMinutes(6)), java.time.ZoneOffset.UTC));
    RemediationResult result = executor.execute("scale", TARGET,
        executor.preview("scale", TARGET), CONTEXT);
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.detail()).startsWith("HTTP 401");
  }

  @Test
  void everyStatusOutside2xxIsAFailureAndEvery2xxASuccess() {
    HttpExecutor executor = executor(SECRET, Duration.ofSeconds(5));
    for (int status : List.of(200, 201, 202, 204, 299, 301, 400, 404, 409, 429, 500, 503)) {
      standIn.answer(status, status == 204 ? "" : "answer " + status);
      RemediationResult result = executor.execute("scale", TARGET,
          executor.preview("scale", TARGET), CONTEXT);
      assertThat(result.outcome()).as("HTTP %d", status)
          .isEqualTo(status < 300 ? Outcome.SUCCEEDED : Outcome.FAILED);
      assertThat(result.detail()).as("HTTP %d", status).startsWith("HTTP " + status + " ")
          .endsWith(status == 204 ? "(no body)" : "answer " + status);
    }
  }

  @Test
  void aLongOrHostileAnswerIsClippedWithControlCharactersReplaced() {
    standIn.answer(500, "\u001b[31mboom\u0000" + "x".repeat(20_000));
    HttpExecutor executor = executor(SECRET, Duration.ofSeconds(5));

    RemediationResult result = executor.execute("scale", TARGET,
        executor.preview("scale", TARGET), CONTEXT);

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.detail()).doesNotContain("\u001b").doesNotContain("\u0000")
        .contains(" [31mboom ").endsWith("…");
    assertThat(result.detail().length())
        .isLessThanOrEqualTo("HTTP 500 from the remediation executor: ".length()
            + HttpExecutor.MAX_SHOWN_CHARS + 1);
  }

  @Test
  void noAnswerWithinTheTimeoutIsAFailureThatSaysTheExecutorMayHaveActed() {
    standIn.hold(Hold.BEFORE_HEADERS);
    HttpExecutor executor = executor(SECRET, Duration.ofMillis(300));
    long start = System.nanoTime();

    RemediationResult result = executor.execute("rollout-restart", TARGET,
        executor.preview("rollout-restart", TARGET), CONTEXT);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.detail()).contains("did not answer within 300 ms")
        .contains("may still have acted").doesNotContain("tenant");
  }

  @Test
  void aBodyThatStallsAfterTheHeadersIsCutByTheSameTimeout() {
    standIn.hold(Hold.AFTER_FIRST_BYTES);
    HttpExecutor executor = executor(SECRET, Duration.ofMillis(300));
    long start = System.nanoTime();

    RemediationResult result = executor.execute("rollout-restart", TARGET,
        executor.preview("rollout-restart", TARGET), CONTEXT);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.detail()).contains("did not answer within 300 ms");
  }

  @Test
  void nothingListeningIsAFailureThatNamesTheHostAndPort() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    HttpExecutor executor = new HttpExecutor(new HttpExecutorConfig(
        URI.create("http://127.0.0.1:" + closed + "/run"), "S", SECRET, Duration.ofSeconds(2)),
        clock);

    RemediationResult result = executor.execute("rollout-restart", TARGET,
        executor.preview("rollout-restart", TARGET), CONTEXT);

    assertThat(result).isEqualTo(new RemediationResult(Outcome.FAILED,
        "cannot connect to the remediation executor at http://127.0.0.1:" + closed + "/run"));
  }

  @Test
  void thePreviewCallsNothingAndDescribesTheRequestWithoutQueryOrSecret() {
    HttpExecutor executor = executor(SECRET, Duration.ofSeconds(10));

    RemediationPreview preview = executor.preview("scale", TARGET);

    assertThat(standIn.received()).isEmpty();
    assertThat(preview.resourceVersion()).isNull();
    assertThat(preview.generation()).isNull();
    assertThat(preview.summary()).isEqualTo("POST " + standIn.url("/run")
        + ": scale on checkout/payments-api with replicas=4,"
        + " requiredLabel=alertdesk.io/remediable=true"
        + " (signed request to the remediation executor, timeout 10 s)");
  }

  @Test
  void theSecretIsNeverInAResultAPreviewAToStringOrTheLog() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.setContext(context);
    logs.start();
    root.addAppender(logs);
    try {
      HttpExecutorConfig config = config(SECRET, Duration.ofMillis(300));
      HttpExecutor executor = new HttpExecutor(config, clock);
      standIn.answer(200, "done");
      RemediationResult ok = executor.execute("scale", TARGET,
          executor.preview("scale", TARGET), CONTEXT);
      standIn.answer(500, "failed");
      RemediationResult failed = executor.execute("scale", TARGET,
          executor.preview("scale", TARGET), CONTEXT);
      List<String> shown = List.of(ok.detail(), failed.detail(),
          executor.preview("scale", TARGET).summary(), executor.toString(), config.toString());
      assertThat(shown).allSatisfy(s -> assertThat(s).doesNotContain(SECRET)
          .doesNotContain("tenant"));
      assertThat(logs.list).isNotEmpty().allSatisfy(e ->
          assertThat(e.getFormattedMessage()).doesNotContain(SECRET));
    } finally {
      root.detachAppender(logs);
    }
  }

  @Test
  void theSettingsRefuseWhatCannotWorkWithoutShowingTheSecret() {
    Map<String, String> env = Map.of("REMEDIATION_HTTP_SECRET", SECRET, "SHORT", "short",
        "BLANK", "  ");
    Duration t = HttpExecutorConfig.DEFAULT_TIMEOUT;
    assertThat(HttpExecutorConfig.fromEnvironment("https://remediator.internal/run",
        "REMEDIATION_HTTP_SECRET", t, env).secret()).isEqualTo(SECRET);
    assertThatThrownBy(() -> HttpExecutorConfig.fromEnvironment("https://r/run", "UNSET", t, env))
        .hasMessage("secret_env names UNSET, which is unset or empty");
    assertThatThrownBy(() -> HttpExecutorConfig.fromEnvironment("https://r/run", "BLANK", t, env))
        .hasMessageContaining("unset or empty");
    assertThatThrownBy(() -> HttpExecutorConfig.fromEnvironment("https://r/run", "SHORT", t, env))
        .hasMessage("the secret in SHORT must have at least 16 characters");
    for (String bad : List.of("ftp://r/run", "/run", "remediator", "http:///run",
        "https://user:pw@r/run", "https://r/ run")) {
      assertThatThrownBy(() -> HttpExecutorConfig.fromEnvironment(bad,
          "REMEDIATION_HTTP_SECRET", t, env)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("url ")
          .hasMessageNotContaining(SECRET);
    }
    for (Duration badTimeout : List.of(Duration.ZERO, Duration.ofSeconds(-1),
        Duration.ofMinutes(6))) {
      assertThatThrownBy(() -> HttpExecutorConfig.fromEnvironment("https://r/run",
          "REMEDIATION_HTTP_SECRET", badTimeout, env)).hasMessageContaining("timeout");
    }
  }

  private HttpExecutor executor(String secret, Duration timeout) {
    return new HttpExecutor(config(secret, timeout), clock);
  }

  private HttpExecutorConfig config(String secret, Duration timeout) {
    return new HttpExecutorConfig(standIn.url("/run?tenant=a"), "REMEDIATION_HTTP_SECRET",
        secret, timeout);
  }
}
