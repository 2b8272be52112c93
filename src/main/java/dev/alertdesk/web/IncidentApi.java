package dev.alertdesk.web;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.incident.IncidentRepository.IncidentDetail;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.IncidentSummary;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/incidents} and {@code GET /api/incidents/{id}}: incident history as JSON, as
 * described in {@code /api/openapi.yaml}. Times are RFC 3339 UTC strings.
 */
final class IncidentApi {
  private final IncidentRepository repository;

  IncidentApi(IncidentRepository repository) {
    this.repository = repository;
  }

  void list(Context ctx) {
    IncidentStatus status = null;
    String statusParam = ctx.queryParam("status");
    if (statusParam != null && !statusParam.isBlank()) {
      try {
        status = IncidentStatus.fromWire(statusParam);
      } catch (IllegalArgumentException e) {
        JsonResponses.error(ctx, 400, "status must be firing or resolved");
        return;
      }
    }
    Integer limit = intParam(ctx, "limit", 50, 1, 500);
    Integer offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    if (limit == null || offset == null) {
      return;
    }
    IncidentRepository.IncidentPage page = repository.list(status, limit, offset);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("total", page.total());
    body.put("limit", limit);
    body.put("offset", offset);
    body.put("incidents", page.incidents().stream().map(IncidentApi::summary).toList());
    JsonResponses.json(ctx, 200, body);
  }

  void detail(Context ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id").replaceFirst("^#", ""));
    } catch (NumberFormatException e) {
      JsonResponses.error(ctx, 400, "incident id must be a number");
      return;
    }
    Optional<IncidentDetail> found = repository.find(id);
    if (found.isEmpty()) {
      JsonResponses.error(ctx, 404, "no incident #" + id);
      return;
    }
    IncidentDetail detail = found.get();
    Incident i = detail.incident();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", i.id());
    body.put("status", i.status().wire());
    body.put("alertname", i.alertname());
    body.put("severity", i.severity());
    body.put("receiver", i.receiver());
    body.put("group_key", i.groupKey());
    body.put("group_labels", i.groupLabels().values());
    body.put("common_labels", i.commonLabels().values());
    body.put("common_annotations", i.commonAnnotations().values());
    body.put("external_url", i.externalUrl());
    body.put("firing_count", i.firingCount());
    body.put("resolved_count", i.resolvedCount());
    body.put("truncated_alerts", i.truncatedAlerts());
    body.put("started_at", time(i.startedAt()));
    body.put("opened_at", time(i.openedAt()));
    body.put("resolved_at", time(i.resolvedAt()));
    body.put("ended_at", time(i.endedAt()));
    body.put("reopen_count", i.reopenCount());
    body.put("alerts", i.members().stream().map(a -> alert(a, detail.occurrenceCounts())).toList());
    body.put("timeline", detail.events().stream().map(e -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id());
      m.put("at", time(e.event().at()));
      m.put("kind", e.event().kind().wire());
      m.put("details", e.event().details());
      return m;
    }).toList());
    body.put("slack_messages", detail.slackMessages().stream().map(s -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("channel", s.channel());
      m.put("channel_id", s.channelId());
      m.put("ts", s.ts());
      m.put("link", "https://slack.com/app_redirect?channel=" + s.channelId());
      return m;
    }).toList());
    JsonResponses.json(ctx, 200, body);
  }

  private static Map<String, Object> summary(IncidentSummary s) {
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

  private static @Nullable String time(@Nullable Instant t) {
    return t == null ? null : t.toString();
  }

  private static @Nullable Integer intParam(Context ctx, String name, int dflt, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        JsonResponses.error(ctx, 400, name + " must be between " + min + " and " + max);
        return null;
      }
      return n;
    } catch (NumberFormatException e) {
      JsonResponses.error(ctx, 400, name + " must be a whole number");
      return null;
    }
  }

}
