package dev.alertdesk.testing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the fixtures that run real servers as child processes ({@link AlertmanagerProcess},
 * {@link PrometheusProcess}, {@link AlertdeskProcess}) share: free loopback ports, waiting for {@code /-/ready}, log
 * tails, stopping, and cleaning up their temporary directories.
 */
final class ServerProcesses {
  private ServerProcesses() {}

  /** Returns a port that was free on loopback a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Returns Maven's {@code target} directory (for logs). */
  static Path targetDir() {
    String basedir = System.getProperty("basedir");
    return basedir == null ? Path.of("target") : Path.of(basedir, "target");
  }

  /** Returns the last {@code lines} lines of a log file, for failure messages. */
  static String logTail(Path logFile, int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /**
   * Polls {@code url + "/-/ready"} until it answers 200.
   *
   * @param name the server's name for messages, e.g. {@code Alertmanager}
   * @throws IllegalStateException when the process exits or is not ready within
   *     {@code timeout}; the message holds the end of its log
   */
  static void awaitReady(Process process, HttpClient http, String url, String name, Path logFile,
      Duration timeout) {
    awaitHttp(process, http, url + "/-/ready", name, logFile, timeout);
  }

  /**
   * Polls {@code readyUrl} until it answers 200.
   *
   * @throws IllegalStateException when the process exits or is not ready within
   *     {@code timeout}; the message holds the end of its log
   */
  static void awaitHttp(Process process, HttpClient http, String readyUrl, String name,
      Path logFile, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(readyUrl))
        .timeout(Duration.ofSeconds(2)).GET().build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with code " + process.exitValue()
            + ":\n" + logTail(logFile, 20));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (ConnectException e) {
        // not listening yet
      } catch (IOException e) {
        // starting up
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
    throw new IllegalStateException(name + " not ready within " + timeout + ":\n"
        + logTail(logFile, 20));
  }

  /** Stops a process and its children: SIGTERM, then SIGKILL after 10 s. */
  static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    children.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * Stops a server fixture for good: the process and its children, its shutdown hook, and its
   * temporary directory.
   */
  static void close(Process process, Thread shutdownHook, Path workDir) {
    stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook stops the process again, harmlessly.
    }
    deleteRecursively(workDir);
  }

  /**
   * Sends a request to a server fixture; an I/O failure names the server and carries its log tail.
   */
  static HttpResponse<String> send(HttpClient http, HttpRequest request, String name, String url,
      Path logFile) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(name + " at " + url + " unreachable; log:\n"
          + logTail(logFile, 20), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Deletes a directory tree, best effort (a temporary directory). */
  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
