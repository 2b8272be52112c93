package dev.alertdesk.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.config.Durations;
import dev.alertdesk.config.GraphSettings;
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
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Enrichment} the outbox worker applies: "Current value: 0.87 (threshold 0.5)" on the
 * parent message, and a graph of the alert's own query in the thread (when it fires, and once
 * more showing the recovery when it resolves). The query is chosen by {@link AlertQuery} from
 * the first firing member that has one; only {@code PROMETHEUS_URL} is queried.
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
  private static final int MAX_BLOCKS = 50;
  private static final Duration MAX_RANGE = Duration.ofDays(8);

  private final IncidentRepository incidents;
  private final PrometheusClient prometheus;
  private final ChartRenderer renderer;
  private final ChartRepository charts;
  private final SlackGateway slack;
  private final GraphSettings settings;
  private final @Nullable String baseUrl;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Timer renderTimer;

  /**
   * @param incidents loads the incident of a job
   * @param prometheus queries {@code PROMETHEUS_URL}
   * @param renderer draws graphs
   * @param charts stores rendered graphs
   * @param slack uploads graphs and posts notes
   * @param settings lookback, delivery mode and time zone
   * @param baseUrl the public URL of the service, required for
   *     {@link GraphSettings.ImageDelivery#URL}; else may be null
   * @param clock the source of "now"
   * @param metrics where the counters and the render histogram are registered
   */
  public IncidentEnricher(IncidentRepository incidents, PrometheusClient prometheus,
      ChartRenderer renderer, ChartRepository charts, SlackGateway slack, GraphSettings settings,
      @Nullable String baseUrl, Clock clock, MeterRegistry metrics) {
    if (settings.imageDelivery() == GraphSettings.ImageDelivery.URL && baseUrl == null) {
      throw new IllegalArgumentException("image delivery by URL needs a base URL");
    }
    this.incidents = incidents;
    this.prometheus = prometheus;
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
  public String parentPayload(OutboxJob job) {
    try {
      Optional<Incident> found = incidents.find(job.incidentId())
          .map(IncidentRepository.IncidentDetail::incident);
      if (found.isEmpty()) {
        return job.payloadJson();
      }
      Incident incident = found.get();
      Optional<Chosen> chosen = choose(incident);
      if (chosen.isEmpty()) {
        return job.payloadJson();
      }
      List<ObjectNode> blocks = new ArrayList<>();
      blocks.add(context(valueLine(chosen.get(), incident)));
      if (settings.imageDelivery() == GraphSettings.ImageDelivery.URL) {
        ChartKind kind = incident.status() == IncidentStatus.RESOLVED ? ChartKind.RESOLVED
            : ChartKind.FIRING;
        try {
          Drawn drawn = draw(incident, chosen.get(), kind, null);
          if (drawn.chart() != null) {
            blocks.add(image(drawn.chart(), chosen.get()));
          }
        } catch (PrometheusException e) {
          // the value line already says that metrics are unavailable
        }
      }
      return insertBlocks(job.payloadJson(), blocks);
    } catch (RuntimeException e) {
      log.warn("could not enrich the parent message, sending it without context incident_id={}: {}",
          job.incidentId(), e.toString());
      return job.payloadJson();
    }
  }

  @Override
  public GraphResult graph(OutboxJob job, SlackMessageRef parent) {
    ChartKind kind = kindOf(job.payloadJson());
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
      log.warn("graph skipped, metrics unavailable incident_id={}: {}", job.incidentId(),
          e.getMessage());
      return note(parent, ":warning: metrics unavailable, no graph: " + escape(e.getMessage()));
    } catch (RuntimeException e) {
      degraded("render_failed");
      log.warn("graph could not be drawn incident_id={}: {}", job.incidentId(), e.toString());
      return note(parent, ":warning: Graph unavailable: it could not be drawn.");
    }
    StoredChart chart = drawn.chart();
    if (chart == null) {
      degraded("no_data");
      return note(parent, ":information_source: No data to graph for `"
          + escape(clip(chosen.get().query().seriesExpr(), 300)) + "` since "
          + Durations.humanize(settings.lookback()) + " before the start.");
    }
    String comment = (kind == ChartKind.RESOLVED ? ":white_check_mark: Recovery: " : "")
        + "`" + escape(clip(chosen.get().query().seriesExpr(), 500)) + "`"
        + (chosen.get().query().threshold() != null
            ? " · threshold " + formatted(chosen.get(), chosen.get().query().threshold())
            : "");
    if (settings.imageDelivery() == GraphSettings.ImageDelivery.URL) {
      ObjectNode payload = JSON.createObjectNode();
      payload.put("text", clip(comment, 3000));
      ArrayNode blocks = payload.putArray("blocks");
      blocks.add(image(chart, chosen.get()));
      blocks.add(context(comment));
      return new GraphResult("chat.postMessage",
          slack.post(parent.channelId(), parent.ts(), payload.toString()));
    }
    String title = incident.alertname() + " " + kind.wire();
    SlackCallResult result = slack.upload(parent.channelId(), parent.ts(),
        fileName(incident, kind), title, drawn.png(), clip(comment, 3000));
    metrics.counter("alertdesk_slack_uploads", "outcome",
        result.outcome().name().toLowerCase(Locale.ROOT)).increment();
    return new GraphResult("files.uploadV2", result);
  }

  /** A graph rendered and stored (or, on a retried job, the one stored before). */
  private record Drawn(@Nullable StoredChart chart, byte[] png) {}

  /** The query chosen for an incident, from this member, with its value format. */
  private record Chosen(AlertQuery query, Alert member, ValueFormat format) {}

  /**
   * The first firing member with a query, else any member with one; its {@code unit}
   * annotation (or the incident's common one) sets the value format.
   */
  static Optional<Chosen> choose(Incident incident) {
    List<Alert> ordered = new ArrayList<>(incident.members());
    ordered.sort(Comparator.comparing(a -> a.isFiring() ? 0 : 1));
    for (Alert a : ordered) {
      Optional<AlertQuery> q = AlertQuery.of(a);
      if (q.isPresent()) {
        String unit = a.annotations().get("unit");
        if (unit == null) {
          unit = incident.commonAnnotations().get("unit");
        }
        return Optional.of(new Chosen(q.get(), a, ValueFormat.forQuery(unit, q.get().seriesExpr())));
      }
    }
    return Optional.empty();
  }

  private String valueLine(Chosen chosen, Incident incident) {
    try {
      List<TimeSeries> now = prometheus.query(chosen.query().seriesExpr());
      String threshold = chosen.query().threshold() == null ? ""
          : " (threshold " + formatted(chosen, chosen.query().threshold()) + ")";
      if (now.isEmpty()) {
        degraded("no_data");
        return "Current value: no data" + threshold;
      }
      TimeSeries own = bestMatch(now, chosen.member().labels().values());
      double[] v = own.values();
      return "Current value: " + formatted(chosen, v[v.length - 1]) + threshold;
    } catch (PrometheusException e) {
      degraded("metrics_unavailable");
      log.warn("current value unavailable incident_id={}: {}", incident.id(), e.getMessage());
      return ":warning: metrics unavailable: " + escape(e.getMessage());
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

  /** Queries, renders and stores the graph; a retried job reuses the PNG it stored before. */
  private Drawn draw(Incident incident, Chosen chosen, ChartKind kind, @Nullable Long outboxId) {
    if (outboxId != null) {
      Optional<StoredChart> earlier = charts.forOutboxJob(outboxId);
      if (earlier.isPresent()) {
        Optional<Path> file = charts.file(earlier.get().id());
        if (file.isPresent()) {
          try {
            return new Drawn(earlier.get(), Files.readAllBytes(file.get()));
          } catch (IOException e) {
            // render again
          }
        }
      }
    }
    Instant now = clock.instant();
    Instant from = incident.startedAt().minus(settings.lookback());
    if (from.isBefore(now.minus(MAX_RANGE))) {
      from = now.minus(MAX_RANGE);
    }
    Instant to = now.isAfter(from.plusSeconds(60)) ? now : from.plusSeconds(60);
    List<TimeSeries> series = new ArrayList<>(
        prometheus.queryRange(chosen.query().seriesExpr(), from, to));
    if (series.isEmpty()) {
      return new Drawn(null, new byte[0]);
    }
    Map<String, String> own = chosen.member().labels().values();
    TimeSeries first = bestMatch(series, own);
    series.remove(first);
    series.add(0, first);
    List<TimeSeries> thresholdSeries = List.of();
    if (chosen.query().thresholdExpr() != null && chosen.query().threshold() == null) {
      try {
        thresholdSeries = prometheus.queryRange(chosen.query().thresholdExpr(), from, to);
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
        incident.alertname() + (kind == ChartKind.RESOLVED ? " (resolved)" : "") + " · "
            + oneLine(chosen.query().seriesExpr()),
        series, thresholdSeries, chosen.query().threshold(), incident.startedAt(),
        incident.status() == IncidentStatus.RESOLVED ? incident.endedAt() : null,
        from, to, settings.timeZone(), chosen.format());
    ChartRenderer.RenderedChart rendered = renderTimer.record(() -> renderer.render(spec));
    StoredChart chart = charts.save(incident.id() == null ? 0 : incident.id(), kind, outboxId,
        chosen.query().seriesExpr(), rendered.png());
    return new Drawn(chart, rendered.png());
  }

  private GraphResult note(SlackMessageRef parent, String text) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("text", clip(text, 3000));
    payload.putArray("blocks").add(context(text));
    return new GraphResult("chat.postMessage",
        slack.post(parent.channelId(), parent.ts(), payload.toString()));
  }

  private ObjectNode image(StoredChart chart, Chosen chosen) {
    ObjectNode image = JSON.createObjectNode();
    image.put("type", "image");
    image.put("image_url", baseUrl + "/api/charts/" + chart.id() + ".png");
    image.put("alt_text", clip("graph of " + oneLine(chosen.query().seriesExpr()), 2000));
    return image;
  }

  /** Inserts blocks before the parent's closing context block ("Incident #…"), within limits. */
  static String insertBlocks(String payloadJson, List<ObjectNode> extra) {
    try {
      JsonNode root = JSON.readTree(payloadJson);
      if (!(root instanceof ObjectNode payload)) {
        return payloadJson;
      }
      ArrayNode blocks = null;
      JsonNode attachments = payload.get("attachments");
      if (attachments instanceof ArrayNode a && !a.isEmpty() && a.get(0).get("blocks") instanceof ArrayNode b) {
        blocks = b;
      } else if (payload.get("blocks") instanceof ArrayNode b) {
        blocks = b;
      }
      if (blocks == null) {
        return payloadJson;
      }
      int at = Math.max(0, blocks.size() - 1);
      for (ObjectNode block : extra) {
        if (blocks.size() >= MAX_BLOCKS) {
          break;
        }
        blocks.insert(at++, block);
      }
      return JSON.writeValueAsString(payload);
    } catch (IOException e) {
      return payloadJson;
    }
  }

  private static ObjectNode context(String mrkdwn) {
    ObjectNode block = JSON.createObjectNode();
    block.put("type", "context");
    ObjectNode text = block.putArray("elements").addObject();
    text.put("type", "mrkdwn");
    text.put("text", clip(mrkdwn, 3000));
    return block;
  }

  private static ChartKind kindOf(String payloadJson) {
    try {
      return ChartKind.fromWire(JSON.readTree(payloadJson).path("chart").asText("firing"));
    } catch (IOException | IllegalArgumentException e) {
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
