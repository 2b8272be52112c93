package dev.alertdesk.action;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.audit.AuditEntry;
import dev.alertdesk.audit.AuditResult;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.slack.ResponseUrlResponder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every {@link ActionHandler} does around its own decision: writes the change in one
 * transaction ({@link ActionStore#apply}), then logs one structured line with the audit fields,
 * wakes the outbox worker when Slack messages were queued, and answers the user ephemerally
 * through the request's {@code response_url}. Also builds the common parts of a change: the
 * timeline event, the audit row and the Slack intents ({@link #messages}). Thread-safe.
 */
public final class ActionWriter {
  private static final Logger log = LoggerFactory.getLogger(ActionWriter.class);

  private final ActionStore store;
  private final ResponseUrlResponder responder;
  private final Runnable onCommitted;

  /**
   * @param store durable action state
   * @param responder sends ephemeral replies to the user who asked
   * @param onCommitted called after an action queued Slack messages (wakes the outbox worker)
   */
  public ActionWriter(ActionStore store, ResponseUrlResponder responder, Runnable onCommitted) {
    this.store = store;
    this.responder = responder;
    this.onCommitted = onCommitted;
  }

  /** The answer when the incident of a request does not exist. */
  static String noSuchIncident(long incidentId) {
    return "Incident #" + incidentId + " does not exist (any more).";
  }

  /** The answer when an action needs an open incident and it has resolved. */
  static String alreadyResolved(long incidentId) {
    return "Incident #" + incidentId + " is already resolved.";
  }

  /**
   * Loads the current state of the request's incident without locking (to decide on a call to
   * Alertmanager before the transaction).
   *
   * @return the state, or empty when no incident has that id
   * @throws dev.alertdesk.incident.StorageException when the database fails
   */
  public Optional<ActionContext> load(long incidentId) {
    return store.load(incidentId);
  }

  /**
   * Writes one change in a single transaction, without answering anyone yet; see
   * {@link ActionStore#apply}. Follow with {@link #finish}.
   *
   * @return the change written, or empty when no incident has that id
   */
  public Optional<ActionChange> apply(long incidentId, Function<ActionContext, ActionChange> step) {
    return store.apply(incidentId, step);
  }

  /** {@link #apply} on the request's incident, then {@link #finish}. */
  public void commit(ActionRequest who, Function<ActionContext, ActionChange> step) {
    finish(who, apply(who.incidentId(), step));
  }

  /**
   * The work after a commit: logs the audit row, wakes the outbox worker when messages were
   * queued, and tells the user the change's ephemeral text (or that the incident does not exist).
   *
   * @param who the request
   * @param written what {@link #apply} returned
   */
  public void finish(ActionRequest who, Optional<ActionChange> written) {
    if (written.isEmpty()) {
      tell(who, noSuchIncident(who.incidentId()));
      return;
    }
    ActionChange change = written.get();
    if (change.audit() != null) {
      logAction(change.audit());
    }
    if (!change.messages().isEmpty()) {
      onCommitted.run();
    }
    if (change.ephemeral() != null && !change.ephemeral().isEmpty()) {
      tell(who, change.ephemeral());
    }
  }

  /**
   * Appends an audit row on its own (an action that failed before changing any state, such as
   * Alertmanager refusing a silence) and logs it.
   */
  public void auditFailure(AuditEntry failed) {
    store.audit(failed);
    logAction(failed);
  }

  /**
   * Tells the user who asked, privately; best effort, never throws. Without a
   * {@code response_url} the text is only logged.
   *
   * @param who the request
   * @param mrkdwn the text, Slack mrkdwn, with every untrusted part escaped
   */
  public void tell(ActionRequest who, String mrkdwn) {
    tell(who.responseUrl(), who.userId(), mrkdwn);
  }

  void tell(@Nullable String responseUrl, String userId, String mrkdwn) {
    if (responseUrl == null) {
      log.info("no response_url to tell {}: {}", kv("user_id", userId), mrkdwn);
      return;
    }
    responder.ephemeral(responseUrl, mrkdwn);
  }

  /**
   * Builds a state change with its event, audit row, parent update and thread reply.
   *
   * @param ctx the state read in the transaction
   * @param next the new response, or null to leave it unchanged
   * @param kind the timeline event's kind
   * @param now the current time
   * @param who the request; its user goes into the event's details
   * @param details the event's details
   * @param audit the audit row
   * @param reply the thread reply's text, Slack mrkdwn
   */
  public ActionChange change(ActionContext ctx, @Nullable IncidentResponse next, EventKind kind,
      Instant now, ActionRequest who, Map<String, Object> details, AuditEntry audit,
      String reply) {
    Map<String, Object> eventDetails = new LinkedHashMap<>(details);
    eventDetails.put("user_id", who.userId());
    eventDetails.put("user_name", who.userName());
    return new ActionChange(next, List.of(new IncidentEvent(kind, now, eventDetails)), audit,
        messages(ctx, kind, reply), List.of(), null);
  }

  /**
   * The Slack messages of an action, queued in its transaction: the parent update, and a thread
   * reply saying {@code reply}. Every action's messages are built here and nowhere else.
   */
  List<OutgoingMessage> messages(ActionContext ctx, EventKind kind, String reply) {
    // Intents, composed when sent: the parent update shows the response then current (the
    // store sends it to every channel where the incident has a parent).
    return List.of(
        OutgoingMessage.parent(SlackIntent.Kind.PARENT_UPDATE, ctx.channel(), kind.wire()),
        OutgoingMessage.actionReply(ctx.channel(), kind.wire(), reply));
  }

  /**
   * An audit row for the request's incident.
   *
   * @param who the request (its user is recorded)
   * @param now the current time
   * @param action the audited action name, such as {@code silence}
   * @param target what it acted on (matchers, silence id, fingerprints)
   * @param parameters how (duration, until)
   * @param result success or failure
   * @param error the error shown to the user, or null
   */
  public static AuditEntry entry(ActionRequest who, Instant now, String action,
      Map<String, Object> target, Map<String, Object> parameters, AuditResult result,
      @Nullable String error) {
    return new AuditEntry(now, who.userId(), who.userName(), action, who.incidentId(), target,
        parameters, result, error);
  }

  /** One structured log line per action, with the audit row's fields. */
  static void logAction(AuditEntry e) {
    log.info("action {} {} {} {} {} {} {} {}", kv("action", e.action()),
        kv("result", e.result().wire()), kv("incident_id", e.incidentId()),
        kv("user_id", e.userId()), kv("user_name", e.userName()), kv("target", e.target()),
        kv("parameters", e.parameters()), kv("error", e.error()));
  }
}
