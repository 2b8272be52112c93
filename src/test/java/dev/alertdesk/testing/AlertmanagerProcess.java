package dev.alertdesk.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A real Prometheus Alertmanager ({@value #BINARY}, the Debian package
 * {@code prometheus-alertmanager}, version 0.25) running as a child process on a free loopback
 * port, without clustering unless started as a pair ({@link #startPair}), with its storage in a
 * temporary directory. Its configuration routes
 * every alert to one webhook receiver (the service under test) with short timings, so group
 * waits, group intervals and repeats happen within seconds.
 *
 * <p>Its log (stdout and stderr, at debug level) goes to {@code target/alertmanager/}, named by
 * the label given to {@link #start}. {@link #close()} stops the process and its children and
 * deletes the temporary directory; a shutdown hook does the same if a test never gets there.
 */
public final class AlertmanagerProcess implements AutoCloseable {
  /** Where Debian installs Alertmanager. */
  public static final String BINARY = "/usr/bin/prometheus-alertmanager";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final int START_ATTEMPTS = 3;

  /**
   * The generated Alertmanager configuration: one route to one webhook receiver.
   *
   * @param webhookUrl where notifications go, e.g. {@code http://127.0.0.1:3031/api/alerts}
   * @param bearerToken sent as {@code Authorization: Bearer …}
   *     ({@code http_config.authorization.credentials}), or null
   * @param basicAuth {@code user:password} sent as Basic auth ({@code http_config.basic_auth}),
   *     or null
   * @param groupBy the route's {@code group_by} labels
   * @param groupWait the route's {@code group_wait}
   * @param groupInterval the route's {@code group_interval}
   * @param repeatInterval the route's {@code repeat_interval}: identical notifications are resent
   *     this often while alerts fire
   * @param resolveTimeout {@code global.resolve_timeout}: alerts pushed without {@code endsAt}
   *     resolve after this long
   * @param sendResolved the webhook's {@code send_resolved}
   */
  public record Config(
      String webhookUrl,
      @Nullable String bearerToken,
      @Nullable String basicAuth,
      List<String> groupBy,
      Duration groupWait,
      Duration groupInterval,
      Duration repeatInterval,
      Duration resolveTimeout,
      boolean sendResolved) {

    /**
     * A configuration sending to {@code webhookUrl}, grouped by {@code alertname}, with
     * {@code send_resolved: true}, group_wait 1 s, group_interval 2 s, repeat_interval 4 s and
     * resolve_timeout 5 min.
     */
    public static Config webhook(String webhookUrl) {
      return new Config(webhookUrl, null, null, List.of("alertname"), Duration.ofSeconds(1),
          Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofMinutes(5), true);
    }

    /** Returns a copy sending to another URL. */
    public Config withWebhookUrl(String url) {
      return new Config(url, bearerToken, basicAuth, groupBy, groupWait, groupInterval,
          repeatInterval, resolveTimeout, sendResolved);
    }

    /** Returns a copy that authenticates with {@code Authorization: Bearer token}. */
    public Config withBearerToken(String token) {
      return new Config(webhookUrl, token, basicAuth, groupBy, groupWait, groupInterval,
          repeatInterval, resolveTimeout, sendResolved);
    }

    /** Returns a copy that authenticates with Basic auth; {@code userPassword} is {@code user:password}. */
    public Config withBasicAuth(String userPassword) {
      return new Config(webhookUrl, bearerToken, userPassword, groupBy, groupWait, groupInterval,
          repeatInterval, resolveTimeout, sendResolved);
    }

    /** Returns a copy grouping by these labels. */
    public Config withGroupBy(String... labels) {
      return new Config(webhookUrl, bearerToken, basicAuth, List.of(labels), groupWait,
          groupInterval, repeatInterval, resolveTimeout, sendResolved);
    }

    /** Returns a copy with other route timings. */
    public Config withTimings(Duration wait, Duration interval, Duration repeat) {
      return new Config(webhookUrl, bearerToken, basicAuth, groupBy, wait, interval, repeat,
          resolveTimeout, sendResolved);
    }

    /** Renders {@code alertmanager.yml}. Strings are written as JSON strings, which YAML reads. */
    public String toYaml() {
      StringBuilder y = new StringBuilder();
      y.append("global:\n");
      y.append("  resolve_timeout: ").append(goDuration(resolveTimeout)).append('\n');
      y.append("route:\n");
      y.append("  receiver: alertdesk\n");
      y.append("  group_by: ").append(quote(groupBy)).append('\n');
      y.append("  group_wait: ").append(goDuration(groupWait)).append('\n');
      y.append("  group_interval: ").append(goDuration(groupInterval)).append('\n');
      y.append("  repeat_interval: ").append(goDuration(repeatInterval)).append('\n');
      y.append("receivers:\n");
      y.append("  - name: alertdesk\n");
      y.append("    webhook_configs:\n");
      y.append("      - url: ").append(quote(webhookUrl)).append('\n');
      y.append("        send_resolved: ").append(sendResolved).append('\n');
      if (bearerToken != null || basicAuth != null) {
        y.append("        http_config:\n");
        if (bearerToken != null) {
          y.append("          authorization:\n");
          y.append("            type: Bearer\n");
          y.append("            credentials: ").append(quote(bearerToken)).append('\n');
        }
        if (basicAuth != null) {
          int colon = basicAuth.indexOf(':');
          y.append("          basic_auth:\n");
          y.append("            username: ").append(quote(basicAuth.substring(0, colon))).append('\n');
          y.append("            password: ").append(quote(basicAuth.substring(colon + 1))).append('\n');
        }
      }
      return y.toString();
    }

    private static String goDuration(Duration d) {
      return d.toMillis() + "ms";
    }

    private static String quote(Object value) {
      try {
        return JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(e);
      }
    }
  }

  /**
   * One alert as {@code POST /api/v2/alerts} takes it (a "postableAlert").
   *
   * @param labels identify the alert; must include {@code alertname}
   * @param annotations e.g. {@code summary}, {@code runbook_url}
   * @param startsAt when it started; give it explicitly so that a later resolution of the same
   *     alert merges with this firing period
   * @param endsAt null while firing; a time in the past resolves the alert
   * @param generatorUrl the link back to the rule's source, or null
   */
  public record PostableAlert(
      Map<String, String> labels,
      Map<String, String> annotations,
      Instant startsAt,
      @Nullable Instant endsAt,
      @Nullable String generatorUrl) {

    /** A firing alert. */
    public static PostableAlert firing(Map<String, String> labels, Map<String, String> annotations,
        Instant startsAt, @Nullable String generatorUrl) {
      return new PostableAlert(Map.copyOf(labels), Map.copyOf(annotations), startsAt, null,
          generatorUrl);
    }

    /** Returns this alert resolved at {@code endsAt}, which should lie in the past. */
    public PostableAlert resolvedAt(Instant endsAt) {
      return new PostableAlert(labels, annotations, startsAt, endsAt, generatorUrl);
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("labels", labels);
      m.put("annotations", annotations);
      m.put("startsAt", startsAt.toString());
      if (endsAt != null) {
        m.put("endsAt", endsAt.toString());
      }
      if (generatorUrl != null) {
        m.put("generatorURL", generatorUrl);
      }
      return m;
    }
  }

  private final Process process;
  private final int port;
  private final Path workDir;
  private final Path configFile;
  private final Path logFile;
  private final HttpClient http;
  private final Thread shutdownHook;

  private AlertmanagerProcess(Process process, int port, Path workDir, Path configFile,
      Path logFile, HttpClient http) {
    this.process = process;
    this.port = port;
    this.workDir = workDir;
    this.configFile = configFile;
    this.logFile = logFile;
    this.http = http;
    this.shutdownHook = new Thread(this::stopProcess, "alertmanager-" + port + "-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts Alertmanager with {@code config} on a free loopback port and waits until
   * {@code /-/ready} answers 200.
   *
   * @param label names the log file {@code target/alertmanager/<label>-<port>.log}
   * @param config the routing and receiver to generate
   * @return the running process
   * @throws IOException when the binary cannot start
   * @throws IllegalStateException when it does not become ready within 30 s; the message holds
   *     the end of its log
   */
  public static AlertmanagerProcess start(String label, Config config) throws IOException {
    return start(label, config.toYaml());
  }

  /**
   * Starts Alertmanager with a hand-written {@code alertmanager.yml} (for receivers the
   * generated {@link Config} does not cover, such as {@code slack_configs}), as
   * {@link #start(String, Config)} does.
   *
   * @param label names the log file
   * @param yaml the whole configuration file
   * @throws IOException when the binary cannot start
   * @throws IllegalStateException when it does not become ready within 30 s
   */
  public static AlertmanagerProcess start(String label, String yaml) throws IOException {
    return start(label, yaml, List.of("--cluster.listen-address="));
  }

  /**
   * Starts an Alertmanager HA pair clustered with each other ({@code --cluster.listen-address}
   * and {@code --cluster.peer} on loopback), each with its own configuration, for example each
   * notifying a different replica of the service. Alerts must be pushed to both, as Prometheus
   * does. The member that comes second in the cluster's order sends a notification only when it
   * has not seen, {@code peerTimeout} after the group's flush, the first member's entry for it in
   * the gossiped notification log; a short timeout makes both members send nearly every
   * notification.
   *
   * @param label names the log files ({@code <label>-1-…}, {@code <label>-2-…})
   * @param first the first member's configuration
   * @param second the second member's configuration
   * @param peerTimeout {@code --cluster.peer-timeout}
   * @return both members, started and ready
   * @throws IOException when the binary cannot start
   */
  public static List<AlertmanagerProcess> startPair(String label, Config first, Config second,
      Duration peerTimeout) throws IOException {
    int one = ServerProcesses.freePort();
    int two = ServerProcesses.freePort();
    String timeout = "--cluster.peer-timeout=" + peerTimeout.toMillis() + "ms";
    AlertmanagerProcess a = start(label + "-1", first.toYaml(), List.of(
        "--cluster.listen-address=127.0.0.1:" + one, "--cluster.peer=127.0.0.1:" + two, timeout));
    try {
      AlertmanagerProcess b = start(label + "-2", second.toYaml(), List.of(
          "--cluster.listen-address=127.0.0.1:" + two, "--cluster.peer=127.0.0.1:" + one, timeout));
      return List.of(a, b);
    } catch (IOException | RuntimeException e) {
      a.close();
      throw e;
    }
  }

  private static AlertmanagerProcess start(String label, String yaml, List<String> clusterArgs)
      throws IOException {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(BINARY + " is missing: install the Debian package "
          + "prometheus-alertmanager");
    }
    Path workDir = Files.createTempDirectory("alertmanager-");
    Path configFile = workDir.resolve("alertmanager.yml");
    Files.writeString(configFile, yaml, StandardCharsets.UTF_8);
    Path logDir = ServerProcesses.targetDir().resolve("alertmanager");
    Files.createDirectories(logDir);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @Nullable IllegalStateException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = ServerProcesses.freePort();
      Path logFile = logDir.resolve(label + "-" + port + ".log");
      List<String> command = new ArrayList<>(List.of(
          BINARY,
          "--config.file=" + configFile,
          "--storage.path=" + workDir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port,
          "--log.level=debug"));
      command.addAll(clusterArgs);
      Process process = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(logFile.toFile())
          .start();
      AlertmanagerProcess am = new AlertmanagerProcess(process, port, workDir, configFile,
          logFile, http);
      try {
        am.awaitReady();
        return am;
      } catch (IllegalStateException e) {
        // Most likely another process took the port between freePort() and the bind.
        am.stopProcess();
        Runtime.getRuntime().removeShutdownHook(am.shutdownHook);
        last = e;
      }
    }
    ServerProcesses.deleteRecursively(workDir);
    throw last;
  }

  /** Returns the port Alertmanager listens on. */
  public int port() {
    return port;
  }

  /** Returns the base URL, e.g. {@code http://127.0.0.1:40123}, for {@code ALERTMANAGER_URL}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Returns the file holding Alertmanager's log. */
  public Path logFile() {
    return logFile;
  }

  /**
   * Pushes alerts with {@code POST /api/v2/alerts}, as Prometheus does.
   *
   * @throws IllegalStateException when Alertmanager does not answer 200
   */
  public void push(PostableAlert... alerts) {
    List<Map<String, Object>> body = new ArrayList<>();
    for (PostableAlert a : alerts) {
      body.add(a.toJson());
    }
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("Alertmanager refused the alerts: HTTP "
          + response.statusCode() + " " + response.body());
    }
  }

  /** Returns {@code GET /api/v2/alerts} (for debugging and assertions). */
  public String alertsJson() {
    return send(HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts")).GET().build()).body();
  }

  /**
   * Rewrites the configuration and reloads it with {@code POST /-/reload}, for example to point
   * the webhook at a service that restarted on another port.
   *
   * @throws IllegalStateException when Alertmanager rejects the configuration
   */
  public void reload(Config config) {
    try {
      Files.writeString(configFile, config.toYaml(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url() + "/-/reload"))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("Alertmanager rejected the new configuration: HTTP "
          + response.statusCode() + " " + response.body());
    }
  }

  /** Returns the last {@code lines} lines of the log, for failure messages. */
  public String logTail(int lines) {
    return ServerProcesses.logTail(logFile, lines);
  }

  /** Stops Alertmanager and its children (SIGTERM, then SIGKILL after 10 s) and deletes its files. */
  @Override
  public void close() {
    ServerProcesses.close(process, shutdownHook, workDir);
  }

  private void stopProcess() {
    ServerProcesses.stop(process);
  }

  private void awaitReady() {
    ServerProcesses.awaitReady(process, http, url(), "Alertmanager", logFile, READY_TIMEOUT);
  }

  private HttpResponse<String> send(HttpRequest request) {
    return ServerProcesses.send(http, request, "Alertmanager", url(), logFile);
  }
}
