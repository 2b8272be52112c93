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
    try {
      ctx.header("Cache-Control", "public, max-age=31536000, immutable");
      ctx.contentType("image/png").result(Files.readAllBytes(path.get()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
