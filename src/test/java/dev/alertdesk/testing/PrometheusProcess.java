package dev.alertdesk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A real Prometheus ({@value #BINARY}, the Debian package {@code prometheus}, version 2.42)
 * running as a child process on a free loopback port with its TSDB in a temporary directory. It
 * scrapes itself and evaluates a rule file from the test resources every second, and may send
 * its alerts to an Alertmanager.
 *
 * <p>Its log goes to {@code target/prometheus/<label>-<port>.log}. {@link #close()} stops it and
 * deletes the temporary directory; a shutdown hook does the same if a test never gets there.
 */
public final class PrometheusProcess implements AutoCloseable {
  /** Where Debian installs Prometheus. */
  public static final String BINARY = "/usr/bin/prometheus";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final int START_ATTEMPTS = 3;

  private final Process process;
  private final int port;
  private final Path workDir;
  private final Path logFile;
  private final HttpClient http;
  private final Thread shutdownHook;
  private final @Nullable String appTarget;
  private final String routePrefix;

  private PrometheusProcess(Process process, int port, Path workDir, Path logFile, HttpClient http,
      @Nullable String appTarget, String routePrefix) {
    this.appTarget = appTarget;
    this.routePrefix = routePrefix;
    this.process = process;
    this.port = port;
    this.workDir = workDir;
    this.logFile = logFile;
    this.http = http;
    this.shutdownHook = new Thread(this::stopProcess, "prometheus-" + port + "-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts Prometheus and waits until {@code /-/ready} answers 200.
   *
   * @param label names the log file
   * @param rulesResource a rule file on the test class path, e.g. {@code /prometheus/rules.yml}
   * @param alertmanagerUrl where to send alerts ({@code http://127.0.0.1:port}), or null for none
   * @param appTarget {@code host:port} of one more target scraped every second as job
   *     {@code app} (an exposition endpoint the test serves), or null for none
   * @return the running process
   * @throws IOException when the binary cannot start
   * @throws IllegalStateException when it does not become ready within 30 s
   */
  public static PrometheusProcess start(String label, String rulesResource,
      @Nullable String alertmanagerUrl, @Nullable String appTarget) throws IOException {
    return start(label, rulesResource, alertmanagerUrl, appTarget, "");
  }

  /**
   * As {@link #start(String, String, String, String)}, served under a path prefix
   * ({@code --web.route-prefix}), as behind a reverse proxy: {@link #url()} then ends in it.
   *
   * @param routePrefix e.g. {@code /prometheus}; empty for none
   */
  public static PrometheusProcess start(String label, String rulesResource,
      @Nullable String alertmanagerUrl, @Nullable String appTarget, String routePrefix)
      throws IOException {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(BINARY + " is missing: install the Debian package prometheus");
    }
    Path workDir = Files.createTempDirectory("prometheus-");
    Files.writeString(workDir.resolve("rules.yml"), resource(rulesResource), StandardCharsets.UTF_8);
    Path logDir = ServerProcesses.targetDir().resolve("prometheus");
    Files.createDirectories(logDir);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = ServerProcesses.freePort();
      Files.writeString(workDir.resolve("prometheus.yml"),
          config(port, alertmanagerUrl, appTarget, routePrefix), StandardCharsets.UTF_8);
      Path logFile = logDir.resolve(label + "-" + port + ".log");
      Process process = new ProcessBuilder(
          BINARY,
          "--config.file=" + workDir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + workDir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port,
          "--web.enable-lifecycle",
          // Resend firing alerts every second (default 1m), so an Alertmanager configured
          // after the rule fired hears of it at once.
          "--rules.alert.resend-delay=1s",
          "--web.route-prefix=" + (routePrefix.isEmpty() ? "/" : routePrefix),
          "--log.level=info")
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(logFile.toFile())
          .start();
      PrometheusProcess p = new PrometheusProcess(process, port, workDir, logFile, http,
          appTarget, routePrefix);
      try {
        p.awaitReady();
        return p;
      } catch (IllegalStateException e) {
        p.stopProcess();
        Runtime.getRuntime().removeShutdownHook(p.shutdownHook);
        last = e;
      }
    }
    ServerProcesses.deleteRecursively(workDir);
    throw last;
  }

  private static String config(int port, @Nullable String alertmanagerUrl,
      @Nullable String appTarget, String routePrefix) {
    StringBuilder y = new StringBuilder();
    y.append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
    y.append("rule_files:\n  - rules.yml\n");
    y.append("scrape_configs:\n  - job_name: prometheus\n    metrics_path: ")
        .append(routePrefix).append("/metrics\n    static_configs:\n");
    y.append("      - targets: [\"127.0.0.1:").append(port).append("\"]\n");
    if (appTarget != null) {
      y.append("  - job_name: app\n    static_configs:\n");
      y.append("      - targets: [\"").append(appTarget).append("\"]\n");
    }
    if (alertmanagerUrl != null) {
      URI am = URI.create(alertmanagerUrl);
      y.append("alerting:\n  alertmanagers:\n    - static_configs:\n");
      y.append("        - targets: [\"").append(am.getHost()).append(':').append(am.getPort())
          .append("\"]\n");
    }
    return y.toString();
  }

  /** Returns the base URL, e.g. {@code http://127.0.0.1:40123}, for {@code PROMETHEUS_URL}. */
  public String url() {
    return "http://127.0.0.1:" + port + routePrefix;
  }

  /**
   * Points Prometheus's alerting at an Alertmanager and reloads ({@code POST /-/reload}).
   *
   * @param alertmanagerUrl e.g. {@code http://127.0.0.1:9093}
   * @throws IllegalStateException when Prometheus rejects the reload
   */
  public void sendAlertsTo(String alertmanagerUrl) {
    try {
      Files.writeString(workDir.resolve("prometheus.yml"),
          config(port, alertmanagerUrl, appTarget, routePrefix), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url() + "/-/reload"))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("Prometheus rejected the reload: HTTP "
          + response.statusCode() + " " + response.body());
    }
  }

  /** Returns the body of {@code GET path}, e.g. {@code /api/v1/targets} (for failure messages). */
  public String get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url() + path)).GET().build()).body();
  }

  /** Returns {@code GET /api/v1/alerts} (for assertions and failure messages). */
  public String alertsJson() {
    return send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/alerts")).GET().build()).body();
  }

  /** Returns the last {@code lines} lines of the log, for failure messages. */
  public String logTail(int lines) {
    return ServerProcesses.logTail(logFile, lines);
  }

  /** Stops Prometheus (SIGTERM, then SIGKILL after 10 s) and deletes its files. */
  @Override
  public void close() {
    ServerProcesses.close(process, shutdownHook, workDir);
  }

  private void stopProcess() {
    ServerProcesses.stop(process);
  }

  private void awaitReady() {
    ServerProcesses.awaitReady(process, http, url(), "Prometheus", logFile, READY_TIMEOUT);
  }

  private HttpResponse<String> send(HttpRequest request) {
    return ServerProcesses.send(http, request, "Prometheus", url(), logFile);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = PrometheusProcess.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
