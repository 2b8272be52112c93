package dev.alertdesk.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Protects the web UI and the read API when {@code UI_BASIC_AUTH} or {@code API_BEARER_TOKEN} is
 * set: a request without accepted credentials gets 401 with a {@code WWW-Authenticate}
 * challenge (HTTP Basic first, so browsers show their login dialog).
 */
final class AccessGuard {
  private final WebhookAuthenticator access;

  AccessGuard(WebhookAuthenticator access) {
    this.access = access;
  }

  /** Returns {@code handler} behind the credential check. */
  Handler guard(Handler handler) {
    if (access.isOpen()) {
      return handler;
    }
    return ctx -> {
      if (admits(ctx)) {
        handler.handle(ctx);
      }
    };
  }

  private boolean admits(Context ctx) {
    if (access.accepts(ctx.header("Authorization"))) {
      return true;
    }
    String challenge = access.challenge();
    int basic = challenge.indexOf("Basic ");
    if (basic > 0) {
      challenge = challenge.substring(basic) + ", " + challenge.substring(0, basic - 2);
    }
    ctx.header("WWW-Authenticate", challenge);
    JsonResponses.error(ctx, 401, "credentials required (UI_BASIC_AUTH or API_BEARER_TOKEN)");
    return false;
  }
}
