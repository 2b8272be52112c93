package dev.alertdesk.slack;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Checks Slack's v0 request signature (docs.slack.dev/authentication/verifying-requests-from-slack):
 * {@code X-Slack-Signature} must equal {@code v0=} plus the hex HMAC-SHA256, keyed with the
 * signing secret, of {@code v0:{X-Slack-Request-Timestamp}:{raw body}} in UTF-8. The comparison
 * is constant-time ({@link MessageDigest#isEqual}), and a timestamp more than
 * {@link #MAX_SKEW} away from the clock, in the past or the future, is refused, so a captured
 * request cannot be replayed later. Thread-safe; the secret never leaves this object.
 */
public final class SlackSignatureVerifier {
  /** The largest accepted distance between the request timestamp and the clock. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private final SecretKeySpec key;
  private final Clock clock;

  /** Why a request was accepted or refused. */
  public enum Verdict {
    /** The signature matches and the timestamp is recent. */
    VALID,
    /** A signature or timestamp header is missing or empty. */
    MISSING_HEADER,
    /** The timestamp is not a whole number of seconds. */
    MALFORMED_TIMESTAMP,
    /** The timestamp is more than 5 minutes away from now. */
    STALE_TIMESTAMP,
    /** The signature does not match the body. */
    BAD_SIGNATURE
  }

  /**
   * @param signingSecret the app's signing secret (Basic Information in the Slack app settings)
   * @param clock the source of "now" for the timestamp check
   */
  public SlackSignatureVerifier(String signingSecret, Clock clock) {
    this.key = new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.clock = clock;
  }

  /**
   * Verifies one request.
   *
   * @param timestamp the {@code X-Slack-Request-Timestamp} header (Unix seconds), or null
   * @param signature the {@code X-Slack-Signature} header, or null
   * @param rawBody the request body exactly as received
   * @return {@link Verdict#VALID} or why the request must be refused
   */
  public Verdict verify(@Nullable String timestamp, @Nullable String signature, byte[] rawBody) {
    if (timestamp == null || timestamp.isBlank() || signature == null || signature.isBlank()) {
      return Verdict.MISSING_HEADER;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return Verdict.MALFORMED_TIMESTAMP;
    }
    long skew = Math.abs(clock.instant().getEpochSecond() - seconds);
    if (skew > MAX_SKEW.toSeconds()) {
      return Verdict.STALE_TIMESTAMP;
    }
    byte[] expected = sign(timestamp.trim(), rawBody).getBytes(StandardCharsets.UTF_8);
    byte[] given = signature.trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
  }

  /**
   * Computes the signature Slack sends for a request.
   *
   * @param timestamp the {@code X-Slack-Request-Timestamp} value
   * @param rawBody the body
   * @return {@code v0=} followed by 64 lower-case hex digits
   */
  public String sign(String timestamp, byte[] rawBody) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
      mac.update(rawBody);
      return "v0=" + java.util.HexFormat.of().formatHex(mac.doFinal());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return "SlackSignatureVerifier[secret=****]";
  }
}
