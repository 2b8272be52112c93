package dev.alertdesk.web;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.graph.HistoryCharts;
import dev.alertdesk.history.FingerprintHistory;
import dev.alertdesk.history.HistoryRepository;
import dev.alertdesk.history.IncidentQuery;
import dev.alertdesk.history.Insights;
import dev.alertdesk.history.SearchPage;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.incident.IncidentRepository.IncidentDetail;
import io.javalin.http.Context;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The web UI: server-rendered HTML pages from Pebble templates under {@code ui/templates} (HTML
 * escaping on by default), plus a stylesheet and a small script under {@code ui/static}. No CDN,
 * no external fonts: everything is served from the jar.
 *
 * <p>Pages: {@code /} (incidents with filters), {@code /incidents/{id}} (detail with a
 * state, timeline, alerts and audit re-read every {@value #REFRESH_SECONDS} s by {@code app.js}),
 * {@code /incidents/{id}/messages}
 * (Block Kit preview), {@code /fingerprints/{fingerprint}}, {@code /insights}; images
 * {@code /incidents/{id}/activity.png} and {@code /insights/incidents-per-day.png}.
 */
final class WebUi {
  /** Seconds between refreshes of the incident page's live parts. */
  static final int REFRESH_SECONDS = 5;
  private static final int PAGE_SIZE = 50;

  private final HistoryViews views;
  private final HistoryRepository history;
  private final PebbleEngine engine;

  WebUi(HistoryViews views) {
    this.views = views;
    this.history = views.history();
    ClasspathLoader loader = new ClasspathLoader(WebUi.class.getClassLoader());
    loader.setPrefix("ui/templates");
    loader.setSuffix(".peb");
    loader.setCharset("UTF-8");
    this.engine = new PebbleEngine.Builder()
        .loader(loader)
        .extension(new UiExtension())
        .autoEscaping(true)
        .build();
  }

  void incidentList(Context ctx) {
    IncidentQuery query = views.params().query(ctx, PAGE_SIZE);
    SearchPage page = history.search(query);
    Map<String, Object> model = new HashMap<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (var row : page.rows()) {
      Map<String, Object> m = new HashMap<>();
      m.put("i", row.incident());
      m.put("seen", row.seenCount());
      m.put("duration", views.duration(row.incident()));
      rows.add(m);
    }
    model.put("rows", rows);
    model.put("total", page.total());
    model.put("offset", query.offset());
    model.put("limit", query.limit());
    model.put("filters", filters(ctx));
    String base = "/?" + filterQuery(ctx);
    String filtersOnly = filterQuery(ctx);
    model.put("exportQuery", filtersOnly.isEmpty() ? ""
        : "?" + filtersOnly.substring(0, filtersOnly.length() - 1));
    model.put("prev", query.offset() > 0
        ? base + "offset=" + Math.max(0, query.offset() - query.limit()) : null);
    model.put("next", (long) query.offset() + page.rows().size() < page.total()
        ? base + "offset=" + ((long) query.offset() + query.limit()) : null);
    render(ctx, 200, "incidents", model);
  }

  void incident(Context ctx) {
    IncidentRepository.IncidentPageView page = views.page(ctx);
    IncidentDetail detail = page.detail();
    Incident i = detail.incident();
    long id = i.id();
    Map<String, Object> model = new HashMap<>();
    model.put("i", i);
    model.put("summary", page.summary());
    model.put("duration", views.duration(page.summary()));
    int shown = i.members().size();
    long next = (long) page.alertOffset() + shown;
    model.put("alertsFrom", shown == 0 ? 0 : page.alertOffset() + 1);
    model.put("alertsTo", page.alertOffset() + shown);
    model.put("alertsTotal", page.alertTotal());
    model.put("alertsPrev", page.alertOffset() > 0 ? "/incidents/" + id + "?alerts_offset="
        + Math.max(0, page.alertOffset() - page.alertLimit()) + "&alerts_limit="
        + page.alertLimit() : null);
    model.put("alertsNext", shown > 0 && next < page.alertTotal() ? "/incidents/" + id
        + "?alerts_offset=" + next + "&alerts_limit=" + page.alertLimit() : null);
    model.put("eventTotal", page.eventTotal());
    model.put("events", timeline(detail));
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (Alert a : i.members()) {
      Map<String, Object> m = new HashMap<>();
      m.put("a", a);
      m.put("labels", a.labels().values());
      m.put("annotations", a.annotations().values());
      m.put("seen", detail.occurrenceCounts().getOrDefault(a.fingerprint(), 0));
      alerts.add(m);
    }
    model.put("alerts", alerts);
    model.put("slack", detail.slackMessages().stream().map(s -> Map.of(
        "channel", s.channel(), "link", SlackLinks.message(s.channelId(), s.ts()))).toList());
    model.put("graphs", views.extras().graphs(id));
    model.put("audit", views.extras().audit(id));
    model.put("remediations", views.extras().remediations(id));
    model.put("refreshSeconds", REFRESH_SECONDS);
    render(ctx, 200, "incident", model);
  }

  void messages(Context ctx) {
    Incident incident = views.incident(ctx).incident();
    long id = incident.id();
    List<Map<String, Object>> messages = new ArrayList<>();
    for (HistoryRepository.RenderedMessage m : history.messages(id)) {
      Map<String, Object> view = new HashMap<>(BlockKitPreview.view(m.payloadJson()));
      view.put("m", m);
      view.put("kind", switch (m.kind()) {
        case "PARENT_POST" -> "Parent message";
        case "PARENT_UPDATE" -> "Parent message update";
        case "THREAD_REPLY" -> "Thread reply";
        case "GRAPH" -> "Graph in the thread";
        default -> m.kind();
      });
      messages.add(view);
    }
    render(ctx, 200, "messages", Map.of("i", incident, "messages", messages));
  }

  void fingerprint(Context ctx) {
    String fp = ctx.pathParam("fingerprint");
    Optional<FingerprintHistory> found = history.fingerprint(fp);
    if (found.isEmpty()) {
      throw new NotFound("no alert with fingerprint " + fp);
    }
    render(ctx, 200, "fingerprint", Map.of("h", found.get(), "labels", found.get().labels().values(),
        "flapGap", UiExtension.human(FingerprintHistory.FLAP_GAP.toSeconds())));
  }

  void insights(Context ctx) {
    Instant[] period = HistoryParams.period(ctx, views.clock().instant());
    Insights.Ranking ranking = HistoryParams.ranking(ctx);
    Insights in = Insights.compute(history.insightFacts(period[0], period[1]), 10, ranking);
    Map<String, Object> model = new HashMap<>();
    model.put("rankBy", ranking.wire());
    model.put("in", in);
    model.put("sharePercent", String.format(java.util.Locale.ROOT, "%.1f",
        in.suppression().share() * 100));
    String range = "from=" + enc(period[0].toString()) + "&to=" + enc(period[1].toString());
    model.put("chartUrl", "/insights/incidents-per-day.png?" + range);
    model.put("rankUrl", "/insights?" + range + "&rank_by=");
    model.put("fromDate", LocalDate.ofInstant(period[0], ZoneOffset.UTC).toString());
    model.put("toDate", LocalDate.ofInstant(period[1].minusMillis(1), ZoneOffset.UTC).toString());
    model.put("breakdowns", List.of(
        Map.of("title", "Per alertname", "mtta", in.mtta().byAlertname(), "mttr", in.mttr().byAlertname()),
        Map.of("title", "Per severity", "mtta", in.mtta().bySeverity(), "mttr", in.mttr().bySeverity()),
        Map.of("title", "Per receiver (route)", "mtta", in.mtta().byReceiver(), "mttr", in.mttr().byReceiver())));
    render(ctx, 200, "insights", model);
  }

  void incidentsPerDayChart(Context ctx) {
    Instant[] period = HistoryParams.period(ctx, views.clock().instant());
    Insights in = Insights.compute(history.insightFacts(period[0], period[1]), 1);
    png(ctx, HistoryCharts.perDay("Incidents per day", in.incidentsPerDay(), 800, 300));
  }

  void activityChart(Context ctx) {
    Incident i = views.incident(ctx).incident();
    long id = i.id();
    Instant until = i.endedAt() != null ? i.endedAt() : i.resolvedAt() != null ? i.resolvedAt()
        : views.clock().instant();
    List<HistoryCharts.Period> periods = history.occurrences(id).stream()
        .map(o -> new HistoryCharts.Period(o.startsAt(), o.endsAt())).toList();
    png(ctx, HistoryCharts.firingAlerts("Firing alerts of #" + id + " " + i.alertname(),
        periods, until, 800, 260));
  }

  /** Renders a 400 or 404 page. */
  void error(Context ctx, int status, String message) {
    render(ctx, status, "error", Map.of("status", status, "message", message));
  }

  private static void png(Context ctx, byte[] png) {
    ctx.contentType("image/png").header("Cache-Control", "no-store").result(png);
  }

  private List<Map<String, Object>> timeline(IncidentDetail detail) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (var e : detail.events()) {
      Map<String, Object> m = new HashMap<>();
      m.put("at", e.at());
      m.put("kind", e.kind());
      m.put("label", e.kind().replace('_', ' '));
      m.put("details", e.details());
      out.add(m);
    }
    return out;
  }

  private static Map<String, String> filters(Context ctx) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String name : List.of("alertname", "matcher", "status", "from", "to")) {
      String v = ctx.queryParam(name);
      f.put(name, v == null ? "" : v);
    }
    return f;
  }

  private static String filterQuery(Context ctx) {
    StringBuilder q = new StringBuilder();
    for (String name : List.of("alertname", "status", "from", "to")) {
      String v = ctx.queryParam(name);
      if (v != null && !v.isBlank()) {
        q.append(name).append('=').append(enc(v)).append('&');
      }
    }
    for (String m : ctx.queryParams("matcher")) {
      if (!m.isBlank()) {
        q.append("matcher=").append(enc(m)).append('&');
      }
    }
    return q.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  void render(Context ctx, int status, String template, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    try {
      engine.getTemplate(template).evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }
}
