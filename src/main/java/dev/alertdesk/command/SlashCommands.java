package dev.alertdesk.command;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.alertdesk.action.ActionDispatcher;
import dev.alertdesk.action.ActionRequest;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.slack.IncidentActionBlocks;
import dev.alertdesk.slack.ResponseUrlResponder;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code /alertdesk}, whichever transport carried it. {@link #accept} records the
 * invocation (one database write) and queues it, so the transport can answer Slack within 3 s;
 * the work runs afterwards on one background thread and answers the user ephemerally through the
 * command's {@code response_url}:
 *
 * <ul>
 *   <li>{@code list}, {@code show}, {@code help} and bad input are answered here
 *       ({@link CommandReplies}), from the channel's own incidents only;
 *   <li>{@code ack}, {@code silence} and {@code unsilence} become an {@link ActionRequest} for
 *       {@link ActionDispatcher#dispatch(ActionRequest)}, the path of the buttons: the same
 *       channel check, access check, handler, audit row and thread reply.
 * </ul>
 *
 * <p>Idempotency: each invocation is recorded under {@code user:trigger_id}; a redelivery (the
 * same Socket Mode envelope again after a dropped connection) is ignored. At most
 * {@value #MAX_QUEUED} invocations wait; beyond that {@link #accept} answers
 * {@link Acceptance#BUSY} and the user is told so at once.
 */
public final class SlashCommands implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SlashCommands.class);
  /** The most invocations waiting for the worker. */
  static final int MAX_QUEUED = 200;

  private final CommandStore store;
  private final ActionDispatcher actions;
  private final ResponseUrlResponder responder;
  private final @Nullable String baseUrl;
  private final Clock clock;
  private final ThreadPoolExecutor worker;

  /** The fate of a received invocation. */
  public enum Acceptance {
    /** Recorded; the work runs in the background. */
    QUEUED,
    /** Seen before (a redelivery): nothing more is done. */
    DUPLICATE,
    /** Too many invocations wait: not recorded; the transport tells the user to try again. */
    BUSY
  }

  /**
   * @param store records invocations and reads the channel's incidents
   * @param actions carries out {@code ack}, {@code silence} and {@code unsilence}
   * @param responder answers the user through the command's {@code response_url}
   * @param baseUrl the service's public URL ({@code BASE_URL}) for incident page links, or null
   * @param clock the source of "now"
   */
  public SlashCommands(CommandStore store, ActionDispatcher actions, ResponseUrlResponder responder,
      @Nullable String baseUrl, Clock clock) {
    this.store = store;
    this.actions = actions;
    this.responder = responder;
    this.baseUrl = baseUrl;
    this.clock = clock;
    this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
          Thread t = new Thread(r, "alertdesk-commands");
          t.setDaemon(true);
          return t;
        });
  }

  /** The answer given at once when {@link #accept} says {@link Acceptance#BUSY}. */
  public static final String BUSY_TEXT =
      ":hourglass: Alertdesk is busy with other commands; please try again in a minute.";

  /**
   * Records an invocation and queues its work. Fast: one database write.
   *
   * @param command the invocation
   * @return whether it was queued, a repeat, or refused because too many wait
   * @throws StorageException when it cannot be recorded (the caller answers 5xx or tells the
   *     user)
   */
  public Acceptance accept(SlashCommand command) {
    if (worker.getQueue().remainingCapacity() == 0) {
      log.warn("slash command refused, too many waiting {} {}", kv("user_id", command.userId()),
          kv("channel", command.channelId()));
      return Acceptance.BUSY;
    }
    if (!store.accept(command.userId() + ":" + command.triggerId(), clock.instant())) {
      log.info("slash command repeated, ignored {} {}", kv("user_id", command.userId()),
          kv("trigger_id", command.triggerId()));
      return Acceptance.DUPLICATE;
    }
    try {
      worker.execute(() -> run(command));
    } catch (RejectedExecutionException e) {
      return Acceptance.BUSY;
    }
    return Acceptance.QUEUED;
  }

  /** Carries out one invocation on the caller's thread; package-private for tests. */
  void run(SlashCommand command) {
    Verb verb = CommandParser.parse(command.text());
    log.info("slash command {} {} {} {}", kv("verb", verb.getClass().getSimpleName()
            .toLowerCase(Locale.ROOT)), kv("user_id", command.userId()),
        kv("user_name", command.userName()), kv("channel", command.channelId()));
    try {
      if (verb instanceof Verb.ListOpen) {
        tell(command, CommandReplies.list(
            store.openIn(command.channelId(), CommandReplies.MAX_LISTED),
            store.countOpenIn(command.channelId()), clock.instant()));
      } else if (verb instanceof Verb.Show s) {
        tell(command, store.showIn(s.incidentId(), command.channelId())
            .map(shown -> CommandReplies.show(shown, baseUrl, clock.instant()))
            .orElse(CommandReplies.notInChannel(s.incidentId())));
      } else if (verb instanceof Verb.Acknowledge a) {
        act(command, IncidentActionBlocks.ACKNOWLEDGE, a.incidentId(), null);
      } else if (verb instanceof Verb.Silence s) {
        act(command, IncidentActionBlocks.SILENCE, s.incidentId(), s.choice().value());
      } else if (verb instanceof Verb.Unsilence u) {
        act(command, IncidentActionBlocks.UNSILENCE, u.incidentId(), null);
      } else if (verb instanceof Verb.Usage u) {
        tell(command, CommandReplies.usage(command.command(), u.problem()));
      } else {
        tell(command, CommandReplies.help(command.command()));
      }
    } catch (RuntimeException e) {
      log.error("slash command failed {} {}: {}", kv("user_id", command.userId()),
          kv("channel", command.channelId()), e.toString());
      tell(command, ":warning: Alertdesk could not complete this command ("
          + (e instanceof StorageException ? "storage unavailable" : "internal error")
          + "). Please try again.");
    }
  }

  private void act(SlashCommand command, String actionId, long incidentId,
      @Nullable String choice) {
    // The dispatcher checks the channel too; asking first gives the command's own wording.
    Optional<CommandStore.Shown> before = store.showIn(incidentId, command.channelId());
    if (before.isEmpty()) {
      tell(command, CommandReplies.notInChannel(incidentId));
      return;
    }
    actions.dispatch(new ActionRequest(actionId, incidentId, choice, command.userId(),
        command.userName(), command.channelId(), command.responseUrl()));
    // A refusal (already acknowledged, Alertmanager's error) was told by the handler; a change
    // is confirmed here, as a click needs no confirmation but a typed command does.
    Optional<CommandStore.Shown> after = store.showIn(incidentId, command.channelId());
    if (after.isPresent()) {
      String done = CommandReplies.confirmation(actionId, before.get().incident(),
          after.get().incident(), command.userId(), clock.instant());
      if (done != null) {
        tell(command, done);
      }
    }
  }

  private void tell(SlashCommand command, String mrkdwn) {
    if (command.responseUrl() == null) {
      log.info("no response_url to answer the slash command {}", kv("user_id", command.userId()));
      return;
    }
    responder.ephemeral(command.responseUrl(), mrkdwn);
  }

  /** Stops the worker; a command in progress finishes within 10 s. */
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
