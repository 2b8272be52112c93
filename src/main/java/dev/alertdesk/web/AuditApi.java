package dev.alertdesk.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.alertdesk.audit.AuditLog;
import dev.alertdesk.audit.AuditRecord;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/audit?since=&incident=&limit=}: the audit log as JSON lines
 * ({@code application/x-ndjson}), oldest first, one object per row with its {@code prev_hash}
 * and {@code hash}. {@code since} is an RFC 3339 time, {@code incident} an incident id,
 * {@code limit} 1–10000 (default 1000). Protected like the UI, by
 * {@code UI_BASIC_AUTH} or {@code API_BEARER_TOKEN} whenever either is set ({@link AccessGuard}).
 */
final class AuditApi {
  private static final int DEFAULT_LIMIT = 1000;

  private final AuditLog audit;

  AuditApi(AuditLog audit) {
    this.audit = audit;
  }

  void list(Context ctx) {
    Instant since = null;
    Long incident = null;
    int limit = DEFAULT_LIMIT;
    try {
      String s = ctx.queryParam("since");
      if (s != null && !s.isBlank()) {
        since = Instant.parse(s.trim());
        if (!dev.alertdesk.alert.Alert.isStorableTime(since)) {
          throw new DateTimeParseException("out of range", s, 0);
        }
      }
    } catch (DateTimeParseException e) {
      JsonResponses.error(ctx, 400, "since must be an RFC 3339 time such as 2026-01-01T00:00:00Z");
      return;
    }
    try {
      String i = ctx.queryParam("incident");
      if (i != null && !i.isBlank()) {
        incident = Long.parseLong(i.trim());
      }
      String l = ctx.queryParam("limit");
      if (l != null && !l.isBlank()) {
        limit = Integer.parseInt(l.trim());
      }
    } catch (NumberFormatException e) {
      JsonResponses.error(ctx, 400, "incident and limit must be whole numbers");
      return;
    }
    if (limit < 1 || limit > 10_000) {
      JsonResponses.error(ctx, 400, "limit must be 1-10000");
      return;
    }
    List<AuditRecord> rows = audit.list(since, incident, limit);
    StringBuilder out = new StringBuilder();
    for (AuditRecord r : rows) {
      out.append(line(r)).append('\n');
    }
    ctx.status(200).contentType("application/x-ndjson").result(out.toString());
  }

  /** One row as a JSON object; {@code target} and {@code parameters} as nested objects. */
  static String line(AuditRecord r) {
    return JsonResponses.MAPPER.valueToTree(entry(r)).toString();
  }

  /**
   * One row as JSON-ready fields, as {@code /api/audit} and the incident page show it:
   * {@code id}, {@code at} (RFC 3339), {@code user_id}, {@code user_name}, {@code action},
   * {@code incident_id}, {@code target}, {@code parameters}, {@code result}, {@code error},
   * {@code prev_hash}, {@code hash}.
   */
  static Map<String, Object> entry(AuditRecord r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", r.id());
    o.put("at", r.at().toString());
    o.put("user_id", r.userId());
    o.put("user_name", r.userName());
    o.put("action", r.action());
    o.put("incident_id", r.incidentId());
    o.put("target", tree(r.targetJson()));
    o.put("parameters", tree(r.parametersJson()));
    o.put("result", r.result());
    o.put("error", r.error());
    o.put("prev_hash", r.prevHash());
    o.put("hash", r.hash());
    return o;
  }

  private static com.fasterxml.jackson.databind.JsonNode tree(@Nullable String json) {
    try {
      return json == null ? JsonResponses.MAPPER.nullNode() : JsonResponses.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return JsonResponses.MAPPER.getNodeFactory().textNode(json);
    }
  }
}
