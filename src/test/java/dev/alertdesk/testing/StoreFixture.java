package dev.alertdesk.testing;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.incident.IncidentEngine;
import dev.alertdesk.incident.IngestResult;
import dev.alertdesk.ingest.IngestPipeline;
import dev.alertdesk.ingest.IngestPipelineFactory;
import dev.alertdesk.ingest.NotificationIngestor;
import dev.alertdesk.ingest.NotificationPlanner;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.slack.SlackMessageComposer;
import dev.alertdesk.store.JdbiMessageState;
import dev.alertdesk.store.Database;
import dev.alertdesk.store.JdbiIncidentRepository;
import dev.alertdesk.store.JdbiIncidentResponseState;
import dev.alertdesk.store.JdbiIngestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real ingest path on a real database, as the composition root builds it: a migrated
 * {@link Database}, {@link JdbiIncidentRepository}, {@link IncidentEngine} (1 h reopen window),
 * {@link SlackMessageComposer}, and per Slack channel one {@link IngestPipeline} built by
 * {@link IngestPipelineFactory} (no routes or noise rules: every message goes to that channel)
 * with its {@link NotificationIngestor}, all on one {@link MutableClock}. Plus SQL helpers for
 * asserting on rows.
 */
public final class StoreFixture implements AutoCloseable {
  /** Where the clock starts. */
  public static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  /** The channel of {@link #ingest(AlertmanagerPayload)}. */
  public static final String CHANNEL = "#alerts";

  private final DatabaseTarget target;
  private final Database database;
  private final MutableClock clock = new MutableClock(START);
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final JdbiIncidentRepository repository;
  private final JdbiIngestStore ingestStore;
  private final IncidentEngine engine = new IncidentEngine(clock, IncidentEngine.DEFAULT_REOPEN_WINDOW);
  private final Map<String, IngestPipeline> pipelines = new ConcurrentHashMap<>();
  private final Map<String, NotificationIngestor> ingestors = new ConcurrentHashMap<>();

  /**
   * Opens and migrates the database.
   *
   * @param target where
   * @param slackEnabled as {@link JdbiIngestStore}: false stores outbox rows as skipped
   */
  public StoreFixture(DatabaseTarget target, boolean slackEnabled) {
    this.target = target;
    this.database = Database.open(target);
    database.migrate();
    this.repository = new JdbiIncidentRepository(database);
    this.ingestStore = new JdbiIngestStore(database, slackEnabled);
  }

  /** Returns where the database lives. */
  public DatabaseTarget target() {
    return target;
  }

  public Database database() {
    return database;
  }

  public MutableClock clock() {
    return clock;
  }

  public SimpleMeterRegistry metrics() {
    return metrics;
  }

  public JdbiIncidentRepository repository() {
    return repository;
  }

  public IncidentEngine engine() {
    return engine;
  }

  /**
   * Returns the service's composer over this database (no action buttons, no noise rules):
   * composes outbox rows as the worker would send them now.
   */
  public SlackMessageComposer composer() {
    return new SlackMessageComposer(clock, false, NoiseRules.NONE,
        new JdbiMessageState(database, clock));
  }

  /** Returns the planner the service would build for {@code channel}. */
  public NotificationPlanner planner(String channel) {
    return new NotificationPlanner(engine, channel);
  }

  /** Returns the pipeline whose Slack messages go to {@code channel}, without graph jobs. */
  public IngestPipeline pipeline(String channel) {
    return pipelines.computeIfAbsent(channel, c -> newPipeline(c, false));
  }

  /**
   * Builds a new pipeline as the service does, on this database and clock.
   *
   * @param channel where Slack messages go ({@code SLACK_CHANNEL})
   * @param graphs true to plan graph jobs, as the service does when Slack delivery is on
   */
  public IngestPipeline newPipeline(String channel, boolean graphs) {
    return new IngestPipelineFactory(clock, engine, channel, graphs, NoiseRules.NONE)
        .pipeline(ingestStore, new JdbiIncidentResponseState(database, clock));
  }

  /** Returns the ingestor whose Slack messages go to {@code channel}. */
  public NotificationIngestor ingestor(String channel) {
    return ingestors.computeIfAbsent(channel,
        c -> new NotificationIngestor(pipeline(c), clock, metrics));
  }

  /** Ingests a notification for {@link #CHANNEL} with Alertmanager's usual headers. */
  public IngestResult ingest(AlertmanagerPayload payload) {
    return ingest(CHANNEL, payload);
  }

  /** Ingests a notification whose Slack messages go to {@code channel}. */
  public IngestResult ingest(String channel, AlertmanagerPayload payload) {
    return ingestor(channel).ingest(payload.bytes(), Map.of(
        "Content-Type", "application/json", "User-Agent", "Alertmanager/0.28.1"));
  }

  /** Returns the number of rows in {@code table}. */
  public long count(String table) {
    return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table)
        .mapTo(Long.class).one());
  }

  /**
   * Runs a query with positional arguments and returns its rows as lower-case column name to
   * value. Numbers come back as whatever the driver gives: compare them with {@link #num}.
   */
  public List<Map<String, Object>> rows(String sql, Object... args) {
    return database.jdbi().withHandle(h -> {
      var query = h.createQuery(sql);
      for (int i = 0; i < args.length; i++) {
        query.bind(i, args[i]);
      }
      return query.mapToMap().list();
    });
  }

  /** Runs an update with positional arguments; returns the number of rows changed. */
  public int execute(String sql, Object... args) {
    return database.jdbi().withHandle(h -> {
      var update = h.createUpdate(sql);
      for (int i = 0; i < args.length; i++) {
        update.bind(i, args[i]);
      }
      return update.execute();
    });
  }

  /** Returns a numeric column value as a long, or null. */
  public static Long num(Object value) {
    return value == null ? null : ((Number) value).longValue();
  }

  /** Closes the database. */
  @Override
  public void close() {
    database.close();
  }
}
