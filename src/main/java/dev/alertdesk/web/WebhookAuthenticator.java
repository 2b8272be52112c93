package dev.alertdesk.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Checks the webhook's credentials: {@code Authorization: Bearer <WEBHOOK_BEARER_TOKEN>} and/or
 * {@code Authorization: Basic <WEBHOOK_BASIC_AUTH>}, the two schemes Alertmanager's
 * {@code http_config} offers. When both are configured either one is accepted; when neither is,
 * every request passes. Comparison is constant-time over SHA-256 digests, so neither content nor
 * length leaks through timing.
 */
public final class WebhookAuthenticator {
  private final byte @Nullable [] bearerDigest;
  private final byte @Nullable [] basicDigest;

  /**
   * @param bearerToken the expected bearer token, or null
   * @param basicAuth the expected {@code user:password}, or null
   */
  public WebhookAuthenticator(@Nullable String bearerToken, @Nullable String basicAuth) {
    this.bearerDigest = bearerToken == null ? null : sha256(bearerToken.getBytes(StandardCharsets.UTF_8));
    this.basicDigest = basicAuth == null ? null : sha256(basicAuth.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns the {@code WWW-Authenticate} challenge for the configured schemes, e.g.
   * {@code Bearer realm="alertdesk", Basic realm="alertdesk"}.
   */
  public String challenge() {
    String bearer = bearerDigest == null ? null : "Bearer realm=\"alertdesk\"";
    String basic = basicDigest == null ? null : "Basic realm=\"alertdesk\"";
    if (bearer != null && basic != null) {
      return bearer + ", " + basic;
    }
    return bearer != null ? bearer : basic != null ? basic : "Bearer realm=\"alertdesk\"";
  }

  /** Returns true when no credentials are configured. */
  public boolean isOpen() {
    return bearerDigest == null && basicDigest == null;
  }

  /**
   * Checks one {@code Authorization} header value.
   *
   * @param authorization the header, or null when absent
   * @return true when the request may proceed
   */
  public boolean accepts(@Nullable String authorization) {
    if (isOpen()) {
      return true;
    }
    if (authorization == null) {
      return false;
    }
    String value = authorization.trim();
    boolean ok = false;
    if (bearerDigest != null && regionMatches(value, "Bearer ")) {
      byte[] given = value.substring(7).trim().getBytes(StandardCharsets.UTF_8);
      ok = MessageDigest.isEqual(bearerDigest, sha256(given));
    }
    if (basicDigest != null && regionMatches(value, "Basic ")) {
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(value.substring(6).trim());
      } catch (IllegalArgumentException e) {
        decoded = new byte[0];
      }
      ok |= MessageDigest.isEqual(basicDigest, sha256(decoded));
    }
    return ok;
  }

  private static boolean regionMatches(String value, String scheme) {
    return value.regionMatches(true, 0, scheme, 0, scheme.length());
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
