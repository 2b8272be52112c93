package dev.alertdesk.noise;

import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Decides where and whether an incident's Slack messages go, by running an ordered list of small
 * stages ({@link NoiseStage}): route, notify-after, storm, correlate, flapping and reminders
 * ({@link NoiseRules}). Pure apart from the {@link NoiseLedger} it is handed, which holds all
 * state, so decisions survive restarts and replicas share them; time is always passed in.
 * Thread-safe.
 *
 * <p>An incident arriving in a channel passes the stages in list order: the route chose the
 * channel; notify-after may delay it; an active storm in the channel rolls it up; otherwise an
 * open posted incident with the same {@code correlate_by} labels gets a "Related" reply instead
 * of a new parent; otherwise, when {@code max_new_incidents} incidents already arrived within the
 * storm window, a storm starts with it; otherwise its parent is posted, with a first reminder
 * scheduled when it is critical. Every one of these outcomes other than a plain post is recorded
 * as an incident event whose {@code reason} detail ({@link SuppressionReason}) says why.
 *
 * <p>To add a stage, write one {@link NoiseStage} class and add it to {@link #stages} below.
 */
public final class NoiseGate {
  private final NoiseRules rules;
  private final boolean graphs;
  private final List<TargetPlanner> targets;
  /** The stages, in the order they run. */
  private final List<NoiseStage> stages;

  /**
   * @param rules the configured rules
   * @param defaultChannel {@code SLACK_CHANNEL}, or a placeholder such as {@code (none)} when
   *     unset (messages are then only kept as previews)
   * @param responses tells whether an incident was acknowledged or silenced (stops reminders)
   */
  public NoiseGate(NoiseRules rules, String defaultChannel, IncidentResponseState responses) {
    this(rules, defaultChannel, responses, false);
  }

  /**
   * @param rules the configured rules
   * @param defaultChannel {@code SLACK_CHANNEL}, or a placeholder such as {@code (none)} when
   *     unset (messages are then only kept as previews)
   * @param responses tells whether an incident was acknowledged or silenced (stops reminders)
   * @param graphs true when the service adds graph jobs ({@link SlackIntent.Kind#GRAPH}) after a
   *     parent post, as its {@code NotificationPlanner} does: a parent posted later (notify-after)
   *     then gets the same opening graph job, or "No query to graph" note, as one posted at once
   */
  public NoiseGate(NoiseRules rules, String defaultChannel, IncidentResponseState responses,
      boolean graphs) {
    this(rules, defaultChannel, responses, graphs, List.of());
  }

  /**
   * @param rules the configured rules
   * @param defaultChannel {@code SLACK_CHANNEL}, or a placeholder such as {@code (none)} when
   *     unset (messages are then only kept as previews)
   * @param responses tells whether an incident was acknowledged or silenced (stops reminders)
   * @param graphs true when the service adds graph jobs after a parent post (see above)
   * @param targets plan the intents of delivery targets other than Slack (e-mail) at the moments
   *     noise control lets through, in this order; empty for none
   */
  public NoiseGate(NoiseRules rules, String defaultChannel, IncidentResponseState responses,
      boolean graphs, List<TargetPlanner> targets) {
    this.rules = rules;
    this.graphs = graphs;
    this.targets = List.copyOf(targets);
    this.stages = List.of(
        new RouteStage(rules, defaultChannel),
        new NotifyAfterStage(rules),
        new StormStage(rules),
        new CorrelateStage(),
        new FlappingStage(rules),
        new ReminderStage(rules, responses));
  }

  /** Returns the rules. */
  public NoiseRules rules() {
    return rules;
  }

  /** Returns the names of the stages in the order they run, e.g. {@code route} first. */
  public List<String> stageNames() {
    return stages.stream().map(NoiseStage::name).toList();
  }

  /**
   * Applies the rules to one committed engine decision, inside the ingest transaction: writes
   * channel states, events and outbox rows through {@code ledger}.
   *
   * @param before the incident before the notification, or null when the decision opens one
   * @param incident the incident after the change, with its stored id
   * @param decision the engine's decision
   * @param rendered the engine's intents rendered for the default channel, one per intent
   * @param now the time of the notification
   * @throws IllegalArgumentException when {@code incident} has no id
   */
  public void onDecision(NoiseLedger ledger, @Nullable Incident before, Incident incident,
      Decision decision, List<OutgoingMessage> rendered, Instant now) {
    long id = requireId(incident);
    NoiseEffects fx = effects(ledger, now);
    Notification n = new Notification(fx, before, incident, decision, rendered);
    if (decision.isNew()) {
      stages.forEach(stage -> stage.open(n));
      return;
    }
    List<ChannelState> states = ledger.channels(id);
    if (states.isEmpty()) {
      // Opened before noise control existed: deliver exactly what the engine said.
      fx.deliverAsIs(id, rendered);
      return;
    }
    stages.forEach(stage -> stage.before(n));
    for (ChannelState s : states) {
      stages.forEach(stage -> stage.update(n, s));
    }
    stages.forEach(stage -> stage.after(n));
  }

  /**
   * Runs the deadlines due at {@code now}, stage by stage, each in its own transaction: posts
   * delayed incidents that kept firing for {@code min_firing}, ends storms whose rate fell back
   * below the limit, clears flapping after a quiet window, and sends reminders.
   *
   * @return how many deadlines did something
   * @throws dev.alertdesk.incident.StorageException when the database fails
   */
  public int tick(NoiseStore store, Instant now) {
    NoiseStage.Deadlines deadlines = new NoiseStage.Deadlines() {
      @Override
      public Instant now() {
        return now;
      }

      @Override
      public <T> T read(Function<NoiseLedger, T> work) {
        return store.inTransaction(work);
      }

      @Override
      public <T> T inTransaction(Function<NoiseEffects, T> work) {
        return store.inTransaction(l -> work.apply(effects(l, now)));
      }
    };
    int work = 0;
    for (NoiseStage stage : stages) {
      work += stage.tick(deadlines);
    }
    return work;
  }

  private NoiseEffects effects(NoiseLedger ledger, Instant now) {
    return new NoiseEffects(ledger, now, rules, graphs, this::place, targets);
  }

  /** Runs the arrival stages in order; a post when none of them places the incident. */
  private Placement place(Arrival arrival) {
    return placeFrom(0, arrival);
  }

  private Placement placeFrom(int index, Arrival arrival) {
    if (index == stages.size()) {
      return new Placement.Post(null);
    }
    return stages.get(index).place(arrival, a -> placeFrom(index + 1, a));
  }

  static long requireId(Incident incident) {
    Long id = incident.id();
    if (id == null) {
      throw new IllegalArgumentException("the incident must be stored first");
    }
    return id;
  }
}
