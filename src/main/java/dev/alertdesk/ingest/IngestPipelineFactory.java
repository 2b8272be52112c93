package dev.alertdesk.ingest;

import dev.alertdesk.config.Settings;
import dev.alertdesk.incident.IncidentEngine;
import dev.alertdesk.noise.IncidentResponseState;
import dev.alertdesk.noise.NoiseGate;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.noise.TargetPlanner;
import java.util.List;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link IngestPipeline} for {@code serve} and the {@link DryRun} for {@code replay}
 * from the same parts, so a dry run is the service's pipeline over in-memory roles: one incident
 * engine, one planner and a noise gate on the same rules and default channel. Only the
 * {@link IngestStore} and the source of incident responses differ.
 */
public final class IngestPipelineFactory {
  private final Clock clock;
  private final NotificationPlanner planner;
  private final NoiseRules rules;
  private final String defaultChannel;
  private final boolean graphs;
  private final List<TargetPlanner> targets;

  /**
   * @param clock the clock of the engine; the dry run reads "now" from it
   * @param engine the incident state machine
   * @param channel {@code SLACK_CHANNEL}, or null when unset (messages are then kept as previews
   *     addressed to {@link NotificationPlanner#NO_CHANNEL})
   * @param graphs true to plan graph jobs after an incident opens, reopens or resolves (the
   *     service does when Slack delivery is on)
   * @param rules the {@code routes}, {@code noise} and {@code reminders} rules
   */
  public IngestPipelineFactory(Clock clock, IncidentEngine engine, @Nullable String channel,
      boolean graphs, NoiseRules rules) {
    this.clock = clock;
    this.planner = new NotificationPlanner(engine, channel, graphs);
    this.rules = rules;
    this.defaultChannel = channel == null ? NotificationPlanner.NO_CHANNEL : channel;
    this.graphs = graphs;
    this.targets = List.of();
  }

  private IngestPipelineFactory(IngestPipelineFactory base, List<TargetPlanner> targets) {
    this(base, targets, base.planner);
  }

  private IngestPipelineFactory(IngestPipelineFactory base, List<TargetPlanner> targets,
      NotificationPlanner planner) {
    this.clock = base.clock;
    this.planner = planner;
    this.rules = base.rules;
    this.defaultChannel = base.defaultChannel;
    this.graphs = base.graphs;
    this.targets = List.copyOf(targets);
  }

  /**
   * Returns this factory with planners of delivery targets other than Slack (e-mail), which
   * the noise gate asks at each moment it lets through ({@link TargetPlanner}).
   *
   * @param targets the planners, in order; replaces any given before
   */
  public IngestPipelineFactory withTargets(List<TargetPlanner> targets) {
    return new IngestPipelineFactory(this, targets);
  }

  /**
   * Returns this factory with planners of delivery targets that follow the incident engine's
   * occurrences rather than noise control (Sentry: one event per alert occurrence).
   *
   * @param planners the planners, in order; replaces any given before
   */
  public IngestPipelineFactory withOccurrencePlanners(List<OccurrencePlanner> planners) {
    return new IngestPipelineFactory(this, targets, planner.withOccurrencePlanners(planners));
  }

  /**
   * The factory the settings describe: the reopen and HA-copy windows, graph jobs when Slack
   * delivery is on ({@code SLACK_BOT_TOKEN}), and {@code SLACK_CHANNEL}.
   *
   * @param settings validated settings
   * @param rules the noise rules of {@code CONFIG_FILE}
   * @param clock the clock of the engine
   */
  public static IngestPipelineFactory fromSettings(Settings settings, NoiseRules rules,
      Clock clock) {
    return new IngestPipelineFactory(clock,
        new IncidentEngine(clock, settings.reopenWindow(), settings.haCopyWindow()),
        settings.slackChannel(), settings.slackEnabled(), rules);
  }

  /**
   * Builds a pipeline over {@code store}.
   *
   * @param store where notifications are committed
   * @param responses tells noise control whether an incident was acknowledged or silenced
   * @return a new pipeline with its own noise gate ({@link IngestPipeline#gate()})
   */
  public IngestPipeline pipeline(IngestStore store, IncidentResponseState responses) {
    NoiseGate gate = new NoiseGate(rules, defaultChannel, responses, graphs, targets);
    return new IngestPipeline(planner, gate, store);
  }

  /**
   * Builds a dry run: {@link #pipeline} over a fresh {@link InMemoryIngestStore}.
   *
   * @param responses tells noise control whether an incident was acknowledged or silenced;
   *     {@link IncidentResponseState#NONE} for {@code replay}
   */
  public DryRun dryRun(IncidentResponseState responses) {
    InMemoryIngestStore store = new InMemoryIngestStore();
    return new DryRun(pipeline(store, responses), store, clock);
  }
}
