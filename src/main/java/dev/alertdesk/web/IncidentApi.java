package dev.alertdesk.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.history.FingerprintHistory;
import dev.alertdesk.history.HistoryRepository;
import dev.alertdesk.history.IncidentQuery;
import dev.alertdesk.history.IncidentRow;
import dev.alertdesk.history.Insights;
import dev.alertdesk.history.SearchPage;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.incident.IncidentRepository.IncidentDetail;
import dev.alertdesk.incident.IncidentSummary;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The history API, as described in {@code /api/openapi.yaml}: {@code GET /api/incidents} (search,
 * paged), {@code /api/incidents/{id}}, {@code /api/fingerprints/{fingerprint}},
 * {@code /api/insights} and the exports {@code /api/export/incidents.csv} and
 * {@code /api/export/incidents.jsonl}. Times are RFC 3339 UTC strings.
 */
final class IncidentApi {
  /** The columns of the CSV export, in order. */
  static final List<String> CSV_COLUMNS = List.of("id", "status", "alertname", "severity",
      "receiver", "group_key", "started_at", "opened_at", "resolved_at", "ended_at",
      "duration_seconds", "firing_count", "resolved_count", "truncated_alerts", "reopen_count",
      "seen_count", "group_labels");

  private final HistoryViews views;
  private final HistoryRepository history;
  private final HistoryParams params;

  IncidentApi(HistoryViews views) {
    this.views = views;
    this.history = views.history();
    this.params = views.params();
  }

  void list(Context ctx) {
    IncidentQuery query = params.query(ctx, 50);
    SearchPage page = history.search(query);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("total", page.total());
    body.put("limit", query.limit());
    body.put("offset", query.offset());
    body.put("incidents", page.rows().stream().map(this::row).toList());
    JsonResponses.json(ctx, 200, body);
  }

  void detail(Context ctx) {
    IncidentRepository.IncidentPageView page = views.page(ctx);
    IncidentDetail detail = page.detail();
    Incident i = detail.incident();
    long id = i.id();
    Map<String, Object> body = summary(page.summary());
    body.put("common_labels", i.commonLabels().values());
    body.put("common_annotations", i.commonAnnotations().values());
    body.put("external_url", i.externalUrl());
    body.put("alerts_total", page.alertTotal());
    body.put("alerts_offset", page.alertOffset());
    body.put("alerts_limit", page.alertLimit());
    long nextOffset = (long) page.alertOffset() + i.members().size();
    body.put("alerts_next", nextOffset < page.alertTotal() && !i.members().isEmpty()
        ? "/api/incidents/" + id + "?alerts_offset=" + nextOffset + "&alerts_limit="
            + page.alertLimit() : null);
    body.put("alerts", i.members().stream().map(a -> alert(a, detail.occurrenceCounts())).toList());
    body.put("timeline_total", page.eventTotal());
    body.put("timeline", detail.events().stream().map(e -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id());
      m.put("at", time(e.at()));
      m.put("kind", e.kind());
      m.put("details", e.details());
      return m;
    }).toList());
    body.put("slack_messages", detail.slackMessages().stream().map(s -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("channel", s.channel());
      m.put("channel_id", s.channelId());
      m.put("ts", s.ts());
      m.put("link", SlackLinks.message(s.channelId(), s.ts()));
      return m;
    }).toList());
    body.put("graphs", views.extras().graphs(id).stream().map(g -> Map.of("title", g.title(),
        "url", g.url())).toList());
    body.put("audit", views.extras().audit(id));
    body.put("remediations", views.extras().remediations(id));
    body.put("messages_url", "/api/incidents/" + id + "/messages");
    JsonResponses.json(ctx, 200, body);
  }

  void messages(Context ctx) {
    long id = views.incident(ctx).incident().id();
    List<Map<String, Object>> rows = history.messages(id).stream().map(m -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", m.id());
      row.put("kind", m.kind().toLowerCase(java.util.Locale.ROOT));
      row.put("channel", m.channel());
      row.put("status", m.status());
      row.put("created_at", time(m.createdAt()));
      row.put("payload", parse(m.payloadJson()));
      return row;
    }).toList();
    JsonResponses.json(ctx, 200, Map.of("incident_id", id, "messages", rows));
  }

  void fingerprint(Context ctx) {
    String fp = ctx.pathParam("fingerprint");
    FingerprintHistory h = history.fingerprint(fp)
        .orElseThrow(() -> new NotFound("no alert with fingerprint " + fp));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fingerprint", h.fingerprint());
    body.put("alertname", h.alertname());
    body.put("labels", h.labels().values());
    body.put("first_seen_at", time(h.firstSeenAt()));
    body.put("last_seen_at", time(h.lastSeenAt()));
    body.put("occurrence_count", h.occurrenceCount());
    body.put("flapping", h.flapping());
    body.put("flap_gap_seconds", FingerprintHistory.FLAP_GAP.toSeconds());
    body.put("occurrences", h.occurrences().stream().map(o -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("starts_at", time(o.startsAt()));
      m.put("ends_at", time(o.endsAt()));
      m.put("incident_id", o.incidentId());
      m.put("flapping", o.flapping());
      return m;
    }).toList());
    JsonResponses.json(ctx, 200, body);
  }

  void insights(Context ctx) {
    Instant[] period = HistoryParams.period(ctx, views.clock().instant());
    int top = HistoryParams.intParam(ctx, "top", 10, 1, 100);
    Insights in = Insights.compute(history.insightFacts(period[0], period[1]), top,
        HistoryParams.ranking(ctx));
    JsonResponses.json(ctx, 200, insightsJson(in));
  }

  static Map<String, Object> insightsJson(Insights in) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", time(in.from()));
    body.put("to", time(in.to()));
    body.put("incident_count", in.incidentCount());
    body.put("noisiest", in.noisiest().stream().map(n -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("alertname", n.alertname());
      m.put("notifications", n.notifications());
      m.put("occurrences", n.occurrences());
      m.put("transitions", n.transitions());
      m.put("incidents", n.incidents());
      return m;
    }).toList());
    body.put("mtta", timeTo(in.mtta()));
    body.put("mttr", timeTo(in.mttr()));
    Map<String, Long> perDay = new LinkedHashMap<>();
    in.incidentsPerDay().forEach((d, n) -> perDay.put(d.toString(), n));
    body.put("incidents_per_day", perDay);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("notifications", in.suppression().notifications());
    s.put("suppressed", in.suppression().suppressed());
    s.put("share", in.suppression().share());
    s.put("by_reason", in.suppression().byReason());
    body.put("suppression", s);
    return body;
  }

  private static Map<String, Object> timeTo(Insights.TimeTo t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("total", mean(t.total()));
    m.put("by_alertname", means(t.byAlertname()));
    m.put("by_severity", means(t.bySeverity()));
    m.put("by_receiver", means(t.byReceiver()));
    return m;
  }

  private static Map<String, Object> means(Map<String, Insights.Mean> means) {
    Map<String, Object> m = new LinkedHashMap<>();
    means.forEach((k, v) -> m.put(k, mean(v)));
    return m;
  }

  private static Map<String, Object> mean(Insights.Mean mean) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", mean.count());
    m.put("mean_seconds", mean.meanSeconds());
    return m;
  }

  /** {@code GET /api/export/incidents.jsonl}: one incident per line, every match, newest first. */
  void exportJsonLines(Context ctx) throws IOException {
    IncidentQuery query = params.query(ctx, IncidentQuery.MAX_LIMIT);
    ctx.contentType("application/x-ndjson; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"incidents.jsonl\"");
    OutputStream out = ctx.outputStream();
    history.forEach(query, row -> {
      try {
        out.write(JsonResponses.MAPPER.writeValueAsBytes(row(row)));
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    out.flush();
  }

  /** {@code GET /api/export/incidents.csv}: RFC 4180 CSV with a header row, every match. */
  void exportCsv(Context ctx) throws IOException {
    IncidentQuery query = params.query(ctx, IncidentQuery.MAX_LIMIT);
    ctx.contentType("text/csv; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"incidents.csv\"");
    CsvMapper csv = new CsvMapper();
    csv.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    CSV_COLUMNS.forEach(schema::addColumn);
    var writer = csv.writer(schema.build()).writeValues(ctx.outputStream());
    history.forEach(query, row -> {
      Map<String, Object> m = row(row);
      Map<String, Object> flat = new LinkedHashMap<>();
      for (String column : CSV_COLUMNS) {
        Object v = m.get(column);
        flat.put(column, v instanceof Map<?, ?> map ? json(map)
            : v instanceof String text ? neutralised(text) : v);
      }
      try {
        writer.write(flat);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    writer.flush();
  }

  /**
   * Returns a CSV cell that a spreadsheet shows as text instead of running it as a formula: text
   * starting with {@code = + - @}, a tab or a carriage return gets a leading {@code '} (OWASP,
   * "CSV Injection"). Numbers are written as numbers and need nothing.
   */
  static String neutralised(String cell) {
    if (cell.isEmpty()) {
      return cell;
    }
    char first = cell.charAt(0);
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
        || first == '\r' ? "'" + cell : cell;
  }

  private Map<String, Object> row(IncidentRow row) {
    Map<String, Object> m = summary(row.incident());
    m.put("seen_count", row.seenCount());
    return m;
  }

  /** The fields every incident representation shares (list, detail and exports). */
  private Map<String, Object> summary(IncidentSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("status", s.status().wire());
    m.put("alertname", s.alertname());
    m.put("severity", s.severity());
    m.put("receiver", s.receiver());
    m.put("group_key", s.groupKey());
    m.put("group_labels", s.groupLabels().values());
    m.put("firing_count", s.firingCount());
    m.put("resolved_count", s.resolvedCount());
    m.put("truncated_alerts", s.truncatedAlerts());
    m.put("started_at", time(s.startedAt()));
    m.put("opened_at", time(s.openedAt()));
    m.put("resolved_at", time(s.resolvedAt()));
    m.put("ended_at", time(s.endedAt()));
    m.put("duration_seconds", views.duration(s).toSeconds());
    m.put("reopen_count", s.reopenCount());
    return m;
  }

  private static Map<String, Object> alert(Alert a, Map<String, Integer> occurrences) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fingerprint", a.fingerprint());
    m.put("status", a.status().wire());
    m.put("labels", a.labels().values());
    m.put("annotations", a.annotations().values());
    m.put("starts_at", time(a.startsAt()));
    m.put("ends_at", time(a.endsAt()));
    m.put("generator_url", a.generatorUrl());
    m.put("occurrences", occurrences.getOrDefault(a.fingerprint(), 0));
    return m;
  }

  private static Object parse(String json) {
    try {
      return JsonResponses.MAPPER.readTree(json);
    } catch (IOException e) {
      return json;
    }
  }

  private static String json(Object value) {
    try {
      return JsonResponses.MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static @Nullable String time(@Nullable Instant t) {
    return t == null ? null : t.toString();
  }
}
