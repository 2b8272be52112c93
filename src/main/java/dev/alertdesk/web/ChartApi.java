package dev.alertdesk.web;

import dev.alertdesk.graph.ChartRepository;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/charts/{id}.png}: a rendered graph. The id must be exactly a chart id
 * ({@link ChartRepository#ID}); anything else, an unknown id or a deleted file is a 404, so no
 * path outside the charts directory can be named. Charts never change, so they may be cached.
 * {@code GET /api/chart/{id}} serves the autometrics slack-app's stored charts by its numeric
 * {@code alerts.id}, for the image blocks of its old Slack messages.
 */
final class ChartApi {
  private final @Nullable ChartRepository charts;

  ChartApi(@Nullable ChartRepository charts) {
    this.charts = charts;
  }

  void png(Context ctx) {
    String file = ctx.pathParam("file");
    if (charts == null || !file.endsWith(".png")) {
      JsonResponses.error(ctx, 404, "no such chart");
      return;
    }
    String id = file.substring(0, file.length() - ".png".length());
    Optional<Path> path = ChartRepository.ID.matcher(id).matches() ? charts.file(id)
        : Optional.empty();
    if (path.isEmpty()) {
      JsonResponses.error(ctx, 404, "no such chart");
      return;
    }
    servePng(ctx, path.get(), "public, max-age=31536000, immutable");
  }

  private static void servePng(Context ctx, Path file, String cacheControl) {
    try {
      ctx.header("Cache-Control", cacheControl);
      ctx.contentType("image/png").result(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void slackAppPng(Context ctx) {
    String id = ctx.pathParam("id");
    long alertId;
    try {
      alertId = id.length() > 18 || id.isEmpty() || !id.chars().allMatch(c -> c >= '0' && c <= '9')
          ? -1 : Long.parseLong(id);
    } catch (NumberFormatException e) {
      alertId = -1;
    }
    Optional<Path> path = charts == null || alertId < 0 ? Optional.empty()
        : charts.slackAppChart(alertId);
    if (path.isEmpty()) {
      JsonResponses.error(ctx, 404, "no such chart");
      return;
    }
    servePng(ctx, path.get(), "public, max-age=86400");
  }
}
