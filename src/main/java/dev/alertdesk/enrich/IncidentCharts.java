package dev.alertdesk.enrich;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.config.GraphSettings;
import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.graph.ChartRenderer;
import dev.alertdesk.graph.ChartRepository;
import dev.alertdesk.graph.ChartSpec;
import dev.alertdesk.graph.StoredChart;
import dev.alertdesk.graph.TimeSeries;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.StorageException;
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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.DoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders and stores an incident's enrichment, with or without Slack: the value line ("Current
 * value: 0.87 (threshold 0.5)") and the chart of the alert's own query, chosen by
 * {@link AlertQuery} from the first firing member that has one and run on the datasource
 * {@link PrometheusDatasources} chooses for it (SLO alerts get their SLO chart, {@link SloGraphs}).
 * Each {@link EnrichmentJob} (incident, chart kind, episode) is rendered once: by the
 * {@link EnrichmentWorker} soon after the ingest transaction wrote it, or on demand by a Slack
 * graph upload that needs it first ({@link #chart}). Whoever claims the job renders; the other
 * waits for its result.
 *
 * <p>When Prometheus is down, slow or answers an error, the job is retried after 5 s, doubling to
 * at most 5 min, {@value #MAX_ATTEMPTS} attempts in all; meanwhile and after, the job says
 * "metrics unavailable". An incident without a query, or a query without data, finishes degraded
 * with a note. Notes are plain text; the value line is Slack mrkdwn, escaped.
 *
 * <p>Metrics: {@code alertdesk_graph_render_seconds} (histogram),
 * {@code alertdesk_enrichment_degraded_total{reason}} (an enrichment stored, or a message sent,
 * without its context: {@code metrics_unavailable}, {@code no_data}, {@code no_query} (once per
 * incident), {@code render_failed}).
 */
public final class IncidentCharts {
  private static final Logger log = LoggerFactory.getLogger(IncidentCharts.class);

  /** Renders tried before a job is given up as "metrics unavailable". */
  public static final int MAX_ATTEMPTS = 8;
  /** How long a claim holds a job; longer than a render with its Prometheus timeouts. */
  static final Duration LEASE = Duration.ofMinutes(2);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
  private static final Duration MAX_RETRY = Duration.ofMinutes(5);
  private static final Duration MAX_RANGE = Duration.ofDays(8);
  /** The note of an incident whose alerts carry no query. */
  static final String NO_QUERY_NOTE = "No query to graph: the alerts carry no promql_query or "
      + "graph_expr annotation and no generatorURL with an expression.";

  private final IncidentLookup incidents;
  private final PrometheusDatasources prometheus;
  private final ChartRenderer renderer;
  private final ChartRepository charts;
  private final EnrichmentJobs jobs;
  private final GraphSettings settings;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Timer renderTimer;
  private final Duration waitForOther;
  private final String claimant = "enrich-" + UUID.randomUUID();

  /**
   * @param incidents loads the incident of a job
   * @param prometheus chooses the Prometheus server of each alert
   * @param renderer draws graphs
   * @param charts stores rendered graphs
   * @param jobs the enrichment jobs
   * @param settings lookback and time zone
   * @param clock the source of "now"
   * @param metrics where the degraded counter and the render histogram are registered
   */
  public IncidentCharts(IncidentLookup incidents, PrometheusDatasources prometheus,
      ChartRenderer renderer, ChartRepository charts, EnrichmentJobs jobs, GraphSettings settings,
      Clock clock, MeterRegistry metrics) {
    this(incidents, prometheus, renderer, charts, jobs, settings, clock, metrics,
        Duration.ofSeconds(15));
  }

  IncidentCharts(IncidentLookup incidents, PrometheusDatasources prometheus,
      ChartRenderer renderer, ChartRepository charts, EnrichmentJobs jobs, GraphSettings settings,
      Clock clock, MeterRegistry metrics, Duration waitForOther) {
    this.incidents = incidents;
    this.prometheus = prometheus;
    this.renderer = renderer;
    this.charts = charts;
    this.jobs = jobs;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
    this.waitForOther = waitForOther;
    this.renderTimer = Timer.builder("alertdesk_graph_render")
        .description("Time to render one graph PNG")
        .publishPercentileHistogram()
        .register(metrics);
  }

  /** The chart of an incident as a Slack upload needs it. */
  sealed interface Chart permits Ready, Missing, Busy {}

  /**
   * A stored chart.
   *
   * @param chartId its id, as in {@code /api/charts/{id}.png}
   * @param png the PNG
   * @param caption what it shows: the SLO title of an SLO chart, else the query
   */
  record Ready(String chartId, byte[] png, String caption) implements Chart {}

  /**
   * No chart: {@code reason} is {@code no_query}, {@code no_data}, {@code metrics_unavailable} or
   * {@code render_failed}; {@code note} says it in plain text (unescaped).
   */
  record Missing(String reason, String note) implements Chart {}

  /** Another worker holds the job and did not finish within the wait: ask again later. */
  record Busy() implements Chart {}

  /**
   * Returns the chart of {@code incident} of this kind for its current episode, rendering it now
   * when no one has yet (the job is written if missing), or waiting up to 15 s for another worker
   * that is rendering it. Never renders a chart that is stored already.
   *
   * @throws StorageException when the database fails
   */
  Chart chart(Incident incident, ChartKind kind) {
    long incidentId = incident.id() == null ? 0 : incident.id();
    EnrichmentJob job = jobs.findOrCreate(incidentId, kind, incident.reopenCount(),
        clock.instant());
    long waitUntil = System.nanoTime() + waitForOther.toNanos();
    boolean ranHere = false;
    while (true) {
      switch (job.status()) {
        case DONE -> {
          return stored(job);
        }
        case DEGRADED -> {
          return new Missing(String.valueOf(job.degradedReason()), String.valueOf(job.note()));
        }
        case PENDING -> {
          if (ranHere) {
            // Rendered here and due again later: say why now, the job retries on its own.
            return new Missing(String.valueOf(job.degradedReason()), String.valueOf(job.note()));
          }
          if (jobs.claim(job.id(), clock.instant(), LEASE, claimant)) {
            run(job);
            ranHere = true;
          } else if (System.nanoTime() - waitUntil > 0) {
            return new Busy();
          } else {
            try {
              Thread.sleep(100);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return new Busy();
            }
          }
          long id = job.id();
          job = jobs.find(id).orElseThrow(() -> new IllegalStateException(
              "enrichment job " + id + " vanished"));
        }
      }
    }
  }

  /**
   * An incident's graph and value line as a delivery target other than Slack shows them (the
   * e-mail's inline graph).
   *
   * @param png the stored chart, or null when there is none (see {@code note}) or it is still
   *     being rendered elsewhere ({@code busy})
   * @param caption what the chart shows (the SLO title, else the query); empty when none
   * @param valueLine "Current value: 42 (threshold 10)" in Slack mrkdwn (escaped), or null
   * @param note why there is no chart, in plain text; null when there is one or it is busy
   * @param busy true when another worker is rendering it and did not finish within 15 s
   */
  public record Graph(byte @Nullable [] png, String caption, @Nullable String valueLine,
      @Nullable String note, boolean busy) {}

  /**
   * Returns the incident's chart of this kind for its current episode with its value line, as
   * Slack's upload gets it: the stored one, else rendered now (or waited for up to 15 s while
   * another worker renders it).
   *
   * @param incident the incident, with its id
   * @param kind {@link ChartKind#FIRING} or {@link ChartKind#RESOLVED}
   * @throws StorageException when the database fails
   */
  public Graph graph(Incident incident, ChartKind kind) {
    Chart chart = chart(incident, kind);
    long incidentId = incident.id() == null ? 0 : incident.id();
    String valueLine = jobs.findOrCreate(incidentId, kind, incident.reopenCount(),
        clock.instant()).valueLine();
    if (chart instanceof Ready r) {
      return new Graph(r.png(), r.caption(), valueLine, null, false);
    }
    if (chart instanceof Missing m) {
      return new Graph(null, "", valueLine, m.note(), false);
    }
    return new Graph(null, "", valueLine, null, true);
  }

  private Chart stored(EnrichmentJob job) {
    String chartId = job.chartId();
    Optional<Path> file = chartId == null ? Optional.empty() : charts.file(chartId);
    if (chartId != null && file.isPresent()) {
      try {
        return new Ready(chartId, Files.readAllBytes(file.get()),
            job.caption() == null ? "" : job.caption());
      } catch (IOException e) {
        log.warn("stored chart unreadable {}: {}", kv("incident_id", job.incidentId()),
            e.toString());
      }
    }
    return new Missing("render_failed", "The stored chart is gone.");
  }

  /**
   * Runs a job this process claimed: renders and stores its value line and chart, or records why
   * there is none, or schedules a retry when Prometheus failed. Never throws for Prometheus or a
   * failed render.
   *
   * @throws StorageException when the database or the chart directory fails (the claim then
   *     lapses with its lease and the job runs again)
   */
  void run(EnrichmentJob job) {
    Instant now = clock.instant();
    Optional<Incident> found = incidents.incident(job.incidentId());
    if (found.isEmpty()) {
      jobs.degraded(job.id(), null, "no_incident", "The incident is gone.", now);
      return;
    }
    Incident incident = found.get();
    Optional<Chosen> chosen = choose(incident);
    if (chosen.isEmpty()) {
      if (job.kind() == ChartKind.FIRING && job.episode() == 0) {
        degraded("no_query");
      }
      jobs.degraded(job.id(), null, "no_query", NO_QUERY_NOTE, now);
      return;
    }
    ValueLine value = value(chosen.get(), incident);
    try {
      Drawn drawn = draw(incident, chosen.get(), job.kind());
      StoredChart chart = drawn.chart();
      if (chart == null) {
        degraded("no_data");
        jobs.degraded(job.id(), value.text(), "no_data", "No data to graph for "
            + clip(drawn.expr(), 300) + " since "
            + dev.alertdesk.config.Durations.humanize(lookback(chosen.get()))
            + " before the start.", clock.instant());
        return;
      }
      String caption = chosen.get().slo() != null ? drawn.caption()
          : chosen.get().query().seriesExpr();
      jobs.done(job.id(), chart.id(), caption, value.text(), clock.instant());
      log.debug("enrichment stored {} {}", kv("incident_id", job.incidentId()),
          kv("kind", job.kind().wire()));
    } catch (PrometheusException e) {
      degraded("metrics_unavailable");
      int attempt = job.attempts() + 1;
      String note = "metrics unavailable: " + e.getMessage();
      if (attempt >= MAX_ATTEMPTS) {
        jobs.degraded(job.id(), value.text(), "metrics_unavailable", note, clock.instant());
        log.warn("graph given up, metrics unavailable {} {}: {}",
            kv("incident_id", job.incidentId()), kv("attempt", attempt), e.getMessage());
      } else {
        Duration wait = backoff(job.attempts());
        jobs.retry(job.id(), clock.instant().plus(wait), value.text(), "metrics_unavailable",
            note);
        // Warned on the first failure and when giving up; the retries between are debug.
        if (attempt == 1) {
          log.warn("graph not rendered, metrics unavailable, will retry {} {} {}: {}",
              kv("incident_id", job.incidentId()), kv("attempt", attempt),
              kv("retry_in_ms", wait.toMillis()), e.getMessage());
        } else {
          log.debug("graph not rendered, metrics unavailable, will retry {} {} {}: {}",
              kv("incident_id", job.incidentId()), kv("attempt", attempt),
              kv("retry_in_ms", wait.toMillis()), e.getMessage());
        }
      }
    } catch (StorageException e) {
      throw e;
    } catch (RuntimeException e) {
      degraded("render_failed");
      log.warn("graph could not be drawn {}: {}", kv("incident_id", job.incidentId()),
          e.toString());
      jobs.degraded(job.id(), value.text(), "render_failed",
          "Graph unavailable: it could not be drawn.", clock.instant());
    }
  }

  /** Backoff before retry number {@code attempts + 1}: 5 s, 10 s, 20 s, … capped at 5 min. */
  static Duration backoff(int attempts) {
    Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(attempts, 16));
    return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
  }

  /** True when several Prometheus datasources are configured. */
  boolean severalDatasources() {
    return prometheus.several();
  }

  /** Returns the Prometheus client this alert's queries run on. */
  PrometheusClient datasourceOf(Alert alert) {
    return prometheus.choose(alert);
  }

  /**
   * A graph rendered and stored, or a chart of null when there was no data; the query drawn,
   * and the chart's title (for SLO graphs, their readable title).
   */
  private record Drawn(@Nullable StoredChart chart, byte[] png, String expr, String caption) {}

  /**
   * The query chosen for an incident, from this member, with its value format and the
   * datasource it runs on.
   */
  record Chosen(AlertQuery query, Alert member, ValueFormat format,
      PrometheusClient source, @Nullable SloAlert slo) {}

  /**
   * The first firing member with a query, else any member with one; its {@code unit}
   * annotation (or the incident's common one) sets the value format.
   */
  Optional<Chosen> choose(Incident incident) {
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
  static String thresholdWords(Chosen chosen) {
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

  /**
   * Returns the value line of the chosen query and counts it in
   * {@code alertdesk_enrichment_degraded_total} when it says "no data" or "metrics unavailable".
   */
  String valueLine(Chosen chosen, Incident incident) {
    ValueLine line = value(chosen, incident);
    if (line.degradedReason() != null) {
      degraded(line.degradedReason());
    }
    return line.text();
  }

  /**
   * A value line in Slack mrkdwn (escaped), and why it lacks the value, or null when it has it.
   */
  record ValueLine(String text, @Nullable String degradedReason) {}

  /** "Current value: 42 (threshold 10)", "Current value: no data", or "metrics unavailable". */
  ValueLine value(Chosen chosen, Incident incident) {
    try {
      if (chosen.slo() != null) {
        return new ValueLine(SloGraphs.summary(chosen.slo(), chosen.source())
            + datasourceNote(chosen), null);
      }
      List<TimeSeries> now = chosen.source().query(chosen.query().seriesExpr());
      String threshold = chosen.query().threshold() == null ? ""
          : " (" + thresholdWords(chosen) + ")";
      if (now.isEmpty()) {
        return new ValueLine("Current value: no data" + threshold + datasourceNote(chosen),
            "no_data");
      }
      TimeSeries own = bestMatch(now, chosen.member().labels().values());
      double[] v = own.values();
      return new ValueLine("Current value: " + formatted(chosen, v[v.length - 1]) + threshold
          + datasourceNote(chosen), null);
    } catch (PrometheusException e) {
      log.warn("current value unavailable {}: {}", kv("incident_id", incident.id()),
          e.getMessage());
      return new ValueLine(":warning: metrics unavailable: " + escape(e.getMessage())
          + datasourceNote(chosen), "metrics_unavailable");
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

  /** Queries, renders and stores the graph; a chart of null when there is no data. */
  private Drawn draw(Incident incident, Chosen chosen, ChartKind kind) {
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
    StoredChart chart = charts.save(incident.id() == null ? 0 : incident.id(), kind, null,
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
  Duration lookback(Chosen chosen) {
    return chosen.slo() != null ? SloGraphs.lookback(settings.lookback()) : settings.lookback();
  }


  /** " · datasource eu" when several datasources are configured, else empty. */
  String datasourceNote(Chosen chosen) {
    return prometheus.several() ? " · datasource " + escape(chosen.source().name()) : "";
  }


  void degraded(String reason) {
    metrics.counter("alertdesk_enrichment_degraded", "reason", reason).increment();
  }

  static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  /** Escapes Slack's control characters {@code & < >} (docs.slack.dev, "Formatting text"). */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
