package dev.alertdesk.action;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.audit.AuditResult;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.rbac.AccessDecision;
import dev.alertdesk.rbac.Authorizer;
import dev.alertdesk.rbac.Freshness;
import dev.alertdesk.rbac.WithoutRbacAuthorizer;
import dev.alertdesk.slack.ActionValue;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.slack.IncidentMessageRenderer;
import dev.alertdesk.slack.SlackInteraction;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each action of a Slack interaction to the {@link ActionHandler} registered for its
 * {@code action_id}. Independent of the transport: {@code /slack/events} today (and later Socket
 * Mode) passes the parsed interaction to {@link #accept}, which records it and answers at once;
 * the work runs afterwards on one background thread, and interactions recorded but not finished
 * before a restart are resumed at {@link #start()}.
 *
 * <p>Idempotency: each click is recorded under {@code user:action_id:action_ts}, so a Slack retry
 * or replay is ignored; a second click finds the state already changed (acknowledged, silenced)
 * and the handler only tells the user so, ephemerally.
 *
 * <p>Before any handler runs, the dispatcher checks, in this order, and answers the user
 * ephemerally when a check fails: the {@code action_id} has a handler (link buttons, prefixed
 * {@value IncidentActionBlocks#LINK_PREFIX}, are ignored silently); the value names an incident
 * ({@link ActionValue}); and the click comes from a channel where that incident has its own parent
 * message ({@link ActionStore#hasParentIn}), so a validly signed click from another channel, with
 * a forged value, changes nothing; and RBAC: the {@link Authorizer} allows the user the handler's
 * grant ({@link ActionHandler#grant}) in that channel. A refusal by RBAC is told to the user
 * ("Not allowed: needs role oncall") and written as an audit row with result {@code denied},
 * recording the roles and user-group memberships it rested on.
 */
public final class ActionDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ActionDispatcher.class);

  /** Slack's response URLs work for 30 minutes: older unfinished clicks are not resumed. */
  private static final Duration RESUME_WINDOW = Duration.ofMinutes(30);

  private final ActionStore store;
  private final ActionWriter writer;
  private final Clock clock;
  private final Map<String, ActionHandler> handlers;
  private final ExecutorService worker;
  private final Authorizer authorizer;

  /** The fate of a received interaction. */
  public enum Acceptance {
    /** Recorded; the work runs in the background. */
    QUEUED,
    /** Seen before (a Slack retry or replay): nothing more is done. */
    DUPLICATE,
    /** Not an action Alertdesk acts on (another payload type): ignored. */
    IGNORED
  }

  /**
   * A dispatcher without RBAC: {@link WithoutRbacAuthorizer} (what a service without an
   * {@code rbac} section does).
   *
   * @param store records interactions and answers the channel check
   * @param writer answers the user
   * @param clock the source of "now"
   * @param handlers one per action kind
   * @throws IllegalArgumentException when two handlers serve the same {@code action_id}
   */
  public ActionDispatcher(ActionStore store, ActionWriter writer, Clock clock,
      List<ActionHandler> handlers) {
    this(store, writer, clock, handlers, new WithoutRbacAuthorizer());
  }

  /**
   * @param store records interactions and answers the channel check
   * @param writer answers the user and writes the audit row of a denial
   * @param clock the source of "now"
   * @param handlers one per action kind
   * @param authorizer decides whether the user may run each handler's grant
   * @throws IllegalArgumentException when two handlers serve the same {@code action_id}
   */
  public ActionDispatcher(ActionStore store, ActionWriter writer, Clock clock,
      List<ActionHandler> handlers, Authorizer authorizer) {
    this.authorizer = authorizer;
    Map<String, ActionHandler> byId = new LinkedHashMap<>();
    for (ActionHandler h : handlers) {
      ActionHandler earlier = byId.putIfAbsent(h.actionId(), h);
      if (earlier != null) {
        throw new IllegalArgumentException("two action handlers serve action_id "
            + h.actionId() + ": " + earlier.getClass().getSimpleName() + " and "
            + h.getClass().getSimpleName());
      }
    }
    this.handlers = Map.copyOf(byId);
    this.store = store;
    this.writer = writer;
    this.clock = clock;
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "alertdesk-actions");
      t.setDaemon(true);
      return t;
    });
  }

  /** The {@code action_id}s that have a handler. */
  public Set<String> actionIds() {
    return handlers.keySet();
  }

  /**
   * Resumes interactions recorded in the last 30 minutes but not finished. A database that is
   * not ready yet is logged; those interactions are then not resumed.
   */
  public void start() {
    worker.submit(() -> {
      try {
        for (ActionStore.PendingInteraction p : store.pending(clock.instant().minus(RESUME_WINDOW))) {
          run(p.id(), SlackInteraction.parse(p.payloadJson()));
        }
      } catch (RuntimeException e) {
        log.warn("could not resume pending Slack interactions: {}", e.getMessage());
      }
    });
  }

  /**
   * Records a verified interaction and queues its work. Fast: one database write.
   *
   * @param interaction the parsed payload
   * @param payloadJson the payload as received (stored, so the work survives a restart)
   * @return whether it was queued, a repeat, or ignored
   * @throws StorageException when it cannot be recorded (the caller answers 5xx, so Slack shows
   *     the user an error instead of silently dropping the click)
   */
  public Acceptance accept(SlackInteraction interaction, String payloadJson) {
    if (!"block_actions".equals(interaction.type()) || interaction.actions().isEmpty()) {
      return Acceptance.IGNORED;
    }
    SlackInteraction.Action first = interaction.actions().get(0);
    String key = interaction.userId() + ":" + first.actionId() + ":" + first.actionTs();
    Optional<Long> id = store.accept(key, payloadJson, clock.instant());
    if (id.isEmpty()) {
      log.info("slack interaction repeated, ignored {} {} {}", kv("user_id", interaction.userId()),
          kv("action_id", first.actionId()), kv("action_ts", first.actionTs()));
      return Acceptance.DUPLICATE;
    }
    long interactionId = id.get();
    worker.submit(() -> run(interactionId, interaction));
    return Acceptance.QUEUED;
  }

  private void run(long interactionId, SlackInteraction interaction) {
    try {
      for (SlackInteraction.Action action : interaction.actions()) {
        dispatch(interaction, action);
      }
      store.finish(interactionId, clock.instant());
    } catch (RuntimeException e) {
      log.error("slack action failed {} {}: {}", kv("interaction_id", interactionId),
          kv("user_id", interaction.userId()), e.toString());
      writer.tell(interaction.responseUrl(), interaction.userId(),
          ":warning: Alertdesk could not complete this action ("
          + (e instanceof StorageException ? "storage unavailable" : "internal error")
          + "). Please try again.");
    }
  }

  /**
   * Carries out one action of an interaction, on the caller's thread; package-private for tests.
   */
  void dispatch(SlackInteraction interaction, SlackInteraction.Action action) {
    String actionId = action.actionId();
    if (actionId.startsWith(IncidentActionBlocks.LINK_PREFIX)) {
      return; // a link button: Slack opened the URL, nothing to do here
    }
    if (!handlers.containsKey(actionId)) {
      writer.tell(interaction.responseUrl(), interaction.userId(), unknownAction(actionId));
      return;
    }
    ActionValue value = ActionValue.parse(action.value());
    if (value == null) {
      writer.tell(interaction.responseUrl(), interaction.userId(), ":warning: Alertdesk could "
          + "not read which incident this button is for. Please use the buttons on the latest "
          + "incident message.");
      return;
    }
    dispatch(new ActionRequest(actionId, value.incidentId(), value.choice(),
        interaction.userId(), interaction.userName(), interaction.channelId(),
        interaction.responseUrl()));
  }

  /**
   * Carries out one request on the caller's thread: checks that its action has a handler, that
   * it comes from a channel where the incident has its own parent message, and that RBAC allows
   * the user the handler's grant there (user groups from the 5-minute cache), then runs the
   * handler. Requests by Alertdesk itself ({@link ActionRequest#SYSTEM_USER}, which no Slack user
   * ID can equal) skip RBAC. A transport without Slack's click records (a slash command) calls
   * this directly.
   *
   * @param request the request; {@code channelId} null fails the channel check
   * @throws StorageException when the database fails
   */
  public void dispatch(ActionRequest request) {
    ActionHandler handler = handlers.get(request.actionId());
    if (handler == null) {
      writer.tell(request, unknownAction(request.actionId()));
      return;
    }
    String channelId = request.channelId();
    if (channelId == null || !store.hasParentIn(request.incidentId(), channelId)) {
      log.warn("slack action refused, not from the incident's channel {} {} {} {}",
          kv("action", request.actionId()), kv("incident_id", request.incidentId()),
          kv("user_id", request.userId()), kv("channel", channelId));
      writer.tell(request, ":no_entry: This button does not belong to incident #"
          + request.incidentId() + " in this channel; nothing was changed. Please use the "
          + "buttons on the incident's own message.");
      return;
    }
    if (!ActionRequest.SYSTEM_USER.equals(request.userId())) {
      String grant = handler.grant(request);
      AccessDecision decision = authorizer.check(request.userId(), grant, channelId,
          Freshness.CACHED);
      if (!decision.allowed()) {
        deny(request, grant, decision);
        return;
      }
    }
    handler.handle(request);
  }

  /** Audits and tells a refusal by RBAC; nothing else is changed. */
  private void deny(ActionRequest request, String grant, AccessDecision decision) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("roles", decision.roles());
    parameters.put("memberships", new java.util.TreeMap<>(decision.memberships()));
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("action_id", request.actionId());
    if (request.channelId() != null) {
      target.put("channel_id", request.channelId());
    }
    writer.auditFailure(ActionWriter.entry(request, clock.instant(), grant, target, parameters,
        AuditResult.DENIED, decision.reason()));
    writer.tell(request, ":no_entry: Not allowed: "
        + IncidentMessageRenderer.escapeText(decision.reason()) + ". Nothing was changed on "
        + "incident #" + request.incidentId() + ".");
  }

  private static String unknownAction(String actionId) {
    return "Sorry, Alertdesk does not know the action `"
        + IncidentMessageRenderer.escapeText(actionId) + "`. It may come from an older "
        + "message or a newer version; please use the buttons on the latest incident message.";
  }

  /** Stops the background work; a click in progress finishes within 10 s or resumes at the next start. */
  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.shutdownNow();
    }
  }
}
