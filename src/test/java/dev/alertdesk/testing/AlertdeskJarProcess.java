package dev.alertdesk.testing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The executable {@code target/alertdesk.jar} run as users run it ({@code java -jar}), with an
 * environment of the test's choosing and nothing inherited but {@code PATH}; its output goes to
 * {@code target/alertdesk-jar/<label>-<port>.log}. Failsafe runs after {@code package}, so the jar
 * is there for {@code *IT} tests.
 */
public final class AlertdeskJarProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;
  private final Path logFile;
  private final Thread shutdownHook;

  private AlertdeskJarProcess(Process process, int port, Path logFile) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
    this.shutdownHook = new Thread(() -> ServerProcesses.stop(process), "alertdesk-jar-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Returns a loopback port that was free a moment ago, for {@code PORT}. */
  public static int freePort() throws IOException {
    return ServerProcesses.freePort();
  }

  /**
   * Starts the jar and waits until {@code GET /ready} answers 200.
   *
   * @param label names the log file
   * @param port the {@code PORT} given in {@code env}
   * @param env the whole environment of the process ({@code PATH} is added)
   * @throws IllegalStateException when it exits or is not ready within 60 s; the message holds
   *     the end of its log
   */
  public static AlertdeskJarProcess start(String label, int port, Map<String, String> env)
      throws IOException {
    Path jar = ServerProcesses.targetDir().resolve("alertdesk.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package (failsafe runs after it)");
    }
    Path logDir = ServerProcesses.targetDir().resolve("alertdesk-jar");
    Files.createDirectories(logDir);
    Path logFile = logDir.resolve(label + "-" + port + ".log");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", jar.toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(logFile.toFile());
    String path = System.getenv("PATH");
    builder.environment().clear();
    builder.environment().put("PATH", path == null ? "/usr/bin:/bin" : path);
    builder.environment().putAll(env);
    AlertdeskJarProcess p = new AlertdeskJarProcess(builder.start(), port, logFile);
    try {
      p.awaitReady();
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    return p;
  }

  private void awaitReady() {
    ServerProcesses.awaitHttp(process,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), url() + "/ready",
        "alertdesk.jar", logFile, READY_TIMEOUT);
  }

  /** Returns {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Returns the port it listens on. */
  public int port() {
    return port;
  }

  /** Returns the last {@code lines} lines of its output. */
  public String log(int lines) {
    return ServerProcesses.logTail(logFile, lines);
  }

  /** Returns its whole output so far. */
  public String log() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops it (SIGTERM, then SIGKILL after 10 s). */
  @Override
  public void close() {
    ServerProcesses.stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down
    }
  }
}
