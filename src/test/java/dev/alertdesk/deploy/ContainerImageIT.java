package dev.alertdesk.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import java.io.IOException;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs what the container image runs, without a Docker engine: the {@code Dockerfile}'s
 * {@code ENTRYPOINT} and {@code CMD} (the very script it copies to {@code /opt/alertdesk/bin}, and
 * {@code target/alertdesk.jar} at {@code /opt/alertdesk/alertdesk.jar}), with exactly its
 * {@code ENV}, its {@code USER} ids and {@code WORKDIR}, under bubblewrap ({@code bwrap}): the
 * root filesystem is read-only and only {@code /data} and {@code /tmp} are writable, as in a
 * Kubernetes pod with {@code readOnlyRootFilesystem: true} and the chart's two volumes. Two
 * things are added: {@code PORT}, a free port because this machine is shared, and
 * {@code JAVA_TOOL_OPTIONS=-XX:MaxRAM=512m}, standing in for a 512 MiB container memory limit
 * (the JVM reads a container's limit from its cgroup), so the heap the service reports in
 * {@code /metrics} can be checked against the image's {@code JAVA_OPTS} share.
 */
class ContainerImageIT {
  private static final String BWRAP = "/usr/bin/bwrap";
  private static final int MEMORY_LIMIT_MIB = 512;

  @TempDir Path dir;

  @Test
  void theImagesCommandServesWithDefaultSettingsOnAReadOnlyRootWithOnlyDataAndTmpWritable()
      throws Exception {
    DockerfileModel.Stage image = DockerfileModel.read(ProjectFiles.resolve("Dockerfile")).runtime();
    Path data = Files.createDirectories(dir.resolve("data"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path log = dir.resolve("service.log");
    int port = freePort();

    List<String> command = new ArrayList<>(sandbox(image, data, tmp));
    command.addAll(image.execForm("ENTRYPOINT"));
    command.addAll(image.execForm("CMD"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    builder.environment().put("HOME", image.last("WORKDIR"));
    builder.environment().putAll(image.env());
    builder.environment().put("PORT", String.valueOf(port));
    // Stands in for the container's memory limit, which the JVM would read from its cgroup.
    builder.environment().put("JAVA_TOOL_OPTIONS", "-XX:MaxRAM=" + MEMORY_LIMIT_MIB + "m");
    Process process = builder.start();
    try {
      AlertdeskClient client = new AlertdeskClient(port);
      await("ready (log: " + log + ")").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> client.get("/ready").statusCode() == 200);

      assertThat(client.get("/health").statusCode()).isEqualTo(200);
      String payload = AlertmanagerPayload.group("alertdesk", "ContainerSmoke")
          .firing("node-1", Instant.parse("2026-12-01T10:00:00Z")).json();
      HttpResponse<String> webhook = client.post("/api/alerts", payload, null);
      assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(200);
      assertThat(client.getJson("/api/incidents").get("total").asLong()).isEqualTo(1);
      long id = client.getJson("/api/incidents").get("incidents").get(0).get("id").asLong();
      HttpResponse<byte[]> chart = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(client.baseUrl() + "/incidents/" + id + "/activity.png")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(chart.statusCode()).isEqualTo(200);
      assertThat(chart.body()).startsWith(0x89, 'P', 'N', 'G');
      assertThat(client.post("/api/alerts", "{\"version\":\"3\"}", null).statusCode()).isEqualTo(400);
      assertThat(client.get("/metrics").body())
          .contains("alertdesk_notifications_received_total{outcome=\"invalid\"} 1.0")
          .contains("alertdesk_database_ready 1.0");
      double percent = Double.parseDouble(image.env().get("JAVA_OPTS")
          .replaceAll(".*-XX:MaxRAMPercentage=([0-9.]+).*", "$1"));
      // Eden, one survivor space and the old generation: the heap less one survivor space.
      assertThat(heapMaxBytes(client.get("/metrics").body()))
          .isCloseTo(MEMORY_LIMIT_MIB * 1024.0 * 1024 * percent / 100, Percentage.withPercentage(6));
    } finally {
      stop(process);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(output).doesNotContainIgnoringCase("read-only file system").doesNotContain("ERROR");
    assertThat(data.resolve("alertdesk.db")).exists();
  }

  /**
   * The bubblewrap arguments: every top-level directory of this machine read-only (except
   * {@code /opt}, which in the image holds the service), the image's two files, {@code /data} and
   * {@code /tmp} writable, then the root remounted read-only; the user and group of {@code USER}.
   */
  private static List<String> sandbox(DockerfileModel.Stage image, Path data, Path tmp)
      throws IOException {
    if (!Files.isExecutable(Path.of(BWRAP))) {
      throw new IllegalStateException(BWRAP + " is missing: install the Debian package bubblewrap");
    }
    List<String> args = new ArrayList<>(List.of(BWRAP, "--die-with-parent", "--unshare-user"));
    String[] user = image.last("USER").split(":");
    args.addAll(List.of("--uid", user[0], "--gid", user[1]));
    try (Stream<Path> top = Files.list(Path.of("/"))) {
      for (Path p : top.sorted().toList()) {
        String name = p.getFileName().toString();
        if (List.of("proc", "dev", "tmp", "data", "opt").contains(name)) {
          continue;
        }
        if (Files.isSymbolicLink(p)) {
          args.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), p.toString()));
        } else if (Files.isDirectory(p)) {
          args.addAll(List.of("--ro-bind", p.toString(), p.toString()));
        }
      }
    }
    for (String copy : image.all("COPY")) {
      String[] parts = copy.split("\\s+");
      String source = parts[parts.length - 2];
      String target = parts[parts.length - 1];
      Path host = source.startsWith("/src/")
          ? ProjectFiles.resolve(source.substring("/src/".length()))
          : ProjectFiles.resolve(source);
      assertThat(host).as("built by `mvn package` before the integration tests").exists();
      args.addAll(List.of("--ro-bind", host.toString(), target));
    }
    args.addAll(List.of("--dev", "/dev", "--proc", "/proc",
        "--bind", data.toString(), "/data", "--bind", tmp.toString(), "/tmp",
        "--remount-ro", "/", "--chdir", image.last("WORKDIR")));
    return args;
  }

  /** SIGTERM to the service (the JVM under bwrap), as {@code docker stop} sends, then waits. */
  private static void stop(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** The sum of {@code jvm_memory_max_bytes{area="heap"}} over the heap's pools. */
  private static double heapMaxBytes(String metrics) {
    return metrics.lines().filter(l -> l.startsWith("jvm_memory_max_bytes{area=\"heap\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
