package dev.alertdesk.action;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.audit.AuditEntry;
import dev.alertdesk.audit.AuditResult;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.rbac.AccessDecision;
import dev.alertdesk.rbac.Authorizer;
import dev.alertdesk.rbac.Freshness;
import dev.alertdesk.remediation.ExecutionChecks;
import dev.alertdesk.remediation.ExecutorKind;
import dev.alertdesk.remediation.RemediationAction;
import dev.alertdesk.remediation.RemediationCatalogue;
import dev.alertdesk.remediation.RemediationException;
import dev.alertdesk.remediation.RemediationExecutor;
import dev.alertdesk.remediation.RemediationPreview;
import dev.alertdesk.remediation.RemediationRequest;
import dev.alertdesk.remediation.RemediationResult;
import dev.alertdesk.remediation.RemediationState;
import dev.alertdesk.remediation.RemediationStateMachine;
import dev.alertdesk.remediation.RemediationStore;
import dev.alertdesk.remediation.Step;
import dev.alertdesk.schedule.PeriodicJob;
import dev.alertdesk.slack.IncidentMessageRenderer;
import dev.alertdesk.slack.RemediationMessageRenderer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remediation flow around the pure {@link RemediationStateMachine}: a request from an
 * incident's button (kill switch, grant {@code remediate:<id>}, target checks, one open request
 * per action and incident, the executor's dry-run preview), approvals, rejections and
 * cancellations from the request message's buttons, and the one execution of an approval
 * (everything checked again with fresh membership, limits drawn, the executor called, the result
 * told in the thread, on the parent and in the timeline). Each step is stored with a
 * compare-and-set and its audit row in one transaction ({@link RemediationStore}); refusals are
 * told to the user ephemerally and audited with result {@code denied}. Expiry and the resumption of approved
 * requests not yet started run as the periodic job {@code remediation}. Thread-safe.
 */
public final class RemediationFlow implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RemediationFlow.class);
  private static final int DUE_BATCH = 50;
  private static final int CAS_ATTEMPTS = 3;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RemediationStore store;
  private final RemediationCatalogue catalogue;
  private final Map<ExecutorKind, RemediationExecutor> executors;
  private final Authorizer authorizer;
  private final BooleanSupplier enabled;
  private final ActionWriter writer;
  private final Runnable onCommitted;
  private final Clock clock;
  private final RemediationStateMachine machine;
  private @Nullable PeriodicJob job;
  private volatile boolean killSwitchAudited;

  /** What a decision button asks for. */
  public enum Decision {
    /** Approve the request. */
    APPROVE,
    /** Reject it. */
    REJECT,
    /** Cancel it (the requester). */
    CANCEL
  }

  /**
   * @param store the requests
   * @param catalogue the actions
   * @param executors one per executor kind that is configured; a missing kind fails its
   *     requests' previews
   * @param authorizer decides grants and roles
   * @param enabled {@code REMEDIATION_ENABLED}: false is the kill switch
   * @param writer loads incidents and answers users
   * @param onCommitted called after Slack intents were queued (wakes the outbox worker)
   * @param clock the source of "now"
   */
  public RemediationFlow(RemediationStore store, RemediationCatalogue catalogue,
      Map<ExecutorKind, RemediationExecutor> executors, Authorizer authorizer,
      BooleanSupplier enabled, ActionWriter writer, Runnable onCommitted, Clock clock) {
    this.store = store;
    this.catalogue = catalogue;
    this.executors = Map.copyOf(executors);
    this.authorizer = authorizer;
    this.enabled = enabled;
    this.writer = writer;
    this.onCommitted = onCommitted;
    this.clock = clock;
    this.machine = new RemediationStateMachine(clock);
  }

  /** The catalogue the flow serves. */
  public RemediationCatalogue catalogue() {
    return catalogue;
  }

  /** Returns true when the kill switch is on ({@code REMEDIATION_ENABLED=false} or frozen). */
  public boolean frozen() {
    return !enabled.getAsBoolean() || store.freeze().frozen();
  }

  /**
   * A click on an incident's request button.
   *
   * @param who the click; its {@code choice} is the action id
   * @param action the catalogue action the button is for
   */
  public void request(ActionRequest who, RemediationAction action) {
    long incidentId = who.incidentId();
    Map<String, Object> target = Map.of("action_id", action.id());
    if (frozen()) {
      refuse(who, null, target, "request_blocked", "remediation is frozen (kill switch)", null);
      return;
    }
    Optional<ActionContext> ctx = writer.load(incidentId);
    if (ctx.isEmpty()) {
      writer.tell(who, ActionWriter.noSuchIncident(incidentId));
      return;
    }
    if (ctx.get().incident().status() == IncidentStatus.RESOLVED) {
      writer.tell(who, ActionWriter.alreadyResolved(incidentId));
      return;
    }
    var labels = ctx.get().incident().commonLabels();
    if (!action.offeredFor(labels)) {
      refuse(who, null, target, "request_denied", action.title()
          + " does not apply to this incident", null);
      return;
    }
    AccessDecision decision = authorizer.check(who.userId(), action.requestGrant(),
        who.channelId(), Freshness.CACHED);
    if (!decision.allowed()) {
      refuse(who, null, target, "request_denied", "not allowed: " + decision.reason(), decision);
      return;
    }
    RemediationAction.TargetResult built = action.target(labels);
    if (built.target() == null) {
      refuse(who, null, target, "request_denied", "target refused: " + built.refusal(), decision);
      return;
    }
    for (RemediationRequest open : store.forIncident(incidentId)) {
      if (open.actionId().equals(action.id()) && !open.state().terminal()) {
        writer.tell(who, ":information_source: " + IncidentMessageRenderer.escapeText(
            action.title()) + " is already requested (by <@" + open.requestedById()
            + ">); see its message in the thread.");
        return;
      }
    }
    String id = "rq_" + HexFormat.of().formatHex(randomBytes());
    RemediationRequest r = machine.request(id, incidentId, action, built.target(), who.userId(),
        who.userName(), ctx.get().channel());
    store.create(r, change(r, null, "requested", who.userId(), who.userName(), who.channelId(),
        "requested", decision, AuditResult.SUCCESS, null));
    onCommitted.run();
    log.info("remediation requested {} {} {} {}", kv("request_id", id),
        kv("action_id", action.id()), kv("incident_id", incidentId), kv("user_id", who.userId()));

    RemediationExecutor executor = executors.get(action.executor());
    Step preview;
    if (executor == null) {
      preview = machine.previewFailed(r, "the " + action.executor().wire()
          + " executor is not configured");
    } else {
      try {
        RemediationPreview p = executor.preview(action.operation(), built.target());
        preview = machine.previewed(r, p);
      } catch (RemediationException e) {
        preview = machine.previewFailed(r, e.getMessage());
      } catch (RuntimeException e) {
        log.warn("remediation preview failed {} {}", kv("request_id", id), e.toString());
        preview = machine.previewFailed(r, "the executor failed (" + e.getClass().getSimpleName()
            + ")");
      }
    }
    if (!store(preview, "alertdesk", "alertdesk", who.channelId(), null)) {
      return;
    }
    if (preview.after().state() != RemediationState.PREVIEWED) {
      writer.tell(who, ":x: No preview, nothing was requested: "
          + IncidentMessageRenderer.escapeText(String.valueOf(preview.after().detail())));
      return;
    }
    Step await = machine.awaitApproval(preview.after(), action.approval());
    if (store(await, "alertdesk", "alertdesk", who.channelId(), null)
        && await.after().state() == RemediationState.APPROVED) {
      execute(await.after(), action, who.channelId());
    }
  }

  /**
   * The grant a decision click needs: {@code approve:<id>} to approve or reject,
   * {@code remediate:<id>} to cancel, of the stored request's action; {@code approve:?} (never
   * granted) when the request is unknown or belongs to another incident.
   *
   * @param who the click; its {@code choice} is the request id
   * @param verb what the button asks
   */
  public String grant(ActionRequest who, Decision verb) {
    String requestId = who.choice() == null ? "" : who.choice();
    Optional<RemediationRequest> r = requestId.isEmpty() || requestId.length() > 64
        ? Optional.empty() : store.find(requestId);
    if (r.isEmpty() || r.get().incidentId() != who.incidentId()) {
      return "approve:?";
    }
    return (verb == Decision.CANCEL ? "remediate:" : "approve:") + r.get().actionId();
  }

  /**
   * A click on a request message's Approve, Reject or Cancel button.
   *
   * @param who the click; its {@code choice} is the request id
   * @param verb what the button asks
   */
  public void decide(ActionRequest who, Decision verb) {
    String requestId = who.choice() == null ? "" : who.choice();
    for (int attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      Optional<RemediationRequest> found = store.find(requestId);
      if (found.isEmpty() || found.get().incidentId() != who.incidentId()) {
        writer.tell(who, ":warning: Alertdesk does not know this remediation request.");
        return;
      }
      RemediationRequest r = found.get();
      Optional<RemediationAction> action = catalogue.find(r.actionId());
      Step step;
      AccessDecision decision = null;
      if (verb == Decision.CANCEL) {
        step = machine.cancel(r, who.userId());
      } else if (action.isEmpty()) {
        step = null;
      } else {
        decision = authorizer.check(who.userId(), action.get().approveGrant(), who.channelId(),
            Freshness.CACHED);
        step = verb == Decision.APPROVE
            ? machine.approve(r, action.get().approval(), who.userId(), who.userName(), decision)
            : machine.reject(r, action.get().approval(), who.userId(), decision);
      }
      if (step == null) {
        refuse(who, r, Map.of(), verb.name().toLowerCase(java.util.Locale.ROOT) + "_refused",
            "the action " + r.actionId() + " is no longer configured", null);
        return;
      }
      if (step.refused()) {
        refuse(who, r, Map.of(), step.event(), step.message(), decision);
        return;
      }
      if (!store(step, who.userId(), who.userName(), who.channelId(), decision)) {
        continue; // changed meanwhile: decide again on the new state
      }
      RemediationState to = step.after().state();
      if (to == RemediationState.EXPIRED) {
        writer.tell(who, ":hourglass: This request expired; nothing was done.");
      } else if (to == RemediationState.APPROVED && action.isPresent()) {
        execute(step.after(), action.get(), who.channelId());
      }
      return;
    }
    writer.tell(who, ":warning: The request changed while you clicked; please look at it again.");
  }

  /**
   * Expires open requests past their ttl and starts approved requests that were never started
   * (a crash between approval and execution); the periodic job's work. On its first run with
   * {@code REMEDIATION_ENABLED=false} it appends the audit row {@code remediation.disabled}.
   *
   * @return how many requests were handled
   */
  public int runDue() {
    if (!enabled.getAsBoolean() && !killSwitchAudited) {
      // REMEDIATION_ENABLED=false: recorded once per start, like the CLI's freeze.
      store.audit(new AuditEntry(clock.instant(), ActionRequest.SYSTEM_USER,
          ActionRequest.SYSTEM_USER, "remediation.disabled", null,
          Map.of("kill_switch", "REMEDIATION_ENABLED"), Map.of("enabled", false),
          AuditResult.SUCCESS, null));
      killSwitchAudited = true;
    }
    int handled = 0;
    for (RemediationRequest r : store.due(clock.instant(), DUE_BATCH)) {
      if (r.state() == RemediationState.APPROVED && !machine.expired(r)) {
        catalogue.find(r.actionId()).ifPresent(a -> execute(r, a, null));
      } else {
        Step step = machine.expire(r);
        if (!step.refused()) {
          store(step, "alertdesk", "alertdesk", null, null);
        }
      }
      handled++;
    }
    return handled;
  }

  /**
   * Runs {@link #runDue} as the periodic job {@code remediation}. Idempotent.
   *
   * @param interval the delay between runs, positive
   */
  public synchronized void start(Duration interval) {
    if (job == null) {
      job = PeriodicJob.start("remediation", interval, interval, interval, this::runDue);
    }
  }

  /**
   * Stops the periodic job and closes the executors that hold resources (the kubernetes
   * client); idempotent.
   */
  @Override
  public synchronized void close() {
    if (job != null) {
      job.close();
      job = null;
    }
    for (RemediationExecutor e : executors.values()) {
      if (e instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception ex) {
          log.debug("closing a remediation executor failed: {}", ex.toString());
        }
      }
    }
  }

  /** The one execution of an approved request. */
  private void execute(RemediationRequest approved, RemediationAction action,
      @Nullable String channelId) {
    boolean frozen = frozen();
    AccessDecision requester = authorizer.check(approved.requestedById(), action.requestGrant(),
        channelId, Freshness.FRESH);
    Map<String, AccessDecision> approvers = new LinkedHashMap<>();
    for (RemediationRequest.Approval a : approved.approvals()) {
      approvers.put(a.userId(), authorizer.check(a.userId(), action.approveGrant(), channelId,
          Freshness.FRESH));
    }
    Step start = machine.startExecution(approved, action.approval(),
        new ExecutionChecks(frozen, requester, approvers));
    Map<String, Object> fresh = new LinkedHashMap<>();
    fresh.put("requester_roles", requester.roles());
    fresh.put("requester_memberships", requester.memberships());
    Map<String, Object> approverFacts = new LinkedHashMap<>();
    approvers.forEach((user, d) -> approverFacts.put(user, Map.of("allowed", d.allowed(),
        "roles", d.roles(), "memberships", d.memberships())));
    fresh.put("approvers", approverFacts);
    if (start.after().state() != RemediationState.EXECUTING) {
      storeWith(start, "alertdesk", "alertdesk", channelId, null, fresh);
      return;
    }
    RemediationStore.Start started = store.startExecution(start,
        catalogue.buckets(action, approved.target()),
        changeFor(start, "alertdesk", "alertdesk", channelId, null, fresh));
    switch (started.outcome()) {
      case LOST -> {
        log.info("remediation already executed elsewhere {}", kv("request_id", approved.id()));
        return;
      }
      case LIMITED -> {
        storeWith(machine.blockedByLimit(approved, String.valueOf(started.bucket())),
            "alertdesk", "alertdesk", channelId, null, fresh);
        return;
      }
      case STARTED -> onCommitted.run();
    }
    RemediationRequest executing = start.after();
    RemediationExecutor executor = executors.get(action.executor());
    RemediationResult result;
    if (executor == null || executing.preview() == null) {
      result = new RemediationResult(RemediationResult.Outcome.FAILED,
          "the " + action.executor().wire() + " executor is not configured");
    } else {
      try {
        result = executor.execute(action.operation(), executing.target(), executing.preview(),
            new RemediationExecutor.ExecutionContext(executing.id(), action.id(),
                executing.incidentId(), executing.requestedById(), executing.approverIds()));
      } catch (RuntimeException e) {
        log.warn("remediation executor threw {} {}", kv("request_id", executing.id()),
            e.toString());
        result = new RemediationResult(RemediationResult.Outcome.FAILED, "the executor failed ("
            + e.getClass().getSimpleName() + ")");
      }
    }
    Step done = machine.finished(executing, result);
    // Store the outcome whatever happens meanwhile: it is the record of a change made.
    for (int attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      try {
        if (store(done, "alertdesk", "alertdesk", channelId, null)) {
          break;
        }
        log.error("remediation outcome not stored, the request changed {}",
            kv("request_id", executing.id()));
        break;
      } catch (RuntimeException e) {
        if (attempt == CAS_ATTEMPTS) {
          log.error("remediation outcome not stored {} {} {}", kv("request_id", executing.id()),
              kv("outcome", result.outcome()), e.toString());
          throw e;
        }
      }
    }
    log.info("remediation finished {} {} {}", kv("request_id", executing.id()),
        kv("action_id", action.id()), kv("outcome", result.outcome()));
  }

  private boolean store(Step step, String userId, String userName, @Nullable String channelId,
      @Nullable AccessDecision decision) {
    return storeWith(step, userId, userName, channelId, decision, Map.of());
  }

  private boolean storeWith(Step step, String userId, String userName,
      @Nullable String channelId, @Nullable AccessDecision decision, Map<String, Object> extra) {
    boolean stored = store.apply(step, changeFor(step, userId, userName, channelId, decision,
        extra));
    if (stored) {
      onCommitted.run();
      log.info("remediation {} {} {} {}", step.event(), kv("request_id", step.after().id()),
          kv("state", step.after().state().wire()), kv("user_id", userId));
    }
    return stored;
  }

  private RemediationStore.Change changeFor(Step step, String userId, String userName,
      @Nullable String channelId, @Nullable AccessDecision decision, Map<String, Object> extra) {
    RemediationState to = step.after().state();
    boolean failure = to == RemediationState.FAILED || to == RemediationState.DENIED
        || to == RemediationState.BLOCKED || to == RemediationState.STALE
        || to == RemediationState.EXPIRED;
    RemediationStore.Change c = change(step.after(), step.before().state(), step.event(), userId,
        userName, channelId, step.message(), decision,
        failure ? AuditResult.FAILURE : AuditResult.SUCCESS, failure ? step.message() : null);
    if (!extra.isEmpty()) {
      Map<String, Object> params = new LinkedHashMap<>(c.audit().parameters());
      params.putAll(extra);
      AuditEntry a = c.audit();
      c = new RemediationStore.Change(new AuditEntry(a.at(), a.userId(), a.userName(), a.action(),
          a.incidentId(), a.target(), params, a.result(), a.error()), c.events(), c.messages());
    }
    return c;
  }

  /** The audit row, timeline event and intents of one stored change. */
  private RemediationStore.Change change(RemediationRequest r, @Nullable RemediationState from,
      String event, String userId, String userName, @Nullable String channelId, String message,
      @Nullable AccessDecision decision, AuditResult result, @Nullable String error) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("from", from == null ? "" : from.wire());
    params.put("to", r.state().wire());
    params.put("message", message);
    params.put("requested_by", r.requestedById());
    params.put("approved_by", r.approverIds());
    params.put("preview_hash", r.previewHash() == null ? "" : r.previewHash());
    params.put("channel_id", channelId == null ? "" : channelId);
    if (decision != null) {
      params.put("roles", decision.roles());
      params.put("memberships", decision.memberships());
    }
    AuditEntry audit = new AuditEntry(clock.instant(), userId, userName,
        "remediation." + event, r.incidentId(), target(r), params, result, error);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("request_id", r.id());
    details.put("action_id", r.actionId());
    details.put("state", r.state().wire());
    details.put("target", r.target().namespace() + "/" + r.target().name());
    details.put("user_id", userId);
    details.put("user_name", userName);
    if (r.detail() != null) {
      details.put("detail", r.detail());
    }
    List<IncidentEvent> events = List.of(new IncidentEvent(EventKind.REMEDIATION,
        clock.instant(), details));
    List<OutgoingMessage> messages = new java.util.ArrayList<>();
    messages.add(OutgoingMessage.remediationRequest(r.channel(), r.id(), "remediation_" + event));
    if (r.state() == RemediationState.SUCCEEDED || r.state() == RemediationState.FAILED
        || r.state() == RemediationState.STALE) {
      messages.add(OutgoingMessage.actionReply(r.channel(), EventKind.REMEDIATION.wire(),
          resultReply(r)));
      messages.add(OutgoingMessage.parent(SlackIntent.Kind.PARENT_UPDATE, r.channel(),
          EventKind.REMEDIATION.wire()));
    }
    return new RemediationStore.Change(audit, events, messages);
  }

  private String resultReply(RemediationRequest r) {
    String title = catalogue.find(r.actionId()).map(RemediationAction::title).orElse(r.actionId());
    String what = IncidentMessageRenderer.escapeText(title) + " on `"
        + IncidentMessageRenderer.escapeText(r.target().namespace() + "/" + r.target().name())
        + "`";
    String who = "requested by <@" + r.requestedById() + ">" + (r.approvals().isEmpty() ? ""
        : ", approved by " + String.join(", ", r.approverIds().stream()
            .map(u -> "<@" + u + ">").toList()));
    String detail = r.detail() == null || r.detail().isBlank() ? ""
        : "\n>" + IncidentMessageRenderer.escapeText(dev.alertdesk.slack.BlockKitLimits.clip(
            r.detail().replace("\n", " "), 500));
    return switch (r.state()) {
      case SUCCEEDED -> ":white_check_mark: " + what + " succeeded · " + who + detail;
      case STALE -> ":heavy_minus_sign: " + what + " was not done: the target changed after the "
          + "preview (" + RemediationMessageRenderer.label(r.state()) + ") · " + who + detail;
      default -> ":x: " + what + " failed · " + who + detail;
    };
  }

  private static Map<String, Object> target(RemediationRequest r) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("request_id", r.id());
    t.put("action_id", r.actionId());
    t.put("namespace", r.target().namespace());
    t.put("name", r.target().name());
    t.put("parameters", r.target().parameters());
    return t;
  }

  /** A refused click: told to the user, audited as a failure, nothing else written. */
  private void refuse(ActionRequest who, @Nullable RemediationRequest r,
      Map<String, Object> target, String event, String message,
      @Nullable AccessDecision decision) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("message", message);
    params.put("channel_id", who.channelId() == null ? "" : who.channelId());
    if (decision != null) {
      params.put("roles", decision.roles());
      params.put("memberships", decision.memberships());
    }
    Map<String, Object> t = new LinkedHashMap<>(target);
    if (r != null) {
      t.putAll(target(r));
      params.put("state", r.state().wire());
    }
    store.audit(new AuditEntry(clock.instant(), who.userId(), who.userName(),
        "remediation." + event, who.incidentId(), t, params, AuditResult.DENIED, message));
    log.info("remediation click refused {} {} {} {}", kv("event", event),
        kv("incident_id", who.incidentId()), kv("user_id", who.userId()), kv("reason", message));
    writer.tell(who, ":no_entry: " + IncidentMessageRenderer.escapeText(message)
        + (message.endsWith(".") ? "" : ".") + " Nothing was changed.");
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return b;
  }
}
