package dev.alertdesk.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A loopback Prometheus exposition endpoint ({@code GET /metrics}, text format 0.0.4) whose body
 * the test computes at every scrape, for {@link PrometheusProcess}'s {@code app} target.
 */
public final class MetricsExporter implements AutoCloseable {
  private final HttpServer server;

  private MetricsExporter(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving on a free loopback port.
   *
   * @param body the exposition text, asked for at every scrape
   */
  public static MetricsExporter start(Supplier<String> body) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/metrics", exchange -> {
      byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    return new MetricsExporter(server);
  }

  /** Returns {@code 127.0.0.1:PORT}, the scrape target. */
  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Stops serving at once. */
  @Override
  public void close() {
    server.stop(0);
  }
}
