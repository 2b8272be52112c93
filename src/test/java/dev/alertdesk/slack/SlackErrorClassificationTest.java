package dev.alertdesk.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.delivery.DeliveryOutcome;
import dev.alertdesk.delivery.SlackCallResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every Slack error code lands in the one classification of {@link SlackWebApiGateway}. */
class SlackErrorClassificationTest {
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final SlackProblems problems = new SlackProblems(metrics,
      Clock.fixed(Instant.parse("2026-12-01T06:00:00Z"), ZoneOffset.UTC), true);
  // Nothing listens on port 9: classification makes no call.
  private final SlackWebApiGateway gateway =
      new SlackWebApiGateway("http://127.0.0.1:9/api/", "xoxb-classify", problems);

  @AfterEach
  void close() throws Exception {
    gateway.close();
  }

  @Test
  void everyDocumentedPermanentErrorFailsAtOnceAndIsRecordedAsAProblem() {
    for (String error : SlackWebApiGateway.PERMANENT_ERRORS) {
      assertThat(gateway.classify("chat.postMessage", error, null).outcome()).as(error)
          .isEqualTo(DeliveryOutcome.FAILED);
    }
    assertThat(problems.problems()).hasSize(SlackProblems.MAX_PROBLEMS);
    assertThat(metrics.get("alertdesk_slack_permanent_errors").counters()).hasSize(
        SlackWebApiGateway.PERMANENT_ERRORS.size());
  }

  @Test
  void transientErrorsAreRetriedAndRateLimitsWaitWithoutBeingProblems() {
    for (String error : new String[] {"internal_error", "fatal_error", "service_unavailable",
        "request_timeout"}) {
      assertThat(gateway.classify("chat.update", error, null).outcome()).as(error)
          .isEqualTo(DeliveryOutcome.RETRY);
    }
    assertThat(gateway.classify("chat.update", "ratelimited", null).outcome())
        .isEqualTo(DeliveryOutcome.RETRY_AFTER);
    assertThat(problems.problems()).isEmpty();
  }

  @Test
  void aMissingScopeNamesTheScopeAndTheStatusSaysWhatToDo() {
    SlackCallResult result = gateway.classify("files.getUploadURLExternal", "missing_scope",
        "files:write");

    assertThat(result.outcome()).isEqualTo(DeliveryOutcome.FAILED);
    assertThat(result.neededScope()).isEqualTo("files:write");
    assertThat(result.error()).isEqualTo("missing_scope (needed: files:write)");
    assertThat(problems.check().summary()).isEqualTo("missing scope files:write");
    assertThat(SlackProblems.advice("missing_scope", "files:write"))
        .contains("files:write").contains("IMAGE_DELIVERY=url with BASE_URL");

    problems.delivered("files.getUploadURLExternal");
    assertThat(problems.check().summary()).as("fixed by a later success").isEqualTo("delivering");
  }
}
