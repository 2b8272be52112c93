package dev.alertdesk.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;

/**
 * Protects the web UI, the history API and the audit log when {@code UI_BASIC_AUTH} or
 * {@code API_BEARER_TOKEN} is set: a request without accepted credentials gets 401 with a
 * {@code WWW-Authenticate} challenge (HTTP Basic first, so browsers show their login dialog).
 * It runs as a before-handler on the guarded paths, so every method ({@code HEAD},
 * {@code OPTIONS}, anything) is checked, not only the routed {@code GET}.
 */
final class AccessGuard {
  /** Paths under the guard: exact {@code "/"}, else these prefixes. */
  private static final List<String> GUARDED_PREFIXES = List.of("/incidents", "/fingerprints",
      "/insights", "/api/incidents", "/api/fingerprints", "/api/insights", "/api/export",
      "/api/audit", "/api/status", "/remediations", "/api/remediations");

  private final WebhookAuthenticator access;

  AccessGuard(WebhookAuthenticator access) {
    this.access = access;
  }

  /** Returns true when {@code path} is behind the guard (when credentials are configured). */
  static boolean guards(String path) {
    if (path.equals("/") || path.isEmpty()) {
      return true;
    }
    for (String prefix : GUARDED_PREFIXES) {
      if (path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + ".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The before-handler: answers 401 and skips the route when the path is guarded and the
   * request lacks accepted credentials; does nothing otherwise.
   */
  void before(Context ctx) {
    if (access.isOpen() || !guards(ctx.path())) {
      return;
    }
    if (!admits(ctx)) {
      ctx.skipRemainingHandlers();
    }
  }

  /**
   * Returns {@code handler} behind the credential check, for routes outside the guarded paths
   * that still need it.
   */
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
