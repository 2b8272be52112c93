package dev.alertdesk.web;

import dev.alertdesk.remediation.RemediationRequest;
import dev.alertdesk.remediation.RemediationState;
import dev.alertdesk.remediation.RemediationStore;
import dev.alertdesk.slack.RemediationMessageRenderer;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Remediation requests on the web: {@code GET /api/remediations?state=&before=&limit=} (JSON,
 * newest first, {@code limit} 1–200, default 50; {@code next_before} pages on) and the
 * {@code /remediations} page of pending and recent requests; each incident's requests on its
 * page ({@link #forIncident}). Protected like the rest of the UI ({@link AccessGuard}).
 */
final class RemediationPages {
  private static final int DEFAULT_LIMIT = 50;

  private final @Nullable RemediationStore store;
  private final WebUi ui;

  /**
   * @param store the requests, or null when the database has none to show
   * @param ui renders the page
   */
  RemediationPages(@Nullable RemediationStore store, WebUi ui) {
    this.store = store;
    this.ui = ui;
  }

  /** {@code GET /api/remediations}. */
  void list(Context ctx) {
    Query q = query(ctx);
    if (q == null) {
      return;
    }
    List<RemediationRequest> page = page(q);
    Map<String, Object> body = new LinkedHashMap<>();
    List<Map<String, Object>> items = new ArrayList<>();
    page.forEach(r -> items.add(json(r)));
    body.put("items", items);
    body.put("next_before", page.size() == q.limit() && !page.isEmpty()
        ? page.get(page.size() - 1).createdAt().toString() : null);
    JsonResponses.json(ctx, 200, body);
  }

  /** {@code GET /remediations}: pending requests, then recent ones. */
  void page(Context ctx) {
    Query q = query(ctx);
    if (q == null) {
      return;
    }
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("nav", "remediations");
    model.put("pending", store == null ? List.of()
        : store.page(RemediationState.PENDING_APPROVAL, null, RemediationStore.MAX_PAGE)
            .stream().map(RemediationPages::json).toList());
    List<RemediationRequest> recent = page(q);
    model.put("recent", recent.stream().map(RemediationPages::json).toList());
    model.put("state", q.state() == null ? "" : q.state().wire());
    model.put("states", java.util.Arrays.stream(RemediationState.values())
        .map(RemediationState::wire).toList());
    model.put("next", recent.size() == q.limit() && !recent.isEmpty()
        ? "/remediations?before=" + recent.get(recent.size() - 1).createdAt()
            + (q.state() == null ? "" : "&state=" + q.state().wire()) : null);
    ui.render(ctx, 200, "remediations", model);
  }

  /** The incident's requests as JSON-ready fields, newest first, at most 100. */
  List<Map<String, Object>> forIncident(long incidentId) {
    return store == null ? List.of()
        : store.forIncident(incidentId).stream().map(RemediationPages::json).toList();
  }

  private List<RemediationRequest> page(Query q) {
    return store == null ? List.of() : store.page(q.state(), q.before(), q.limit());
  }

  private record Query(@Nullable RemediationState state, @Nullable Instant before, int limit) {}

  private static @Nullable Query query(Context ctx) {
    RemediationState state = null;
    String s = ctx.queryParam("state");
    if (s != null && !s.isBlank()) {
      try {
        state = RemediationState.fromWire(s.trim());
      } catch (IllegalArgumentException e) {
        JsonResponses.error(ctx, 400, "state must be one of " + String.join(", ",
            java.util.Arrays.stream(RemediationState.values()).map(RemediationState::wire)
                .toList()));
        return null;
      }
    }
    Instant before = null;
    String b = ctx.queryParam("before");
    if (b != null && !b.isBlank()) {
      try {
        before = Instant.parse(b.trim());
        if (!dev.alertdesk.alert.Alert.isStorableTime(before)) {
          throw new DateTimeParseException("out of range", b, 0);
        }
      } catch (DateTimeParseException e) {
        JsonResponses.error(ctx, 400, "before must be an RFC 3339 time such as "
            + "2026-01-01T00:00:00Z");
        return null;
      }
    }
    int limit = DEFAULT_LIMIT;
    String l = ctx.queryParam("limit");
    if (l != null && !l.isBlank()) {
      try {
        limit = Integer.parseInt(l.trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > RemediationStore.MAX_PAGE) {
        JsonResponses.error(ctx, 400, "limit must be 1-" + RemediationStore.MAX_PAGE);
        return null;
      }
    }
    return new Query(state, before, limit);
  }

  /** One request as JSON-ready fields (the API's {@code Remediation} schema). */
  static Map<String, Object> json(RemediationRequest r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", r.id());
    o.put("incident_id", r.incidentId());
    o.put("action_id", r.actionId());
    o.put("state", r.state().wire());
    o.put("state_label", RemediationMessageRenderer.label(r.state()));
    o.put("target", Map.of("namespace", r.target().namespace(), "name", r.target().name(),
        "parameters", r.target().parameters()));
    o.put("requested_by", r.requestedById());
    o.put("requested_by_name", r.requestedByName());
    List<Map<String, Object>> approvals = new ArrayList<>();
    r.approvals().forEach(a -> approvals.add(Map.of("user_id", a.userId(), "user_name",
        a.userName(), "at", a.at().toString(), "roles", a.roles())));
    o.put("approvals", approvals);
    o.put("approvals_needed", r.approvalsNeeded());
    o.put("created_at", r.createdAt().toString());
    o.put("updated_at", r.updatedAt().toString());
    o.put("expires_at", r.expiresAt().toString());
    o.put("preview", r.preview() == null ? null : r.preview().summary());
    o.put("preview_hash", r.previewHash());
    o.put("decided_by", r.decidedById());
    o.put("detail", r.detail());
    return o;
  }
}
