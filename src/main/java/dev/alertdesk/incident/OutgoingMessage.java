package dev.alertdesk.incident;

import dev.alertdesk.alert.Alert;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One typed intent waiting in the outbox: for which delivery target, which Slack call, in which
 * channel, saying what, and why. Nothing is rendered here: the outbox worker composes the message from the incident's
 * current state (acknowledgement, silence, the route's mention, flapping, storm, enrichment) when
 * it sends it, as Alertmanager's notifiers template at {@code Notify} time.
 *
 * <p>For a {@link DeliveryTarget} other than Slack, {@code kind} and {@code channel} keep their
 * shape with the target's meaning: {@link SlackIntent.Kind#PARENT_POST} for the message that
 * starts the incident's conversation in that target and {@link SlackIntent.Kind#THREAD_REPLY} for
 * the ones after it; {@code channel} is the target's address (for e-mail the recipients,
 * comma-separated). Build them with {@link #to}.
 *
 * @param kind the Slack call: post the parent, update it, reply in its thread, or upload a graph
 * @param channel the Slack channel, as a name ({@code #alerts}) or an ID; for other targets the
 *     target's address
 * @param message what the message says
 * @param reason why it is sent, in snake case (for example {@code opened}, {@code acknowledged},
 *     {@code alerts_changed}); shown in logs and the message preview, never in Slack
 * @param params what the message needs that is not current state: strings, numbers, booleans
 *     and lists of strings, as documented per {@link MessageKind}; copied
 * @param target the worker that delivers it; {@link DeliveryTarget#SLACK} unless built by
 *     {@link #to}
 */
public record OutgoingMessage(SlackIntent.Kind kind, String channel, MessageKind message,
    String reason, Map<String, Object> params, DeliveryTarget target) {
  /** Copies the parameters, keeping their order. */
  public OutgoingMessage {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(reason, "reason");
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** A Slack intent ({@link DeliveryTarget#SLACK}). */
  public OutgoingMessage(SlackIntent.Kind kind, String channel, MessageKind message,
      String reason, Map<String, Object> params) {
    this(kind, channel, message, reason, params, DeliveryTarget.SLACK);
  }

  /**
   * An intent for a delivery target other than Slack.
   *
   * @param target the target whose worker delivers it
   * @param address where in the target, e.g. the e-mail recipients, comma-separated
   * @param first true for the message that starts the incident's conversation in the target
   *     (stored as {@link SlackIntent.Kind#PARENT_POST}), false for a later one
   *     ({@link SlackIntent.Kind#THREAD_REPLY})
   * @param message what it says
   * @param reason why it is sent, in snake case
   * @param params what it needs that is not current state
   */
  public static OutgoingMessage to(DeliveryTarget target, String address, boolean first,
      MessageKind message, String reason, Map<String, Object> params) {
    return new OutgoingMessage(first ? SlackIntent.Kind.PARENT_POST
        : SlackIntent.Kind.THREAD_REPLY, address, message, reason, params, target);
  }

  /** Returns true when this intent is for Slack. */
  public boolean isSlack() {
    return target == DeliveryTarget.SLACK;
  }

  /** The same intent addressed to another channel. */
  public OutgoingMessage withChannel(String otherChannel) {
    return new OutgoingMessage(kind, otherChannel, message, reason, params, target);
  }

  /** The same intent as another Slack call (a parent post turned into an update). */
  public OutgoingMessage withKind(SlackIntent.Kind otherKind) {
    return new OutgoingMessage(otherKind, channel, message, reason, params, target);
  }

  /**
   * The incident's parent message, composed from its current state.
   *
   * @param kind {@link SlackIntent.Kind#PARENT_POST} or {@link SlackIntent.Kind#PARENT_UPDATE}
   */
  public static OutgoingMessage parent(SlackIntent.Kind kind, String channel, String reason) {
    if (kind != SlackIntent.Kind.PARENT_POST && kind != SlackIntent.Kind.PARENT_UPDATE) {
      throw new IllegalArgumentException("a parent is posted or updated, not " + kind);
    }
    return new OutgoingMessage(kind, channel, MessageKind.PARENT, reason, Map.of());
  }

  /**
   * The message of one engine intent: the parent, or a thread reply naming the alerts that
   * joined, fired again or resolved (by fingerprint).
   */
  public static OutgoingMessage of(SlackIntent intent, String channel) {
    return switch (intent.kind()) {
      case PARENT_POST -> parent(intent.kind(), channel, "opened");
      case PARENT_UPDATE -> parent(intent.kind(), channel, "changed");
      case GRAPH -> graph(channel, "firing");
      case THREAD_REPLY -> {
        MessageKind kind = switch (intent.reply()) {
          case REOPENED -> MessageKind.REOPENED;
          case RESOLVED -> MessageKind.RESOLVED;
          default -> MessageKind.ALERTS_CHANGED;
        };
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("firing", fingerprints(intent.firing()));
        params.put("resolved", fingerprints(intent.resolved()));
        yield new OutgoingMessage(SlackIntent.Kind.THREAD_REPLY, channel, kind,
            kind.wire(), params);
      }
    };
  }

  /**
   * A graph of the incident's query uploaded into its thread, rendered when the job runs.
   *
   * @param chart {@code firing} or {@code resolved}
   */
  public static OutgoingMessage graph(String channel, String chart) {
    return new OutgoingMessage(SlackIntent.Kind.GRAPH, channel, MessageKind.GRAPH,
        "graph_" + chart, Map.of("chart", chart));
  }

  /**
   * The "Alert storm" message, the parent of the storm's anchor incident in {@code channel}.
   *
   * @param kind post when the storm starts, update as it grows and ends
   */
  public static OutgoingMessage storm(SlackIntent.Kind kind, String channel, long stormId) {
    return new OutgoingMessage(kind, channel, MessageKind.STORM, "storm",
        Map.of("storm_id", stormId));
  }

  /**
   * A reply in a related incident's thread: {@code incidentId} joined it (or reopened).
   *
   * @param correlateBy the labels both share
   */
  public static OutgoingMessage related(String channel, long incidentId,
      List<String> correlateBy) {
    return new OutgoingMessage(SlackIntent.Kind.THREAD_REPLY, channel, MessageKind.RELATED,
        "correlate_by", Map.of("incident_id", incidentId, "correlate_by",
            List.copyOf(correlateBy)));
  }

  /** A reply in a related incident's thread: {@code incidentId} resolved. */
  public static OutgoingMessage relatedResolved(String channel, long incidentId) {
    return new OutgoingMessage(SlackIntent.Kind.THREAD_REPLY, channel,
        MessageKind.RELATED_RESOLVED, "correlate_by", Map.of("incident_id", incidentId));
  }

  /** The one reply saying the incident flaps, with the transitions counted when it started. */
  public static OutgoingMessage flapping(String channel, int transitions) {
    return new OutgoingMessage(SlackIntent.Kind.THREAD_REPLY, channel, MessageKind.FLAPPING,
        "flapping", Map.of("transitions", transitions));
  }

  /** A reminder that the incident is still unacknowledged after {@code unacknowledgedSeconds}. */
  public static OutgoingMessage reminder(String channel, long unacknowledgedSeconds) {
    return new OutgoingMessage(SlackIntent.Kind.THREAD_REPLY, channel, MessageKind.REMINDER,
        "unacknowledged", Map.of("unacknowledged_seconds", unacknowledgedSeconds));
  }

  /**
   * A reply announcing an action taken from Slack.
   *
   * @param action the event kind the action wrote, e.g. {@code acknowledged}
   * @param mrkdwn what happened, in the handler's words, e.g. ":eyes: Acknowledged by <@U1>"
   */
  public static OutgoingMessage actionReply(String channel, String action, String mrkdwn) {
    return new OutgoingMessage(SlackIntent.Kind.THREAD_REPLY, channel, MessageKind.ACTION_REPLY,
        action, Map.of("action", action, "text", mrkdwn));
  }

  /** The parameter naming a thread message that is edited in place once posted. */
  public static final String MESSAGE_KEY = "message_key";

  /**
   * A remediation request's message in the thread: posted the first time, then edited in place
   * (its ts is kept under {@code message_key} {@code remediation:<id>}).
   *
   * @param requestId the request's opaque id
   * @param reason why it is sent, such as {@code remediation_requested}
   */
  public static OutgoingMessage remediationRequest(String channel, String requestId,
      String reason) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("request_id", requestId);
    params.put(MESSAGE_KEY, "remediation:" + requestId);
    return new OutgoingMessage(SlackIntent.Kind.THREAD_REPLY, channel,
        MessageKind.REMEDIATION_REQUEST, reason, params);
  }

  /** A string parameter, or null when absent. */
  public @org.jspecify.annotations.Nullable String text(String name) {
    Object v = params.get(name);
    return v == null ? null : v.toString();
  }

  /** A numeric parameter, or {@code fallback} when absent or not a number. */
  public long number(String name, long fallback) {
    Object v = params.get(name);
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    return fallback;
  }

  /** A list-of-strings parameter; empty when absent. */
  public List<String> strings(String name) {
    Object v = params.get(name);
    if (v instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  private static List<String> fingerprints(List<Alert> alerts) {
    return alerts.stream().map(Alert::fingerprint).toList();
  }
}
