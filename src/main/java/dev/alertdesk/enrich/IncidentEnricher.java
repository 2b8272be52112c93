package dev.alertdesk.enrich;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.config.Durations;
import dev.alertdesk.config.GraphSettings;
import dev.alertdesk.delivery.DeliveryOutcome;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.delivery.SlackCallResult;
import dev.alertdesk.delivery.SlackGateway;
import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.graph.ChartRenderer;
import dev.alertdesk.graph.ChartRepository;
import dev.alertdesk.graph.ChartSpec;
import dev.alertdesk.graph.StoredChart;
import dev.alertdesk.graph.TimeSeries;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.incident.IncidentRepository.SlackMessageRef;
import dev.alertdesk.incident.IncidentStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Enrichment} the outbox worker applies: "Current value: 0.87 (threshold 0.5)" on the
 * parent message, and a graph of the alert's own query in the thread (when it fires, and once
 * more showing the recovery when it resolves). The query is chosen by {@link AlertQuery} from
 * the first firing member that has one; it runs on the datasource {@link PrometheusDatasources}
 * chooses for that member (never the host in its {@code generatorURL}), named on the graph and
 * the parent when several are configured.
 *
 * <p>SLO alerts of Sloth (Autometrics) and Pyrra ({@link SloAlert}) get what their SLO is about
 * instead ({@link SloGraphs}): the success rate or latency per function against the objective,
 * the error budget left and the burn rate that fired on the parent, a readable title.
 *
 * <p>Images are uploaded into the thread; with {@code IMAGE_DELIVERY=url}, or when Slack refuses
 * uploads because the token lacks {@code files:write} ({@code missing_scope}) and
 * {@code BASE_URL} is set, they are sent as image blocks pointing at
 * {@code BASE_URL/api/charts/{id}.png}, as the autometrics slack-app sends them with only
 * {@code chat:write}. With {@code EXPLORER_URL}, SLO alerts get an "Open in Explorer" button.
 *
 * <p>When Prometheus is down, slow or answers an error, the message is sent without the value or
 * graph and with "metrics unavailable: …" instead; an incident without any query says "no query
 * to graph" once in its thread. Neither blocks or drops a message.
 *
 * <p>Metrics: {@code alertdesk_graph_render_seconds} (histogram),
 * {@code alertdesk_slack_uploads_total{outcome}}, {@code alertdesk_enrichment_degraded_total{reason}}
 * (messages sent without their context: {@code metrics_unavailable}, {@code no_data},
 * {@code no_query}), and the client's {@code alertdesk_prometheus_queries_total{outcome}}.
 */
public final class IncidentEnricher implements Enrichment {
  private static final Logger log = LoggerFactory.getLogger(IncidentEnricher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_RANGE = Duration.ofDays(8);

  private final IncidentRepository incidents;
  private final PrometheusDatasources prometheus;
  private final @Nullable String explorerUrl;
  /** Set once Slack refused an upload for lack of {@code files:write}: images go by URL. */
  private volatile boolean uploadsRefused;
  private final ChartRenderer renderer;
  private final ChartRepository charts;
  private final SlackGateway slack;
  private final GraphSettings settings;
  private final @Nullable String baseUrl;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Timer renderTimer;
  /** Incidents whose thread already says a scope is missing; the newest 10,000. */
  private final Map<Long, Boolean> scopeNoted = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
      return size() > 10_000;
    }
  };

  /**
   * @param incidents loads the incident of a job
   * @param prometheus chooses the Prometheus server of each alert
   * @param renderer draws graphs
   * @param charts stores rendered graphs
   * @param slack uploads graphs and posts notes
   * @param settings lookback, delivery mode and time zone
   * @param baseUrl the public URL of the service, required for
   *     {@link GraphSettings.ImageDelivery#URL}; else may be null
   * @param explorerUrl the autometrics Explorer ({@code EXPLORER_URL}), or null for no button
   * @param clock the source of "now"
   * @param metrics where the counters and the render histogram are registered
   */
  public IncidentEnricher(IncidentRepository incidents, PrometheusDatasources prometheus,
      ChartRenderer renderer, ChartRepository charts, SlackGateway slack, GraphSettings settings,
      @Nullable String baseUrl, @Nullable String explorerUrl, Clock clock, MeterRegistry metrics) {
    if (settings.imageDelivery() == GraphSettings.ImageDelivery.URL && baseUrl == null) {
      throw new IllegalArgumentException("image delivery by URL needs a base URL");
    }
    this.incidents = incidents;
    this.prometheus = prometheus;
    this.explorerUrl = explorerUrl;
    this.renderer = renderer;
    this.charts = charts;
    this.slack = slack;
    this.settings = settings;
    this.baseUrl = baseUrl;
    this.clock = clock;
    this.metrics = metrics;
    this.renderTimer = Timer.builder("alertdesk_graph_render")
        .description("Time to render one graph PNG")
        .publishPercentileHistogram()
        .register(metrics);
  }

  @Override
  public ParentContext parentContext(OutboxJob job) {
    try {
      Optional<Incident> found = incidents.find(job.incidentId())
          .map(IncidentRepository.IncidentDetail::incident);
      if (found.isEmpty()) {
        return ParentContext.NONE;
      }
      Incident incident = found.get();
      Optional<Chosen> chosen = choose(incident);
      String explorer = explorerUrl(incident);
      if (chosen.isEmpty()) {
        return new ParentContext(null, explorer, null, null);
      }
      String valueLine = valueLine(chosen.get(), incident);
      String imageUrl = null;
      if (byUrl()) {
        ChartKind kind = incident.status() == IncidentStatus.RESOLVED ? ChartKind.RESOLVED
            : ChartKind.FIRING;
        try {
          Drawn drawn = draw(incident, chosen.get(), kind, null);
          if (drawn.chart() != null) {
            imageUrl = imageUrl(drawn.chart());
          }
        } catch (PrometheusException e) {
          // the value line already says that metrics are unavailable
        }
      }
      return new ParentContext(valueLine, explorer, imageUrl,
          imageUrl == null ? null : altText(chosen.get()));
    } catch (RuntimeException e) {
      log.warn("could not enrich the parent message, sending it without context {}: {}",
          kv("incident_id", job.incidentId()), e.toString());
      return ParentContext.NONE;
    }
  }

  @Override
  public GraphResult graph(OutboxJob job, SlackMessageRef parent) {
    ChartKind kind = kindOf(job.intent().text("chart"));
    Optional<Incident> found = incidents.find(job.incidentId())
        .map(IncidentRepository.IncidentDetail::incident);
    if (found.isEmpty()) {
      return new GraphResult("none", SlackCallResult.delivered(null, null));
    }
    Incident incident = found.get();
    Optional<Chosen> chosen = choose(incident);
    if (chosen.isEmpty()) {
      if (kind == ChartKind.FIRING && incident.reopenCount() == 0) {
        degraded("no_query");
        return note(parent, ":information_source: No query to graph: the alerts carry no "
            + "`promql_query` or `graph_expr` annotation and no `generatorURL` with an expression.");
      }
      return new GraphResult("none", SlackCallResult.delivered(null, null));
    }
    Drawn drawn;
    try {
      drawn = draw(incident, chosen.get(), kind, job.id());
    } catch (PrometheusException e) {
      degraded("metrics_unavailable");
      log.warn("graph skipped, metrics unavailable {}: {}", kv("incident_id", job.incidentId()),
          e.getMessage());
      return note(parent, ":warning: metrics unavailable, no graph: " + escape(e.getMessage()));
    } catch (RuntimeException e) {
      degraded("render_failed");
      log.warn("graph could not be drawn {}: {}", kv("incident_id", job.incidentId()),
          e.toString());
      return note(parent, ":warning: Graph unavailable: it could not be drawn.");
    }
    StoredChart chart = drawn.chart();
    if (chart == null) {
      degraded("no_data");
      return note(parent, ":information_source: No data to graph for `"
          + escape(clip(drawn.expr(), 300)) + "` since "
          + Durations.humanize(lookback(chosen.get())) + " before the start.");
    }
    String comment = (kind == ChartKind.RESOLVED ? ":white_check_mark: Recovery: " : "")
        + (chosen.get().slo() != null ? escape(clip(drawn.caption(), 500))
            : "`" + escape(clip(chosen.get().query().seriesExpr(), 500)) + "`"
            + (chosen.get().query().threshold() != null
                ? " · " + thresholdWords(chosen.get()) : ""))
        + datasourceNote(chosen.get());
    if (byUrl()) {
      return postImage(parent, chart, chosen.get(), comment);
    }
    String title = incident.alertname() + " " + kind.wire();
    SlackCallResult result = slack.upload(parent.channelId(), parent.ts(),
        fileName(incident, kind), title, drawn.png(), clip(comment, 3000));
    metrics.counter("alertdesk_slack_uploads", "outcome",
        result.outcome().name().toLowerCase(Locale.ROOT)).increment();
    if (result.outcome() == DeliveryOutcome.FAILED && isMissingScope(result) && baseUrl != null) {
      uploadsRefused = true;
      log.warn("Slack refused the graph upload: the bot token lacks files:write; sending graphs "
          + "as image blocks from BASE_URL from now on {}", kv("incident_id", job.incidentId()));
      return postImage(parent, chart, chosen.get(), comment);
    }
    if (result.outcome() == DeliveryOutcome.FAILED && isMissingScope(result)
        && firstScopeNote(job.incidentId())) {
      // Said once per thread, in plain words; the failed job holds nothing back.
      String scope = result.neededScope() == null ? "files:write" : result.neededScope();
      return note(parent, ":warning: Graph not posted: the Slack app lacks the `"
          + escape(scope) + "` scope. Add it under *OAuth & Permissions* and reinstall the app"
          + ("files:write".equals(scope)
              ? ", or set `IMAGE_DELIVERY=url` with `BASE_URL` so graphs need no upload." : "."));
    }
    // Kept for the message preview: the comment and the uploaded image, served by this service.
    ObjectNode uploaded = JSON.createObjectNode();
    uploaded.put("text", clip(comment, 3000));
    ArrayNode blocks = uploaded.putArray("blocks");
    ObjectNode image = blocks.addObject();
    image.put("type", "image");
    image.put("image_url", "/api/charts/" + chart.id() + ".png");
    image.put("alt_text", clip(title, 2000));
    blocks.add(context(comment));
    return new GraphResult("files.uploadV2", result, uploaded.toString());
  }

  /** True for Slack's {@code missing_scope}, with or without the scope it names. */
  private static boolean isMissingScope(SlackCallResult result) {
    return result.neededScope() != null
        || (result.error() != null && result.error().startsWith("missing_scope"));
  }

  /** True the first time a missing-scope note is due in this incident's thread. */
  private boolean firstScopeNote(long incidentId) {
    synchronized (scopeNoted) {
      return scopeNoted.put(incidentId, Boolean.TRUE) == null;
    }
  }

  /** True when images go as image blocks: {@code IMAGE_DELIVERY=url}, or uploads refused. */
  private boolean byUrl() {
    return settings.imageDelivery() == GraphSettings.ImageDelivery.URL
        || (uploadsRefused && baseUrl != null);
  }

  private GraphResult postImage(SlackMessageRef parent, StoredChart chart, Chosen chosen,
      String comment) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("text", clip(comment, 3000));
    ArrayNode blocks = payload.putArray("blocks");
    blocks.add(image(chart, chosen));
    blocks.add(context(comment));
    return new GraphResult("chat.postMessage",
        slack.post(parent.channelId(), parent.ts(), payload.toString()), payload.toString());
  }

  /** " · datasource eu" when several datasources are configured, else empty. */
  private String datasourceNote(Chosen chosen) {
    return prometheus.several() ? " · datasource " + escape(chosen.source().name()) : "";
  }

  /**
   * The "Open in Explorer" button of an SLO alert, as the autometrics slack-app links it:
   * {@code EXPLORER_URL?prometheusUrl=…#/slos/{objective_name}/{successRate|latency}?from=…&to=…}
   * over the 6 h before the start; null without {@code EXPLORER_URL} or for other alerts.
   */
  private @Nullable String explorerUrl(Incident incident) {
    String base = explorerUrl;
    if (base == null) {
      return null;
    }
    Alert member = null;
    for (Alert a : incident.members()) {
      if (a.labels().get("sloth_slo") != null && a.labels().get("objective_name") != null
          && (member == null || (a.isFiring() && !member.isFiring()))) {
        member = a;
      }
    }
    if (member == null) {
      return null;
    }
    String slo = member.labels().get("sloth_slo");
    String objective = member.labels().get("objective_name");
    PrometheusClient source = prometheus.choose(member);
    String metric = slo.startsWith("success-rate-") ? "successRate"
        : slo.startsWith("latency-") ? "latency" : null;
    if (metric == null) {
      return null;
    }
    Instant to = incident.startedAt();
    Instant from = to.minus(Duration.ofHours(6));
    String url = base + "?prometheusUrl=" + urlEncode(source.url()) + "#/slos/" + urlEncode(objective) + "/" + metric + "?from="
        + urlEncode(from.toString()) + "&to=" + urlEncode(to.toString());
    return url;
  }

  private static String urlEncode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /** A graph rendered and stored (or, on a retried job, the one stored before). */
  /**
   * A graph rendered and stored (or, on a retried job, the one stored before), the query drawn,
   * and for SLO graphs their title.
   */
  private record Drawn(@Nullable StoredChart chart, byte[] png, String expr, String caption) {}

  /**
   * The query chosen for an incident, from this member, with its value format and the
   * datasource it runs on.
   */
  private record Chosen(AlertQuery query, Alert member, ValueFormat format,
      PrometheusClient source, @Nullable SloAlert slo) {}

  /**
   * The first firing member with a query, else any member with one; its {@code unit}
   * annotation (or the incident's common one) sets the value format.
   */
  private Optional<Chosen> choose(Incident incident) {
    List<Alert> ordered = new ArrayList<>(incident.members());
    ordered.sort(Comparator.comparing(a -> a.isFiring() ? 0 : 1));
    for (Alert a : ordered) {
      Optional<AlertQuery> q = AlertQuery.of(a);
      if (q.isPresent()) {
        String unit = a.annotations().get("unit");
        if (unit == null) {
          unit = incident.commonAnnotations().get("unit");
        }
        return Optional.of(new Chosen(q.get(), a, ValueFormat.forQuery(unit, q.get().seriesExpr()),
            prometheus.choose(a), SloAlert.of(a, q.get().expr()).orElse(null)));
      }
    }
    return Optional.empty();
  }

  /**
   * The threshold in words: "threshold 0.5", or for an equality rule ({@code up == 0}), which has
   * no threshold to cross, "alerts when = 0" (or "≠").
   */
  private static String thresholdWords(Chosen chosen) {
    return thresholdWords(chosen.query(), chosen.format());
  }

  static String thresholdWords(AlertQuery query, ValueFormat format) {
    Double threshold = query.threshold();
    String value = threshold == null ? "" : escape(format.apply(threshold));
    if (!query.isEquality()) {
      return "threshold " + value;
    }
    return "alerts when " + ("==".equals(query.comparison()) ? "= " : "≠ ") + value;
  }

  private String valueLine(Chosen chosen, Incident incident) {
    try {
      if (chosen.slo() != null) {
        return SloGraphs.summary(chosen.slo(), chosen.source()) + datasourceNote(chosen);
      }
      List<TimeSeries> now = chosen.source().query(chosen.query().seriesExpr());
      String threshold = chosen.query().threshold() == null ? ""
          : " (" + thresholdWords(chosen) + ")";
      if (now.isEmpty()) {
        degraded("no_data");
        return "Current value: no data" + threshold + datasourceNote(chosen);
      }
      TimeSeries own = bestMatch(now, chosen.member().labels().values());
      double[] v = own.values();
      return "Current value: " + formatted(chosen, v[v.length - 1]) + threshold
          + datasourceNote(chosen);
    } catch (PrometheusException e) {
      degraded("metrics_unavailable");
      log.warn("current value unavailable {}: {}", kv("incident_id", incident.id()),
          e.getMessage());
      return ":warning: metrics unavailable: " + escape(e.getMessage()) + datasourceNote(chosen);
    }
  }

  /**
   * Formats a value for mrkdwn: the {@code unit} annotation is appended as text, so it is
   * escaped here; a unit of {@code <!channel>} must not ping anyone.
   */
  private static String formatted(Chosen chosen, double value) {
    return escape(chosen.format().apply(value));
  }

  /**
   * Returns the series whose labels all agree with the alert's labels (the one agreeing on the
   * most), else the first.
   */
  static TimeSeries bestMatch(List<TimeSeries> series, Map<String, String> alertLabels) {
    TimeSeries best = series.get(0);
    int bestScore = -1;
    for (TimeSeries s : series) {
      int score = 0;
      boolean agrees = true;
      for (Map.Entry<String, String> l : s.labels().entrySet()) {
        if (l.getKey().equals("__name__")) {
          continue;
        }
        String mine = alertLabels.get(l.getKey());
        if (mine == null || !mine.equals(l.getValue())) {
          agrees = false;
          break;
        }
        score++;
      }
      if (agrees && score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    return best;
  }

  /**
   * Returns true when every label of {@code series} (but {@code __name__}) has the alert's value
   * and there is at least one: the series is the alert's own, drawn highlighted.
   */
  static boolean ownSeries(TimeSeries series, Map<String, String> alertLabels) {
    int agreeing = 0;
    for (Map.Entry<String, String> l : series.labels().entrySet()) {
      if (l.getKey().equals("__name__")) {
        continue;
      }
      if (!l.getValue().equals(alertLabels.get(l.getKey()))) {
        return false;
      }
      agreeing++;
    }
    return agreeing > 0;
  }

  /** Queries, renders and stores the graph; a retried job reuses the PNG it stored before. */
  private Drawn draw(Incident incident, Chosen chosen, ChartKind kind, @Nullable Long outboxId) {
    if (outboxId != null) {
      Optional<StoredChart> earlier = charts.forOutboxJob(outboxId);
      if (earlier.isPresent()) {
        Optional<Path> file = charts.file(earlier.get().id());
        if (file.isPresent()) {
          try {
            return new Drawn(earlier.get(), Files.readAllBytes(file.get()), earlier.get().query(),
                chosen.slo() == null ? "" : SloGraphs.title(chosen.slo(), null));
          } catch (IOException e) {
            // render again
          }
        }
      }
    }
    Instant now = clock.instant();
    Instant from = incident.startedAt().minus(lookback(chosen));
    if (from.isBefore(now.minus(MAX_RANGE))) {
      from = now.minus(MAX_RANGE);
    }
    Instant to = now.isAfter(from.plusSeconds(60)) ? now : from.plusSeconds(60);
    String expr = chosen.query().seriesExpr();
    String resolved = kind == ChartKind.RESOLVED ? " (resolved)" : "";
    String title = incident.alertname() + resolved + " · " + oneLine(expr);
    Double threshold = chosen.query().threshold();
    DoubleFunction<String> format = chosen.format();
    List<TimeSeries> series;
    if (chosen.slo() != null) {
      SloGraphs.Plot plot = SloGraphs.plot(chosen.slo(), chosen.source(), from, to);
      Instant shorter = incident.startedAt().minus(settings.lookback());
      if (mostSamples(plot.series()) < 3 && shorter.isAfter(from)) {
        // Data younger than a few steps of the 6 h range (a new service, a new Prometheus):
        // the configured lookback has finer steps.
        from = shorter;
        to = now.isAfter(from.plusSeconds(60)) ? now : from.plusSeconds(60);
        plot = SloGraphs.plot(chosen.slo(), chosen.source(), from, to);
      }
      expr = plot.expr();
      title = plot.title() + resolved;
      threshold = plot.threshold();
      format = plot.format();
      series = new ArrayList<>(plot.series());
    } else {
      series = new ArrayList<>(chosen.source().queryRange(expr, from, to));
    }
    if (series.isEmpty()) {
      return new Drawn(null, new byte[0], expr, title);
    }
    Map<String, String> own = chosen.member().labels().values();
    TimeSeries first = bestMatch(series, own);
    series.remove(first);
    series.add(0, first);
    List<TimeSeries> thresholdSeries = List.of();
    if (chosen.slo() == null && chosen.query().thresholdExpr() != null
        && chosen.query().threshold() == null) {
      try {
        thresholdSeries = chosen.source().queryRange(chosen.query().thresholdExpr(), from, to);
      } catch (PrometheusException e) {
        log.debug("threshold series unavailable: {}", e.getMessage());
      }
    }
    // Start the time axis at the first sample when the data begins later (a new series, or a
    // Prometheus that started recently), so the graph is not mostly empty.
    long firstSample = Long.MAX_VALUE;
    for (TimeSeries s : series) {
      long[] t = s.timesMillis();
      if (t.length > 0) {
        firstSample = Math.min(firstSample, t[0]);
      }
    }
    if (firstSample != Long.MAX_VALUE && Instant.ofEpochMilli(firstSample).isAfter(from)) {
      Instant dataStart = Instant.ofEpochMilli(firstSample);
      from = dataStart.isBefore(to.minusSeconds(60)) ? dataStart : to.minusSeconds(60);
    }
    ChartSpec spec = new ChartSpec(
        title + (prometheus.several() ? " · datasource " + chosen.source().name() : ""),
        series, thresholdSeries, threshold, incident.startedAt(),
        incident.status() == IncidentStatus.RESOLVED ? incident.endedAt() : null,
        from, to, settings.timeZone(), format, ownSeries(first, own) ? 0 : -1);
    ChartRenderer.RenderedChart rendered = renderTimer.record(() -> renderer.render(spec));
    StoredChart chart = charts.save(incident.id() == null ? 0 : incident.id(), kind, outboxId,
        expr, rendered.png());
    return new Drawn(chart, rendered.png(), expr, title);
  }

  /** The largest number of samples of any one series. */
  private static int mostSamples(List<TimeSeries> series) {
    int most = 0;
    for (TimeSeries s : series) {
      most = Math.max(most, s.values().length);
    }
    return most;
  }

  /** How far before the start a graph begins: at least 6 h for SLO graphs. */
  private Duration lookback(Chosen chosen) {
    return chosen.slo() != null ? SloGraphs.lookback(settings.lookback()) : settings.lookback();
  }

  private GraphResult note(SlackMessageRef parent, String text) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("text", clip(text, 3000));
    payload.putArray("blocks").add(context(text));
    return new GraphResult("chat.postMessage",
        slack.post(parent.channelId(), parent.ts(), payload.toString()), payload.toString());
  }

  private ObjectNode image(StoredChart chart, Chosen chosen) {
    ObjectNode image = JSON.createObjectNode();
    image.put("type", "image");
    image.put("image_url", imageUrl(chart));
    image.put("alt_text", clip(altText(chosen), 2000));
    return image;
  }

  /** {@code BASE_URL/api/charts/{id}.png}: the stored chart, served by this service. */
  private String imageUrl(StoredChart chart) {
    return baseUrl + "/api/charts/" + chart.id() + ".png";
  }

  private static String altText(Chosen chosen) {
    return "graph of " + oneLine(chosen.query().seriesExpr());
  }

  private static ObjectNode context(String mrkdwn) {
    ObjectNode block = JSON.createObjectNode();
    block.put("type", "context");
    ObjectNode text = block.putArray("elements").addObject();
    text.put("type", "mrkdwn");
    text.put("text", clip(mrkdwn, 3000));
    return block;
  }

  private static ChartKind kindOf(@Nullable String chart) {
    try {
      return chart == null ? ChartKind.FIRING : ChartKind.fromWire(chart);
    } catch (IllegalArgumentException e) {
      return ChartKind.FIRING;
    }
  }

  private static String fileName(Incident incident, ChartKind kind) {
    String name = incident.alertname().replaceAll("[^A-Za-z0-9_.-]", "_");
    return clip(name, 60) + "-" + kind.wire() + ".png";
  }

  private void degraded(String reason) {
    metrics.counter("alertdesk_enrichment_degraded", "reason", reason).increment();
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  /** Escapes Slack's control characters {@code & < >} (docs.slack.dev, "Formatting text"). */
  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
