package dev.alertdesk.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.graph.TimeSeries;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Prometheus HTTP API (prometheus.io/docs/prometheus/latest/querying/api):
 * {@code POST /api/v1/query} and {@code POST /api/v1/query_range}, form-encoded. Every request
 * has its own timeout. Answers, failures included, are kept in a small LRU cache for a short
 * while, so a storm of alerts over one expression costs one query and a Prometheus that is down
 * costs one timeout, not one per alert. Range queries align start, end and step to whole steps,
 * so equal questions asked moments apart share one cache entry.
 *
 * <p>Metric: {@code alertdesk_prometheus_queries_total{datasource,outcome}} with outcome
 * {@code success}, {@code error}, {@code timeout} or {@code unreachable}, counting queries
 * actually sent. Thread-safe.
 */
public final class PrometheusClient {
  private static final Logger log = LoggerFactory.getLogger(PrometheusClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Samples per series a range query asks for at most. */
  public static final int MAX_POINTS = 500;
  /** Cached answers kept at most. */
  static final int CACHE_ENTRIES = 128;
  /** How long an answer (or a failure) is reused. */
  static final Duration CACHE_TTL = Duration.ofSeconds(30);
  private static final int MAX_REASON_CHARS = 160;

  private final String baseUrl;
  private final String name;
  private final Map<String, String> headers;
  private final @Nullable String authorization;
  private final Duration timeout;
  private final HttpClient http;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Map<String, CacheEntry> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CacheEntry> eldest) {
      return size() > CACHE_ENTRIES;
    }
  };

  /** A cached answer; {@code end} is the end of a range query (epoch seconds), else 0. */
  private record CacheEntry(Instant expires, long end, @Nullable List<TimeSeries> series,
      @Nullable PrometheusException failure) {}

  /** A range answer ending this many seconds before the asked end is still reused. */
  static final long RANGE_REUSE_SECONDS = 15;

  /**
   * @param prometheusUrl the base URL, e.g. {@code http://localhost:9090}; user and password in
   *     it become HTTP Basic credentials
   * @param timeout the timeout of each request, connecting included; e.g. 5 s
   * @param clock the source of "now" for the cache
   * @param metrics where the query counter is registered
   */
  public PrometheusClient(String prometheusUrl, Duration timeout, Clock clock,
      MeterRegistry metrics) {
    this(PrometheusDatasource.byDefault(prometheusUrl, timeout), clock, metrics);
  }

  /**
   * @param datasource the server: its URL (path prefix kept), timeout, auth and headers; a
   *     {@code user:password@} in the URL is Basic auth unless the datasource sets its own
   * @param clock the source of "now" for the cache
   * @param metrics where the query counter is registered, tagged with the datasource's name
   */
  public PrometheusClient(PrometheusDatasource datasource, Clock clock, MeterRegistry metrics) {
    String prometheusUrl = datasource.url();
    Duration timeout = datasource.timeout();
    this.name = datasource.name();
    this.headers = datasource.headers();
    URI uri = URI.create(prometheusUrl);
    String userInfo = uri.getRawUserInfo();
    this.authorization = datasource.authorization() != null ? datasource.authorization()
        : userInfo == null ? null : "Basic " + Base64.getEncoder().encodeToString(
        java.net.URLDecoder.decode(userInfo, StandardCharsets.UTF_8)
            .getBytes(StandardCharsets.UTF_8));
    String withoutUser = userInfo == null ? prometheusUrl
        : prometheusUrl.replaceFirst("//[^/@]*@", "//");
    this.baseUrl = withoutUser.endsWith("/") ? withoutUser.substring(0, withoutUser.length() - 1)
        : withoutUser;
    this.timeout = timeout;
    this.clock = clock;
    this.metrics = metrics;
    this.http = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * Runs an instant query ({@code /api/v1/query}) at Prometheus's current time. Questions asked
   * within the same 5 s share one answer.
   *
   * @return one series (with one sample) per vector element; a scalar is one unlabelled series;
   *     empty when nothing matched
   * @throws PrometheusException when Prometheus is unreachable, slow or answers an error
   */
  public List<TimeSeries> query(String expr) {
    long bucket = clock.instant().getEpochSecond() / 5;
    return cached("q|" + bucket + "|" + expr, 0, () -> send("/api/v1/query", "query=" + enc(expr)));
  }

  /**
   * Runs a range query ({@code /api/v1/query_range}) from {@code start} to {@code end} with a
   * step that keeps each series at {@value #MAX_POINTS} samples or fewer; start and end are
   * aligned down to whole steps.
   *
   * @return the series, empty when nothing matched
   * @throws IllegalArgumentException when {@code end} is not after {@code start}
   * @throws PrometheusException when Prometheus is unreachable, slow or answers an error
   */
  public List<TimeSeries> queryRange(String expr, Instant start, Instant end) {
    long step = step(start, end);
    long from = Math.floorDiv(start.getEpochSecond(), step) * step;
    long to = Math.floorDiv(end.getEpochSecond(), step) * step;
    if (to <= from) {
      to = from + step;
    }
    long toFinal = to;
    // Keyed without the end: an answer for the same start and step that ends at most
    // RANGE_REUSE_SECONDS earlier serves, so a storm asked over a few seconds costs one query.
    return cached("r|" + from + "|" + step + "|" + expr, to, () -> send(
        "/api/v1/query_range",
        "query=" + enc(expr) + "&start=" + from + "&end=" + toFinal + "&step=" + step));
  }

  /**
   * Returns the step in whole seconds that keeps a range at {@value #MAX_POINTS} samples or
   * fewer (at least 1 s).
   *
   * @throws IllegalArgumentException when {@code end} is not after {@code start}
   */
  public static long step(Instant start, Instant end) {
    long seconds = Duration.between(start, end).getSeconds();
    if (seconds <= 0) {
      throw new IllegalArgumentException("the range must end after it starts");
    }
    // (end - start) / step + 1 samples, aligned ends can add one more step.
    return Math.max(1, -Math.floorDiv(-seconds, MAX_POINTS - 2));
  }

  private interface Query {
    List<TimeSeries> run();
  }

  private List<TimeSeries> cached(String key, long end, Query query) {
    Instant now = clock.instant();
    synchronized (cache) {
      CacheEntry hit = cache.get(key);
      if (hit != null && now.isBefore(hit.expires()) && hit.end() >= end - RANGE_REUSE_SECONDS) {
        if (hit.failure() != null) {
          throw hit.failure();
        }
        return hit.series();
      }
    }
    try {
      List<TimeSeries> result = query.run();
      synchronized (cache) {
        cache.put(key, new CacheEntry(now.plus(CACHE_TTL), end, result, null));
      }
      return result;
    } catch (PrometheusException e) {
      synchronized (cache) {
        cache.put(key, new CacheEntry(now.plus(CACHE_TTL), end, null, e));
      }
      throw e;
    }
  }

  private List<TimeSeries> send(String path, String form) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    headers.forEach(request::header);
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw count(new PrometheusException(PrometheusException.Outcome.TIMEOUT,
          "Prometheus did not accept a connection within " + timeout.toMillis() + " ms"));
    } catch (HttpTimeoutException e) {
      throw count(new PrometheusException(PrometheusException.Outcome.TIMEOUT,
          "Prometheus did not answer within " + timeout.toMillis() + " ms"));
    } catch (ConnectException e) {
      throw count(new PrometheusException(PrometheusException.Outcome.UNREACHABLE,
          "Prometheus unreachable (connection refused)"));
    } catch (IOException e) {
      throw count(new PrometheusException(PrometheusException.Outcome.UNREACHABLE,
          "Prometheus unreachable (" + e.getClass().getSimpleName() + ")"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusException(PrometheusException.Outcome.UNREACHABLE,
          "interrupted while querying Prometheus");
    }
    JsonNode body = null;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException | RuntimeException e) {
      // not JSON: a proxy's page; classified below by status
    }
    int status = response.statusCode();
    if (body == null || !body.isObject()) {
      throw count(new PrometheusException(PrometheusException.Outcome.ERROR,
          "Prometheus answered HTTP " + status + " without a JSON body"));
    }
    if (status / 100 != 2 || !"success".equals(body.path("status").asText())) {
      String type = body.path("errorType").asText("");
      String error = body.path("error").asText("");
      throw count(new PrometheusException(PrometheusException.Outcome.ERROR, clip(
          "Prometheus answered " + status + (type.isEmpty() ? "" : " " + type)
              + (error.isEmpty() ? "" : ": " + error))));
    }
    metrics.counter("alertdesk_prometheus_queries", "datasource", name, "outcome", "success")
        .increment();
    JsonNode warnings = body.path("warnings");
    if (warnings.isArray() && !warnings.isEmpty()) {
      log.debug("prometheus warnings: {}", warnings);
    }
    return parse(body.path("data"));
  }

  /** Parses {@code data} of a success answer: vector, matrix or scalar. */
  static List<TimeSeries> parse(JsonNode data) {
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    List<TimeSeries> out = new ArrayList<>();
    switch (type) {
      case "scalar" -> out.add(new TimeSeries(Map.of(), new long[] {millis(result.get(0))},
          new double[] {value(result.get(1))}));
      case "vector" -> {
        for (JsonNode el : result) {
          JsonNode v = el.path("value");
          out.add(new TimeSeries(labels(el.path("metric")), new long[] {millis(v.get(0))},
              new double[] {value(v.get(1))}));
        }
      }
      case "matrix" -> {
        for (JsonNode el : result) {
          JsonNode values = el.path("values");
          long[] t = new long[values.size()];
          double[] v = new double[values.size()];
          for (int i = 0; i < values.size(); i++) {
            t[i] = millis(values.get(i).get(0));
            v[i] = value(values.get(i).get(1));
          }
          out.add(new TimeSeries(labels(el.path("metric")), t, v));
        }
      }
      default -> throw new PrometheusException(PrometheusException.Outcome.ERROR,
          "Prometheus answered an unexpected result type \"" + type + "\"");
    }
    return out;
  }

  private static Map<String, String> labels(JsonNode metric) {
    Map<String, String> labels = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = metric.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      labels.put(f.getKey(), f.getValue().asText());
    }
    return labels;
  }

  private static long millis(@Nullable JsonNode t) {
    return t == null ? 0 : Math.round(t.asDouble() * 1000);
  }

  /** Prometheus writes sample values as strings: {@code "0.5"}, {@code "NaN"}, {@code "+Inf"}. */
  static double value(@Nullable JsonNode v) {
    if (v == null) {
      return Double.NaN;
    }
    String s = v.asText();
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "nan" -> Double.NaN;
      case "+inf", "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(s);
        } catch (NumberFormatException e) {
          yield Double.NaN;
        }
      }
    };
  }

  private PrometheusException count(PrometheusException e) {
    metrics.counter("alertdesk_prometheus_queries", "datasource", name, "outcome",
        e.outcome().name().toLowerCase(Locale.ROOT)).increment();
    return e;
  }

  /** Returns the base URL queries go to, without credentials. */
  public String url() {
    return baseUrl;
  }

  /** Returns the datasource's name, shown on graphs and messages. */
  public String name() {
    return name;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String clip(String s) {
    String oneLine = s.replace('\n', ' ');
    return oneLine.length() <= MAX_REASON_CHARS ? oneLine
        : oneLine.substring(0, MAX_REASON_CHARS - 1) + "…";
  }
}
