package dev.alertdesk.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.slack.SlackSignatureVerifier.Verdict;
import dev.alertdesk.testing.MutableClock;
import dev.alertdesk.testing.SlackRequests;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Slack's v0 signature check, with signatures computed as Slack computes them
 * ({@link SlackRequests#signature}) and a fixed clock.
 */
class SlackSignatureVerifierTest {
  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final String TS = String.valueOf(NOW.getEpochSecond());
  private static final String BODY = SlackRequests.formBody(
      "{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"text\":\"caf\u00e9 \u2603\"}");

  private final MutableClock clock = new MutableClock(NOW);
  private final SlackSignatureVerifier verifier = new SlackSignatureVerifier(SECRET, clock);

  private Verdict verify(String ts, String signature, String body) {
    return verifier.verify(ts, signature, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRequestSignedLikeSlackPasses() {
    assertThat(verify(TS, SlackRequests.signature(SECRET, TS, BODY), BODY)).isEqualTo(Verdict.VALID);
  }

  @Test
  void slacksDocumentedExampleVerifies() {
    // docs.slack.dev/authentication/verifying-requests-from-slack, "Step-by-step walk-through".
    String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        + "channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        + "command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
        + "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121"
        + ".803a0bc887a14d10d2c447fce8b6703c";
    MutableClock then = new MutableClock(Instant.ofEpochSecond(1531420618));
    SlackSignatureVerifier slack = new SlackSignatureVerifier(SECRET, then);
    assertThat(slack.verify("1531420618",
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        body.getBytes(StandardCharsets.UTF_8))).isEqualTo(Verdict.VALID);
  }

  @Test
  void aWrongSecretFails() {
    assertThat(verify(TS, SlackRequests.signature("another-secret", TS, BODY), BODY))
        .isEqualTo(Verdict.BAD_SIGNATURE);
  }

  @Test
  void aTamperedBodyFails() {
    String signature = SlackRequests.signature(SECRET, TS, BODY);
    assertThat(verify(TS, signature, BODY.replace("U1", "U2"))).isEqualTo(Verdict.BAD_SIGNATURE);
    assertThat(verify(TS, signature, BODY + "&x=1")).isEqualTo(Verdict.BAD_SIGNATURE);
  }

  @Test
  void aTimestampChangedAfterSigningFails() {
    String signature = SlackRequests.signature(SECRET, TS, BODY);
    String other = String.valueOf(NOW.getEpochSecond() - 1);
    assertThat(verify(other, signature, BODY)).isEqualTo(Verdict.BAD_SIGNATURE);
  }

  @Test
  void aTimestamp301SecondsInThePastOrFutureFailsEvenWhenCorrectlySigned() {
    for (long offset : new long[] {-301, 301}) {
      String ts = String.valueOf(NOW.getEpochSecond() + offset);
      assertThat(verify(ts, SlackRequests.signature(SECRET, ts, BODY), BODY))
          .as("offset %d s", offset).isEqualTo(Verdict.STALE_TIMESTAMP);
    }
  }

  @Test
  void aTimestampExactly300SecondsAwayStillPasses() {
    for (long offset : new long[] {-300, 300}) {
      String ts = String.valueOf(NOW.getEpochSecond() + offset);
      assertThat(verify(ts, SlackRequests.signature(SECRET, ts, BODY), BODY))
          .as("offset %d s", offset).isEqualTo(Verdict.VALID);
    }
  }

  @Test
  void missingOrMalformedHeadersFail() {
    String signature = SlackRequests.signature(SECRET, TS, BODY);
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    assertThat(verifier.verify(null, signature, body)).isEqualTo(Verdict.MISSING_HEADER);
    assertThat(verifier.verify(TS, null, body)).isEqualTo(Verdict.MISSING_HEADER);
    assertThat(verifier.verify("", "", body)).isEqualTo(Verdict.MISSING_HEADER);
    assertThat(verifier.verify("yesterday", signature, body)).isEqualTo(Verdict.MALFORMED_TIMESTAMP);
    assertThat(verifier.verify(TS, signature.substring(0, 20), body)).isEqualTo(Verdict.BAD_SIGNATURE);
    assertThat(verifier.verify(TS, "v1=" + signature.substring(3), body))
        .isEqualTo(Verdict.BAD_SIGNATURE);
  }

  @Test
  void theVerifierNeverShowsItsSecret() {
    assertThat(verifier.toString()).doesNotContain(SECRET);
  }
}
