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
import dev.alertdesk.graph.TimeSeries;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.incident.IncidentRepository.SlackMessageRef;
import dev.alertdesk.incident.IncidentStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Enrichment} the outbox worker applies: "Current value: 0.87 (threshold 0.5)" on the
 * parent message, and a graph of the alert's own query in the thread (when it fires, and once
 * more showing the recovery when it resolves). The graph is the chart {@link IncidentCharts}
 * stored for the incident whether Slack is on or off (rendered on demand, once, when the
 * enrichment worker has not reached it yet). The query is chosen by {@link AlertQuery} from
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
 * <p>Metrics: {@code alertdesk_slack_uploads_total{outcome}},
 * {@code alertdesk_enrichment_degraded_total{reason}} for a parent's value line sent without the
 * value ({@code metrics_unavailable}, {@code no_data}; the graphs are counted by
 * {@link IncidentCharts}), and the client's {@code alertdesk_prometheus_queries_total{outcome}}.
 */
public final class IncidentEnricher implements Enrichment {
  private static final Logger log = LoggerFactory.getLogger(IncidentEnricher.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final IncidentLookup incidents;
  private final IncidentCharts charts;
  private final @Nullable String explorerUrl;
  /** Set once Slack refused an upload for lack of {@code files:write}: images go by URL. */
  private volatile boolean uploadsRefused;
  private final SlackGateway slack;
  private final GraphSettings settings;
  private final @Nullable String baseUrl;
  private final MeterRegistry metrics;
  /** Incidents whose thread already says a scope is missing; the newest 10,000. */
  private final Map<Long, Boolean> scopeNoted = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
      return size() > 10_000;
    }
  };

  /**
   * @param incidents loads the incident of a job
   * @param charts chooses the query, computes the value line, and renders or reuses the stored
   *     chart of each incident
   * @param slack uploads graphs and posts notes
   * @param settings lookback and delivery mode
   * @param baseUrl the public URL of the service, required for
   *     {@link GraphSettings.ImageDelivery#URL}; else may be null
   * @param explorerUrl the autometrics Explorer ({@code EXPLORER_URL}), or null for no button
   * @param metrics where the upload counter is registered
   */
  public IncidentEnricher(IncidentLookup incidents, IncidentCharts charts, SlackGateway slack,
      GraphSettings settings, @Nullable String baseUrl, @Nullable String explorerUrl,
      MeterRegistry metrics) {
    if (settings.imageDelivery() == GraphSettings.ImageDelivery.URL && baseUrl == null) {
      throw new IllegalArgumentException("image delivery by URL needs a base URL");
    }
    this.incidents = incidents;
    this.charts = charts;
    this.explorerUrl = explorerUrl;
    this.slack = slack;
    this.settings = settings;
    this.baseUrl = baseUrl;
    this.metrics = metrics;
  }

  @Override
  public ParentContext parentContext(OutboxJob job) {
    try {
      Optional<Incident> found = incidents.incident(job.incidentId());
      if (found.isEmpty()) {
        return ParentContext.NONE;
      }
      Incident incident = found.get();
      Optional<IncidentCharts.Chosen> chosen = charts.choose(incident);
      String explorer = explorerUrl(incident);
      if (chosen.isEmpty()) {
        return new ParentContext(null, explorer, null, null);
      }
      String valueLine = charts.valueLine(chosen.get(), incident);
      String imageUrl = null;
      if (byUrl()) {
        ChartKind kind = incident.status() == IncidentStatus.RESOLVED ? ChartKind.RESOLVED
            : ChartKind.FIRING;
        // The stored chart of this incident, rendered now if the enrichment worker has not yet.
        if (charts.chart(incident, kind) instanceof IncidentCharts.Ready ready) {
          imageUrl = imageUrl(ready.chartId());
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
    Optional<Incident> found = incidents.incident(job.incidentId());
    if (found.isEmpty()) {
      return new GraphResult("none", SlackCallResult.delivered(null, null));
    }
    Incident incident = found.get();
    Optional<IncidentCharts.Chosen> chosen = charts.choose(incident);
    if (chosen.isEmpty()) {
      // Counted as no_query by the enrichment job of the incident, said here once per thread.
      if (kind == ChartKind.FIRING && incident.reopenCount() == 0) {
        return note(parent, ":information_source: No query to graph: the alerts carry no "
            + "`promql_query` or `graph_expr` annotation and no `generatorURL` with an expression.");
      }
      return new GraphResult("none", SlackCallResult.delivered(null, null));
    }
    // The chart the enrichment job stored (rendered now if it has not run yet): never twice.
    IncidentCharts.Chart stored = charts.chart(incident, kind);
    if (stored instanceof IncidentCharts.Busy) {
      return new GraphResult("none", SlackCallResult.failure(DeliveryOutcome.RETRY,
          "the graph is still being rendered"));
    }
    if (stored instanceof IncidentCharts.Missing missing) {
      return switch (missing.reason()) {
        case "no_data" -> note(parent, ":information_source: No data to graph for `"
            + escape(clip(chosen.get().query().seriesExpr(), 300)) + "` since "
            + Durations.humanize(charts.lookback(chosen.get())) + " before the start.");
        case "metrics_unavailable" -> note(parent, ":warning: metrics unavailable, no graph: "
            + escape(missing.note().replaceFirst("^metrics unavailable: ", "")));
        default -> note(parent, ":warning: Graph unavailable: it could not be drawn.");
      };
    }
    IncidentCharts.Ready chart = (IncidentCharts.Ready) stored;
    String comment = (kind == ChartKind.RESOLVED ? ":white_check_mark: Recovery: " : "")
        + (chosen.get().slo() != null ? escape(clip(chart.caption(), 500))
            : "`" + escape(clip(chosen.get().query().seriesExpr(), 500)) + "`"
            + (chosen.get().query().threshold() != null
                ? " · " + IncidentCharts.thresholdWords(chosen.get()) : ""))
        + charts.datasourceNote(chosen.get());
    if (byUrl()) {
      return postImage(parent, chart.chartId(), chosen.get(), comment);
    }
    String title = incident.alertname() + " " + kind.wire();
    SlackCallResult result = slack.upload(parent.channelId(), parent.ts(),
        fileName(incident, kind), title, chart.png(), clip(comment, 3000));
    metrics.counter("alertdesk_slack_uploads", "outcome",
        result.outcome().name().toLowerCase(Locale.ROOT)).increment();
    if (result.outcome() == DeliveryOutcome.FAILED && isMissingScope(result) && baseUrl != null) {
      uploadsRefused = true;
      log.warn("Slack refused the graph upload: the bot token lacks files:write; sending graphs "
          + "as image blocks from BASE_URL from now on {}", kv("incident_id", job.incidentId()));
      return postImage(parent, chart.chartId(), chosen.get(), comment);
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
    image.put("image_url", "/api/charts/" + chart.chartId() + ".png");
    image.put("alt_text", clip(title, 2000));
    blocks.add(context(comment));
    return new GraphResult("files.uploadV2", result, uploaded.toString());
  }

  /** As {@link IncidentCharts#bestMatch}. */
  static TimeSeries bestMatch(List<TimeSeries> series, Map<String, String> alertLabels) {
    return IncidentCharts.bestMatch(series, alertLabels);
  }

  /** As {@link IncidentCharts#thresholdWords(AlertQuery, ValueFormat)}. */
  static String thresholdWords(AlertQuery query, ValueFormat format) {
    return IncidentCharts.thresholdWords(query, format);
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

  private GraphResult postImage(SlackMessageRef parent, String chartId,
      IncidentCharts.Chosen chosen, String comment) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("text", clip(comment, 3000));
    ArrayNode blocks = payload.putArray("blocks");
    blocks.add(image(chartId, chosen));
    blocks.add(context(comment));
    return new GraphResult("chat.postMessage",
        slack.post(parent.channelId(), parent.ts(), payload.toString()), payload.toString());
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
    PrometheusClient source = charts.datasourceOf(member);
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
  private GraphResult note(SlackMessageRef parent, String text) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("text", clip(text, 3000));
    payload.putArray("blocks").add(context(text));
    return new GraphResult("chat.postMessage",
        slack.post(parent.channelId(), parent.ts(), payload.toString()), payload.toString());
  }

  private ObjectNode image(String chartId, IncidentCharts.Chosen chosen) {
    ObjectNode image = JSON.createObjectNode();
    image.put("type", "image");
    image.put("image_url", imageUrl(chartId));
    image.put("alt_text", clip(altText(chosen), 2000));
    return image;
  }

  /** {@code BASE_URL/api/charts/{id}.png}: the stored chart, served by this service. */
  private String imageUrl(String chartId) {
    return baseUrl + "/api/charts/" + chartId + ".png";
  }

  private static String altText(IncidentCharts.Chosen chosen) {
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
