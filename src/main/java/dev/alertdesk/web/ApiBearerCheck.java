package dev.alertdesk.web;

import io.javalin.http.Context;
import org.jspecify.annotations.Nullable;

/**
 * Protects the read API with {@code API_BEARER_TOKEN}: when a token is set, a request must carry
 * {@code Authorization: Bearer <token>} (compared in constant time); when none is set, the API is
 * open. Reusable by every read route.
 */
public final class ApiBearerCheck {
  private final WebhookAuthenticator authenticator;
  private final boolean open;

  /** @param token the required bearer token, or null to leave the API open */
  public ApiBearerCheck(@Nullable String token) {
    this.authenticator = new WebhookAuthenticator(token, null);
    this.open = token == null;
  }

  /**
   * Checks a request and answers 401 with {@code WWW-Authenticate: Bearer} when it fails.
   *
   * @param ctx the request
   * @return true when the request may proceed; false when 401 was answered
   */
  public boolean allow(Context ctx) {
    if (open || authenticator.accepts(ctx.header("Authorization"))) {
      return true;
    }
    ctx.header("WWW-Authenticate", "Bearer realm=\"alertdesk\"");
    JsonResponses.error(ctx, 401, "missing or invalid bearer token (API_BEARER_TOKEN)");
    return false;
  }
}
