package dev.alertdesk.action;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.alertmanager.AlertmanagerClient;
import dev.alertdesk.alertmanager.AlertmanagerException;
import dev.alertdesk.alert.Matcher;
import dev.alertdesk.audit.AuditEntry;
import dev.alertdesk.audit.AuditResult;
import dev.alertdesk.config.Durations;
import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.slack.IncidentMessageRenderer;
import dev.alertdesk.slack.ResponseUrlResponder;
import dev.alertdesk.slack.SlackInteraction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the actions clicked on an incident's parent message: Acknowledge, Unacknowledge,
 * Silence (a real Alertmanager silence with equality matchers on the group labels), Unsilence
 * and Snooze. The HTTP handler only {@link #accept records} a click, answering Slack within its
 * 3 s; the work runs afterwards on one background thread, and interactions recorded but not
 * finished before a restart are resumed at {@link #start()}.
 *
 * <p>Idempotency: each click is recorded under {@code user:action_id:action_ts}, so a Slack retry
 * or replay is ignored; a second click finds the state already changed (acknowledged, silenced)
 * and only tells the user so, ephemerally. Each state change writes the response, a timeline
 * event, an audit row and the Slack updates (parent update and thread reply, through the outbox)
 * in one transaction, and logs one structured line with the audit fields. Alertmanager's error
 * text is shown to the user ephemerally and audited as a failure.
 *
 * <p>A click counts only when it comes from a channel where the incident has its own parent
 * message ({@link ActionStore#hasParentIn}): a validly signed click from another channel, with a
 * forged button value, changes nothing.
 *
 * <p>"Until resolved" silences are created for {@link #UNTIL_RESOLVED_MAX} and expired by a
 * check every {@value #EXPIRY_CHECK_SECONDS} s once the incident has resolved.
 */
public final class SlackActions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SlackActions.class);

  /** How long an "until resolved" silence lasts at most if the incident never resolves. */
  public static final Duration UNTIL_RESOLVED_MAX = Duration.ofDays(7);
  static final int EXPIRY_CHECK_SECONDS = 5;
  /** Slack's response URLs work for 30 minutes: older unfinished clicks are not resumed. */
  private static final Duration RESUME_WINDOW = Duration.ofMinutes(30);
  private static final String SYSTEM_USER = "alertdesk";

  private final ActionStore store;
  private final AlertmanagerClient alertmanager;
  private final ResponseUrlResponder responder;
  private final Clock clock;
  private final Runnable onCommitted;
  /** The window of {@code alertdesk_time_to_acknowledge_seconds_max}: 24 hours. */
  static final Duration MTTA_MAX_WINDOW = Duration.ofHours(24);

  private final Timer timeToAcknowledge;
  private final ExecutorService worker;
  private final ScheduledExecutorService expiry;

  /** The fate of a received click. */
  public enum Acceptance {
    /** Recorded; the work runs in the background. */
    QUEUED,
    /** Seen before (a Slack retry or replay): nothing more is done. */
    DUPLICATE,
    /** Not an action Alertdesk acts on (another payload type): ignored. */
    IGNORED
  }

  /**
   * @param store durable action state
   * @param alertmanager creates and expires silences
   * @param responder sends ephemeral replies to the user who clicked
   * @param clock the source of "now"
   * @param onCommitted called after an action queued Slack messages (wakes the outbox worker)
   * @param metrics where {@code alertdesk_time_to_acknowledge_seconds} (one MTTA sample per
   *     acknowledgement) is recorded
   */
  public SlackActions(ActionStore store, AlertmanagerClient alertmanager,
      ResponseUrlResponder responder, Clock clock,
      Runnable onCommitted, MeterRegistry metrics) {
    this.timeToAcknowledge = timeToAcknowledge(metrics);
    this.store = store;
    this.alertmanager = alertmanager;
    this.responder = responder;
    this.clock = clock;
    this.onCommitted = onCommitted;
    this.worker = Executors.newSingleThreadExecutor(r -> daemon(r, "alertdesk-actions"));
    this.expiry = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "alertdesk-silence-expiry"));
  }

  /**
   * Registers {@code alertdesk_time_to_acknowledge_seconds}: one sample per incident, from its
   * first alert firing ({@code startsAt}) to its first acknowledgement (MTTA is sum / count). Its
   * {@code _max} is the longest sample of the last {@link #MTTA_MAX_WINDOW} (Micrometer's
   * decaying maximum, here over a day rather than its default 2 minutes, so a scrape minutes after
   * an acknowledgement still shows it).
   */
  static Timer timeToAcknowledge(MeterRegistry metrics) {
    return Timer.builder("alertdesk_time_to_acknowledge")
        .description("From an incident's first alert firing (startsAt) to its first "
            + "acknowledgement (MTTA)")
        .distributionStatisticExpiry(MTTA_MAX_WINDOW)
        .distributionStatisticBufferLength(24)
        .register(metrics);
  }

  /**
   * Resumes clicks recorded in the last 30 minutes but not finished, and starts the check that
   * expires "until resolved" silences. A database that is not ready yet is retried by the check.
   */
  public void start() {
    expiry.scheduleWithFixedDelay(this::expireResolvedSilences, EXPIRY_CHECK_SECONDS,
        EXPIRY_CHECK_SECONDS, TimeUnit.SECONDS);
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
        handle(interaction, action);
      }
      store.finish(interactionId, clock.instant());
    } catch (RuntimeException e) {
      log.error("slack action failed {} {}: {}", kv("interaction_id", interactionId),
          kv("user_id", interaction.userId()), e.toString());
      tell(interaction, ":warning: Alertdesk could not complete this action ("
          + (e instanceof StorageException ? "storage unavailable" : "internal error")
          + "). Please try again.");
    }
  }

  /** Carries out one action of an interaction; package-private for tests. */
  void handle(SlackInteraction interaction, SlackInteraction.Action action) {
    String actionId = action.actionId();
    if (actionId.startsWith(IncidentActionBlocks.LINK_PREFIX)) {
      return; // a link button: Slack opened the URL, nothing to do here
    }
    Target target = Target.parse(action.value());
    switch (actionId) {
      case IncidentActionBlocks.ACKNOWLEDGE, IncidentActionBlocks.UNACKNOWLEDGE,
          IncidentActionBlocks.SILENCE, IncidentActionBlocks.UNSILENCE,
          IncidentActionBlocks.SNOOZE -> {
        if (target == null) {
          tell(interaction, ":warning: Alertdesk could not read which incident this button is "
              + "for. Please use the buttons on the latest incident message.");
          return;
        }
      }
      default -> {
        tell(interaction, "Sorry, Alertdesk does not know the action `"
            + IncidentMessageRenderer.escapeText(actionId) + "`. It may come from an older "
            + "message or a newer version; please use the buttons on the latest incident message.");
        return;
      }
    }
    String channelId = interaction.channelId();
    if (channelId == null || !store.hasParentIn(target.incidentId(), channelId)) {
      log.warn("slack action refused, not from the incident's channel {} {} {} {}",
          kv("action", actionId), kv("incident_id", target.incidentId()),
          kv("user_id", interaction.userId()), kv("channel", channelId));
      tell(interaction, ":no_entry: This button does not belong to incident #"
          + target.incidentId() + " in this channel; nothing was changed. Please use the "
          + "buttons on the incident's own message.");
      return;
    }
    switch (actionId) {
      case IncidentActionBlocks.ACKNOWLEDGE -> acknowledge(interaction, target.incidentId());
      case IncidentActionBlocks.UNACKNOWLEDGE -> unacknowledge(interaction, target.incidentId());
      case IncidentActionBlocks.SILENCE -> silence(interaction, target);
      case IncidentActionBlocks.UNSILENCE -> unsilence(interaction, target.incidentId());
      default -> snooze(interaction, target);
    }
  }

  private void acknowledge(SlackInteraction who, long incidentId) {
    Instant now = clock.instant();
    Optional<ActionChange> written = store.apply(incidentId, ctx -> {
      Incident incident = ctx.incident();
      if (incident.status() == IncidentStatus.RESOLVED) {
        return ActionChange.tellOnly("Incident #" + incidentId + " is already resolved.");
      }
      IncidentResponse.Acknowledgement ack = ctx.response().acknowledgement();
      if (ack != null) {
        return ActionChange.tellOnly((ack.userId().equals(who.userId()) ? "You" : "<@" + ack.userId() + ">")
            + " already acknowledged incident #" + incidentId + " at "
            + IncidentActionBlocks.slackTimeOf(ack.at()) + ".");
      }
      IncidentResponse.Acknowledgement mine =
          new IncidentResponse.Acknowledgement(who.userId(), who.userName(), now);
      IncidentResponse next = ctx.response().withAcknowledgement(mine);
      if (ctx.acknowledgedBefore()) {
        // MTTA runs to the first acknowledgement only; a later one is no new sample.
        return change(ctx, next, EventKind.ACKNOWLEDGED, now, who, Map.of(),
            entry(who, now, "acknowledge", incidentId, Map.of(), Map.of(),
                AuditResult.SUCCESS, null),
            ":eyes: Acknowledged again by <@" + who.userId() + ">");
      }
      Duration mtta = mine.timeToAcknowledge(incident);
      return change(ctx, next, EventKind.ACKNOWLEDGED, now, who, Map.of("mtta_seconds", mtta.toSeconds()),
          entry(who, now, "acknowledge", incidentId, Map.of(), Map.of("mtta_seconds", mtta.toSeconds()),
              AuditResult.SUCCESS, null),
          ":eyes: Acknowledged by <@" + who.userId() + "> · time to acknowledge "
              + Durations.humanize(mtta) + " (since the first alert fired)");
    });
    written.map(ActionChange::audit)
        .filter(audit -> audit.parameters().get("mtta_seconds") instanceof Number)
        .ifPresent(audit -> timeToAcknowledge.record(
            Duration.ofSeconds(((Number) audit.parameters().get("mtta_seconds")).longValue())));
    finishCommit(who, written, incidentId);
  }

  private void unacknowledge(SlackInteraction who, long incidentId) {
    Instant now = clock.instant();
    commit(who, incidentId, ctx -> {
      IncidentResponse.Acknowledgement ack = ctx.response().acknowledgement();
      if (ack == null) {
        return ActionChange.tellOnly("Incident #" + incidentId + " is not acknowledged.");
      }
      return change(ctx, ctx.response().withAcknowledgement(null), EventKind.UNACKNOWLEDGED, now,
          who, Map.of("previously_acknowledged_by", ack.userId()),
          entry(who, now, "unacknowledge", incidentId,
              Map.of("previously_acknowledged_by", ack.userId()), Map.of(), AuditResult.SUCCESS, null),
          ":leftwards_arrow_with_hook: <@" + who.userId() + "> withdrew the acknowledgement by <@"
              + ack.userId() + ">");
    });
  }

  private void silence(SlackInteraction who, Target target) {
    long incidentId = target.incidentId();
    String choice = target.choice();
    Instant now = clock.instant();
    Duration duration = switch (choice == null ? "" : choice) {
      case "1h" -> Duration.ofHours(1);
      case "4h" -> Duration.ofHours(4);
      case "24h" -> Duration.ofHours(24);
      case "resolved" -> UNTIL_RESOLVED_MAX;
      default -> null;
    };
    if (duration == null) {
      tell(who, "Sorry, Alertdesk does not know the silence duration `"
          + IncidentMessageRenderer.escapeText(String.valueOf(choice)) + "`.");
      return;
    }
    boolean untilResolved = "resolved".equals(choice);
    Optional<ActionContext> loaded = store.load(incidentId);
    if (loaded.isEmpty()) {
      tell(who, "Incident #" + incidentId + " does not exist (any more).");
      return;
    }
    ActionContext ctx = loaded.get();
    String refusal = silenceRefusal(ctx, now);
    if (refusal != null) {
      tell(who, refusal);
      return;
    }
    List<Matcher> matchers = IncidentResponse.silenceMatchers(ctx.incident());
    List<String> matcherText = matchers.stream().map(Matcher::toString).toList();
    Instant endsAt = now.plus(duration);
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("duration", choice);
    parameters.put("ends_at", endsAt.toString());
    String comment = "Silenced from Slack by @" + who.userName() + " for incident #" + incidentId;
    String silenceId;
    try {
      silenceId = alertmanager.createSilence(matchers, now, endsAt, who.userName(), comment);
    } catch (AlertmanagerException e) {
      AuditEntry failed = entry(who, now, "silence", incidentId, Map.of("matchers", matcherText),
          parameters, AuditResult.FAILURE, e.getMessage());
      store.audit(failed);
      logAction(failed);
      tell(who, ":warning: Alertmanager did not create the silence: "
          + IncidentMessageRenderer.escapeText(String.valueOf(e.getMessage())));
      return;
    }
    IncidentResponse.Silence silence = new IncidentResponse.Silence(silenceId, matcherText, endsAt,
        who.userId(), who.userName(), untilResolved);
    Map<String, Object> target2 = Map.of("matchers", matcherText, "silence_id", silenceId);
    Optional<ActionChange> written;
    try {
      written = store.apply(incidentId, current -> {
        String late = silenceRefusal(current, now);
        if (late != null) {
          return ActionChange.tellOnly(late);
        }
        Map<String, Object> details = new LinkedHashMap<>(target2);
        details.putAll(parameters);
        details.put("until_resolved", untilResolved);
        return change(current, current.response().withSilence(silence), EventKind.SILENCED, now,
            who, details,
            entry(who, now, "silence", incidentId, target2, parameters, AuditResult.SUCCESS, null),
            ":mute: <@" + who.userId() + "> silenced this incident in Alertmanager "
                + (untilResolved ? "until it resolves" : "for " + Durations.humanize(duration)
                + " (until " + IncidentActionBlocks.slackTimeOf(endsAt) + ")")
                + "\nMatchers: " + String.join(", ", matcherText.stream()
                    .map(m -> "`" + IncidentMessageRenderer.escapeText(m) + "`").toList())
                + " · silence `" + silenceId + "`");
      });
    } catch (RuntimeException e) {
      expireQuietly(silenceId, "could not be recorded");
      throw e;
    }
    if (written.isPresent() && written.get().audit() == null) {
      // Someone else silenced it between the check and the commit: undo ours.
      expireQuietly(silenceId, "another silence was recorded first");
    }
    finishCommit(who, written, incidentId);
  }

  private static @Nullable String silenceRefusal(ActionContext ctx, Instant now) {
    long incidentId = ctx.response().incidentId();
    if (ctx.incident().status() == IncidentStatus.RESOLVED) {
      return "Incident #" + incidentId + " is already resolved.";
    }
    IncidentResponse.Silence existing = ctx.response().silence();
    if (existing != null && ctx.response().silencedAt(now)) {
      return "Incident #" + incidentId + " is already silenced by <@" + existing.userId() + "> "
          + (existing.untilResolved() ? "until it resolves"
          : "until " + IncidentActionBlocks.slackTimeOf(existing.endsAt()))
          + " (silence `" + existing.id() + "`).";
    }
    if (IncidentResponse.silenceMatchers(ctx.incident()).isEmpty()) {
      return "Incident #" + incidentId + " has no group labels to match, so a silence would mute "
          + "every alert. Create it in Alertmanager instead.";
    }
    return null;
  }

  private void unsilence(SlackInteraction who, long incidentId) {
    Instant now = clock.instant();
    Optional<ActionContext> loaded = store.load(incidentId);
    if (loaded.isEmpty()) {
      tell(who, "Incident #" + incidentId + " does not exist (any more).");
      return;
    }
    IncidentResponse.Silence silence = loaded.get().response().silence();
    if (silence == null) {
      tell(who, "Incident #" + incidentId + " has no silence to expire.");
      return;
    }
    Map<String, Object> target = Map.of("matchers", silence.matchers(), "silence_id", silence.id());
    try {
      alertmanager.expireSilence(silence.id());
    } catch (AlertmanagerException e) {
      if (!e.isNotFound()) {
        AuditEntry failed = entry(who, now, "unsilence", incidentId, target, Map.of(),
            AuditResult.FAILURE, e.getMessage());
        store.audit(failed);
        logAction(failed);
        tell(who, ":warning: Alertmanager did not expire silence `" + silence.id() + "`: "
            + IncidentMessageRenderer.escapeText(String.valueOf(e.getMessage())));
        return;
      }
      // Alertmanager no longer knows it (its storage was wiped): nothing mutes any more.
      log.warn("silence unknown to Alertmanager, clearing it here {} {}",
          kv("incident_id", incidentId), kv("silence_id", silence.id()));
    }
    commit(who, incidentId, ctx -> {
      IncidentResponse.Silence current = ctx.response().silence();
      if (current == null || !current.id().equals(silence.id())) {
        return ActionChange.tellOnly("Silence `" + silence.id() + "` was already expired.");
      }
      return change(ctx, ctx.response().withSilence(null), EventKind.UNSILENCED, now, who,
          Map.of("silence_id", silence.id(), "reason", "user"),
          entry(who, now, "unsilence", incidentId, target, Map.of(), AuditResult.SUCCESS, null),
          ":loud_sound: <@" + who.userId() + "> expired silence `" + silence.id() + "`");
    });
  }

  private void snooze(SlackInteraction who, Target target) {
    long incidentId = target.incidentId();
    String choice = target.choice() == null ? "" : target.choice();
    Instant now = clock.instant();
    Duration duration = switch (choice) {
      case "1h" -> Duration.ofHours(1);
      case "24h" -> Duration.ofHours(24);
      case "7d" -> Duration.ofDays(7);
      default -> null;
    };
    Integer firings = switch (choice) {
      case "n10" -> 10;
      case "n100" -> 100;
      default -> null;
    };
    if (duration == null && firings == null) {
      tell(who, "Sorry, Alertdesk does not know the snooze choice `"
          + IncidentMessageRenderer.escapeText(choice) + "`.");
      return;
    }
    commit(who, incidentId, ctx -> {
      Incident incident = ctx.incident();
      if (incident.status() == IncidentStatus.RESOLVED) {
        return ActionChange.tellOnly("Incident #" + incidentId + " is already resolved.");
      }
      List<String> fingerprints = incident.members().stream()
          .filter(a -> a.isFiring()).map(a -> a.fingerprint()).toList();
      if (fingerprints.isEmpty()) {
        fingerprints = incident.members().stream().map(a -> a.fingerprint()).toList();
      }
      List<FingerprintSnooze> snoozes = new ArrayList<>();
      for (String fp : fingerprints) {
        snoozes.add(new FingerprintSnooze(fp, incidentId, duration == null ? null : now.plus(duration),
            firings == null ? null : ctx.occurrenceCounts().getOrDefault(fp, 0) + firings,
            who.userId(), who.userName(), now));
      }
      Map<String, Object> parameters = new LinkedHashMap<>();
      if (duration != null) {
        parameters.put("until", now.plus(duration).toString());
      } else {
        parameters.put("firings", firings);
      }
      Map<String, Object> details = new LinkedHashMap<>(parameters);
      details.put("fingerprints", fingerprints);
      String how = duration != null
          ? "until " + IncidentActionBlocks.slackTimeOf(now.plus(duration))
          : "for their next " + firings + " firings";
      ActionChange base = change(ctx, null, EventKind.SNOOZED, now, who, details,
          entry(who, now, "snooze", incidentId, Map.of("fingerprints", fingerprints), parameters,
              AuditResult.SUCCESS, null),
          ":zzz: <@" + who.userId() + "> snoozed " + fingerprints.size() + " alert"
              + (fingerprints.size() == 1 ? "" : "s") + " " + how + ": no thread replies about "
              + (fingerprints.size() == 1 ? "it" : "them") + " until then. Alertmanager is "
              + "untouched and the history still records every firing.");
      return new ActionChange(null, base.events(), base.audit(),
          base.messages().stream().filter(m -> m.kind() == SlackIntent.Kind.THREAD_REPLY).toList(),
          snoozes, null);
    });
  }

  /**
   * Expires "until resolved" silences once their incident has resolved: when Alertdesk saw it
   * resolve, or when Alertmanager holds no unresolved alert matching the silence any more.
   * The second case matters because Alertmanager mutes the resolved notification of a silenced
   * alert too; expiring the silence before the group's next flush lets that notification through.
   * Runs every {@value #EXPIRY_CHECK_SECONDS} s; failures are retried at the next run.
   */
  void expireResolvedSilences() {
    try {
      for (ActionContext ctx : store.untilResolvedSilences()) {
        IncidentResponse.Silence silence = ctx.response().silence();
        if (silence == null) {
          continue;
        }
        long incidentId = ctx.response().incidentId();
        String reason;
        try {
          if (ctx.incident().status() == IncidentStatus.RESOLVED) {
            reason = "incident resolved";
          } else if (alertmanager.countUnresolvedAlerts(silence.matchers()) == 0) {
            reason = "no alert matches in Alertmanager";
          } else {
            continue;
          }
          alertmanager.expireSilence(silence.id());
        } catch (AlertmanagerException e) {
          if (!e.isNotFound()) {
            log.warn("could not check or expire silence, will retry {} {}: {}",
                kv("incident_id", incidentId), kv("silence_id", silence.id()), e.getMessage());
            continue;
          }
          reason = "silence gone from Alertmanager";
        }
        Instant now = clock.instant();
        Map<String, Object> target = Map.of("matchers", silence.matchers(), "silence_id", silence.id());
        SlackInteraction system = new SlackInteraction("system", SYSTEM_USER, SYSTEM_USER, null,
            null, null, "", List.of());
        String why = reason;
        commit(system, incidentId, current -> {
          IncidentResponse.Silence stored = current.response().silence();
          if (stored == null || !stored.id().equals(silence.id())) {
            return ActionChange.tellOnly("");
          }
          return change(current, current.response().withSilence(null), EventKind.UNSILENCED, now,
              system, Map.of("silence_id", silence.id(), "reason", why),
              entry(system, now, "unsilence", incidentId, target, Map.of("reason", why),
                  AuditResult.SUCCESS, null),
              ":loud_sound: Resolved: Alertdesk expired silence `" + silence.id()
                  + "` (until resolved, created by <@" + silence.userId() + ">; " + why + ")");
        });
      }
    } catch (RuntimeException e) {
      log.warn("silence expiry check failed, will retry: {}", e.getMessage());
    }
  }

  /** Builds a state change with its event, audit row, parent update and thread reply. */
  private ActionChange change(ActionContext ctx, @Nullable IncidentResponse next, EventKind kind,
      Instant now, SlackInteraction who, Map<String, Object> details, AuditEntry audit,
      String reply) {
    Map<String, Object> eventDetails = new LinkedHashMap<>(details);
    eventDetails.put("user_id", who.userId());
    eventDetails.put("user_name", who.userName());
    // Intents, composed when sent: the parent update shows the response then current (the
    // store sends it to every channel where the incident has a parent).
    List<OutgoingMessage> messages = List.of(
        OutgoingMessage.parent(SlackIntent.Kind.PARENT_UPDATE, ctx.channel(), kind.wire()),
        OutgoingMessage.actionReply(ctx.channel(), kind.wire(), reply));
    return new ActionChange(next, List.of(new IncidentEvent(kind, now, eventDetails)), audit,
        messages, List.of(), null);
  }

  private void commit(SlackInteraction who, long incidentId,
      java.util.function.Function<ActionContext, ActionChange> step) {
    finishCommit(who, store.apply(incidentId, step), incidentId);
  }

  private void finishCommit(SlackInteraction who, Optional<ActionChange> written, long incidentId) {
    if (written.isEmpty()) {
      tell(who, "Incident #" + incidentId + " does not exist (any more).");
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

  private void expireQuietly(String silenceId, String why) {
    try {
      alertmanager.expireSilence(silenceId);
      log.warn("expired silence again because it {} {}", why, kv("silence_id", silenceId));
    } catch (AlertmanagerException e) {
      log.error("silence {} and could not be expired; expire it in Alertmanager {}: {}",
          why, kv("silence_id", silenceId), e.getMessage());
    }
  }

  private void tell(SlackInteraction who, String mrkdwn) {
    if (who.responseUrl() == null) {
      log.info("no response_url to tell {}: {}", kv("user_id", who.userId()), mrkdwn);
      return;
    }
    responder.ephemeral(who.responseUrl(), mrkdwn);
  }

  private static AuditEntry entry(SlackInteraction who, Instant now, String action, long incidentId,
      Map<String, Object> target, Map<String, Object> parameters, AuditResult result,
      @Nullable String error) {
    return new AuditEntry(now, who.userId(), who.userName(), action, incidentId, target, parameters,
        result, error);
  }

  /** One structured log line per action, with the audit row's fields. */
  static void logAction(AuditEntry e) {
    log.info("action {} {} {} {} {} {} {} {}", kv("action", e.action()),
        kv("result", e.result().wire()), kv("incident_id", e.incidentId()),
        kv("user_id", e.userId()), kv("user_name", e.userName()), kv("target", e.target()),
        kv("parameters", e.parameters()), kv("error", e.error()));
  }

  /**
   * Which incident a button or option is about: a button's value is the incident id, an option's
   * value is {@code {incident id}:{choice}}.
   */
  record Target(long incidentId, @Nullable String choice) {
    static @Nullable Target parse(@Nullable String value) {
      if (value == null) {
        return null;
      }
      int colon = value.indexOf(':');
      String id = colon < 0 ? value : value.substring(0, colon);
      try {
        long incidentId = Long.parseLong(id);
        return incidentId > 0
            ? new Target(incidentId, colon < 0 ? null : value.substring(colon + 1)) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Stops the background work; a click in progress finishes within 10 s or resumes at the next start. */
  @Override
  public void close() {
    expiry.shutdownNow();
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
