package dev.alertdesk.web;

import io.javalin.http.Context;

/**
 * The response headers every answer carries: a Content-Security-Policy without inline script
 * (the UI's only script is {@code /ui/app.js}, its only stylesheet {@code /ui/app.css}),
 * {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: same-origin}, and
 * {@code Cache-Control: no-store} on everything but the static UI files, so stored data is
 * never kept by a browser or proxy cache.
 */
final class SecurityHeaders {
  /** The policy of every answer; {@code style-src} falls back to {@code 'self'} too. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
      + "object-src 'none'; frame-ancestors 'none'; base-uri 'none'";

  private SecurityHeaders() {}

  /** The before-handler that sets the headers. */
  static void apply(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "same-origin");
    if (!ctx.path().startsWith("/ui/")) {
      ctx.header("Cache-Control", "no-store");
    }
  }
}
