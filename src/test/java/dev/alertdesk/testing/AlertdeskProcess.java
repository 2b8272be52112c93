package dev.alertdesk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Alertdesk replica as its own JVM, started the way the container image starts it: the
 * image's launcher script ({@code deploy/docker/alertdesk}) next to {@code target/alertdesk.jar}
 * (built in Maven's {@code package} phase, before the integration tests), with {@code serve}.
 * Unlike an in-process {@code Application}, it can be killed abruptly ({@link #kill()}, SIGKILL,
 * as {@code kill -9}) and started again on the same port ({@link #restart()}).
 *
 * <p>Its log goes to {@code target/alertdesk-process/<label>-<port>.log}, appended across
 * restarts. {@link #close()} stops it with SIGTERM.
 */
public final class AlertdeskProcess implements AutoCloseable {
  /** Small, steady JVM options for tests on a shared 2-core machine. */
  public static final String TEST_JAVA_OPTS =
      "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final String label;
  private final int port;
  private final Map<String, String> env;
  private final Path home;
  private final Path logFile;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread shutdownHook;
  private Process process;

  private AlertdeskProcess(String label, int port, Map<String, String> env, Path home, Path logFile) {
    this.label = label;
    this.port = port;
    this.env = env;
    this.home = home;
    this.logFile = logFile;
    this.shutdownHook = new Thread(this::kill, "alertdesk-" + port + "-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a replica on a free loopback port and waits until {@code /ready} answers 200.
   *
   * @param label names the log file
   * @param settings Alertdesk's environment (e.g. {@code DB_CONNECTION_STRING},
   *     {@code SLACK_API_URL}); {@code PORT} and {@code LISTEN_HOST} are set here, and
   *     {@code STORAGE_DIR} defaults to a new temporary directory
   * @throws IllegalStateException when the jar is missing or the replica is not ready in 60 s
   */
  public static AlertdeskProcess start(String label, Map<String, String> settings) throws IOException {
    Path jar = ServerProcesses.targetDir().resolve("alertdesk.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run `mvn package` first");
    }
    Path script = ServerProcesses.targetDir().getParent() == null
        ? Path.of("deploy/docker/alertdesk")
        : ServerProcesses.targetDir().getParent().resolve("deploy/docker/alertdesk");
    // The image's layout: /opt/alertdesk/bin/alertdesk next to /opt/alertdesk/alertdesk.jar.
    Path home = Files.createTempDirectory("alertdesk-replica-");
    Files.createDirectories(home.resolve("bin"));
    Files.copy(script.toAbsolutePath(), home.resolve("bin/alertdesk"));
    Files.createSymbolicLink(home.resolve("alertdesk.jar"), jar);
    Map<String, String> env = new LinkedHashMap<>(settings);
    int port = ServerProcesses.freePort();
    env.put("PORT", String.valueOf(port));
    env.put("LISTEN_HOST", "127.0.0.1");
    env.putIfAbsent("STORAGE_DIR", Files.createDirectories(home.resolve("data")).toString());
    env.putIfAbsent("JAVA_OPTS", TEST_JAVA_OPTS);
    Path logDir = Files.createDirectories(ServerProcesses.targetDir().resolve("alertdesk-process"));
    AlertdeskProcess replica = new AlertdeskProcess(label, port, env, home,
        logDir.resolve(label + "-" + port + ".log"));
    replica.launch();
    return replica;
  }

  /** Returns the HTTP port, which stays the same across {@link #restart()}. */
  public int port() {
    return port;
  }

  /** Returns the webhook URL, {@code http://127.0.0.1:PORT/api/alerts}. */
  public String webhookUrl() {
    return "http://127.0.0.1:" + port + "/api/alerts";
  }

  /** Returns a client for this replica. */
  public AlertdeskClient client() {
    return new AlertdeskClient(port);
  }

  /** Returns whether the JVM is running. */
  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Kills the JVM at once with SIGKILL ({@code kill -9}): no shutdown hook, no drain. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts the JVM again with the same settings and port, and waits until it is ready. */
  public synchronized void restart() throws IOException {
    if (isAlive()) {
      throw new IllegalStateException(label + " is still running");
    }
    launch();
  }

  /** Returns the last {@code lines} lines of the log, for failure messages. */
  public String logTail(int lines) {
    return ServerProcesses.logTail(logFile, lines);
  }

  /** Stops the JVM with SIGTERM (then SIGKILL after 10 s) and deletes its temporary files. */
  @Override
  public synchronized void close() {
    if (process != null) {
      ServerProcesses.close(process, shutdownHook, home);
    }
  }

  private void launch() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/alertdesk").toString(), "serve")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().putAll(env);
    process = builder.start();
    try {
      ServerProcesses.awaitHttp(process, http, "http://127.0.0.1:" + port + "/ready",
          "Alertdesk " + label, logFile, READY_TIMEOUT);
    } catch (IllegalStateException e) {
      kill();
      throw e;
    }
  }
}
