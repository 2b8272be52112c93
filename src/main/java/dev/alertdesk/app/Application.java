package dev.alertdesk.app;

import dev.alertdesk.action.AcknowledgeHandler;
import dev.alertdesk.action.ActionHandler;
import dev.alertdesk.action.RemediationDecisionHandler;
import dev.alertdesk.action.RemediationFlow;
import dev.alertdesk.action.RemediationRequestHandler;
import dev.alertdesk.remediation.RemediationCatalogue;
import dev.alertdesk.remediation.RemediationConfig;
import dev.alertdesk.store.JdbiRemediationStore;
import java.util.ArrayList;
import dev.alertdesk.action.ActionDispatcher;
import dev.alertdesk.action.ActionWriter;
import dev.alertdesk.rbac.Authorizer;
import dev.alertdesk.action.SilenceExpiry;
import dev.alertdesk.action.SilenceHandler;
import dev.alertdesk.action.SnoozeHandler;
import dev.alertdesk.action.UnacknowledgeHandler;
import dev.alertdesk.action.UnsilenceHandler;
import dev.alertdesk.alertmanager.AlertmanagerClient;
import dev.alertdesk.command.SlashCommands;
import dev.alertdesk.config.Settings;
import dev.alertdesk.delivery.OutboxWorker;
import dev.alertdesk.delivery.TargetWorker;
import dev.alertdesk.email.EmailComposer;
import dev.alertdesk.email.EmailPlanner;
import dev.alertdesk.email.EmailSender;
import dev.alertdesk.email.SmtpMailer;
import dev.alertdesk.noise.TargetPlanner;
import java.util.ArrayList;
import dev.alertdesk.enrich.EnrichmentWorker;
import dev.alertdesk.enrich.IncidentCharts;
import dev.alertdesk.enrich.IncidentEnricher;
import dev.alertdesk.enrich.IncidentLookup;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.enrich.PrometheusClient;
import dev.alertdesk.enrich.PrometheusDatasources;
import dev.alertdesk.graph.ChartRenderer;
import dev.alertdesk.history.RetentionPurge;
import dev.alertdesk.ingest.IngestPipeline;
import dev.alertdesk.ingest.IngestPipelineFactory;
import dev.alertdesk.ingest.OccurrencePlanner;
import dev.alertdesk.sentry.SentryDelivery;
import dev.alertdesk.sentry.SentryEventMapper;
import dev.alertdesk.sentry.SentryEvents;
import dev.alertdesk.sentry.SentryIssues;
import dev.alertdesk.sentry.SentryPlanner;
import dev.alertdesk.sentry.SentrySender;
import dev.alertdesk.ingest.NotificationIngestor;
import dev.alertdesk.noise.NoiseGate;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.noise.NoiseWorker;
import dev.alertdesk.schedule.PeriodicJob;
import dev.alertdesk.slack.SlackMessageComposer;
import dev.alertdesk.slack.ResponseUrlResponder;
import dev.alertdesk.slack.SlackSignatureVerifier;
import dev.alertdesk.slack.SlackProblems;
import dev.alertdesk.slack.SlackWebApiGateway;
import dev.alertdesk.socketmode.EnvelopeRouter;
import dev.alertdesk.socketmode.SocketModeConnection;
import dev.alertdesk.status.StatusReport;
import dev.alertdesk.status.StatusSection;
import dev.alertdesk.store.JdbiActionStore;
import dev.alertdesk.store.JdbiAuditLog;
import dev.alertdesk.store.Database;
import dev.alertdesk.store.JdbiChartRepository;
import dev.alertdesk.store.JdbiCommandStore;
import dev.alertdesk.store.JdbiEnrichmentJobs;
import dev.alertdesk.store.JdbiHistoryRepository;
import dev.alertdesk.store.JdbiIncidentRepository;
import dev.alertdesk.store.JdbiIngestStore;
import dev.alertdesk.store.JdbiIncidentResponseState;
import dev.alertdesk.store.JdbiMessageState;
import dev.alertdesk.store.JdbiNoiseStore;
import dev.alertdesk.store.JdbiOutbox;
import dev.alertdesk.store.PostgresChannelRateLimit;
import dev.alertdesk.web.HistoryRoutes;
import dev.alertdesk.web.HttpApi;
import dev.alertdesk.web.ChartGraphs;
import dev.alertdesk.web.WebhookAuthenticator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every object by hand from {@link Settings} and owns the start and
 * stop order. Start: database (migrations, retried in the background while the database is
 * unreachable), HTTP, then the enrichment worker (values and graphs, with or without Slack) and
 * the Slack worker, and the Socket Mode connection when {@code SLACK_APP_TOKEN} is set. Stop:
 * Socket Mode, Slack worker, HTTP (draining requests), enrichment worker, Slack client, database.
 */
public final class Application implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Application.class);
  /** How often readiness is checked (and migration retried until it succeeds). */
  private static final Duration READY_CHECK = Duration.ofSeconds(2);

  private final Database database;
  private final HttpApi http;
  private final @Nullable OutboxWorker worker;
  private final @Nullable SlackWebApiGateway slack;
  private final PeriodicJob migrator;
  private final PrometheusMeterRegistry metrics;
  private final @Nullable ActionDispatcher actions;
  private final @Nullable RemediationFlow remediationFlow;
  private final @Nullable SilenceExpiry silenceExpiry;
  private final NoiseWorker noiseWorker;
  private final RetentionPurge retention;
  private final EnrichmentWorker enrichmentWorker;
  private final List<TargetWorker> targetWorkers;
  private final @Nullable SocketModeConnection socketMode;
  private final @Nullable SlashCommands commands;
  private final RbacWiring rbac;

  private Application(Database database, HttpApi http, @Nullable OutboxWorker worker,
      @Nullable SlackWebApiGateway slack, PeriodicJob migrator,
      PrometheusMeterRegistry metrics, @Nullable ActionDispatcher actions,
      @Nullable SilenceExpiry silenceExpiry, NoiseWorker noiseWorker, RetentionPurge retention,
      EnrichmentWorker enrichmentWorker, List<TargetWorker> targetWorkers, RbacWiring rbac,
      @Nullable SocketModeConnection socketMode, @Nullable SlashCommands commands,
      @Nullable RemediationFlow remediationFlow) {
    this.remediationFlow = remediationFlow;
    this.targetWorkers = targetWorkers;
    this.enrichmentWorker = enrichmentWorker;
    this.rbac = rbac;
    this.socketMode = socketMode;
    this.commands = commands;
    this.actions = actions;
    this.silenceExpiry = silenceExpiry;
    this.noiseWorker = noiseWorker;
    this.retention = retention;
    this.database = database;
    this.http = http;
    this.worker = worker;
    this.slack = slack;
    this.migrator = migrator;
    this.metrics = metrics;
  }

  /**
   * Builds and starts the service with the routes and noise rules of {@code settings}.
   *
   * @param settings validated settings
   * @param clock the clock for the engine, rendering and delivery
   * @return the running service
   * @throws io.javalin.util.JavalinBindException when the port is taken
   */
  public static Application start(Settings settings, Clock clock) {
    return start(settings, settings.noiseRules(), clock);
  }

  /**
   * Builds and starts the service with the given routes and noise rules.
   *
   * @param settings validated settings
   * @param noise the {@code routes}, {@code noise} and {@code reminders} rules
   * @param clock the clock for the engine, rendering, delivery and noise deadlines
   * @return the running service
   * @throws io.javalin.util.JavalinBindException when the port is taken
   */
  public static Application start(Settings settings, NoiseRules noise, Clock clock) {
    return start(settings, noise, clock, RemediationParts.fromSettings(settings, clock));
  }

  /**
   * Builds and starts the service with the given routes and noise rules and the remediation
   * parts (authorizer and executors) given, for tests with hand-written ones.
   *
   * @param parts the authorizer and executors remediation uses
   */
  public static Application start(Settings settings, NoiseRules noise, Clock clock,
      RemediationParts parts) {
    log.info("starting Alertdesk {} with {}", Version.current(), settings);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);

    Database database = Database.open(settings.database());
    // Readiness is checked here every 2 s, so /ready answers at once even while a connection
    // attempt to an unreachable database waits out its 5 s timeout.
    AtomicBoolean ready = new AtomicBoolean(tryMigrate(database));
    PeriodicJob migrator = PeriodicJob.start("database", READY_CHECK, READY_CHECK, READY_CHECK,
        () -> {
          if (!database.isMigrated()) {
            ready.set(tryMigrate(database));
          } else {
            ready.set(database.isReachable());
          }
        });
    // 1 while /ready would answer 200; the chart's PrometheusRule alerts on 0.
    Gauge.builder("alertdesk_database_ready", ready,
            r -> r.get() ? 1 : 0)
        .description("1 when the database is reachable and migrated, else 0")
        .register(metrics);

    // Buttons and /alertdesk reach Alertdesk over /slack/events, Socket Mode, or both.
    boolean interactive = settings.slackInteractive();
    JdbiOutbox outbox = new JdbiOutbox(database);
    // Delivery targets other than Slack: each plans its intents at the moments noise control
    // lets through and has a worker of its own that claims only its own outbox rows.
    List<TargetPlanner> targetPlanners = new ArrayList<>();
    List<TargetWorker> targetWorkers = new ArrayList<>();
    if (settings.smtp() != null) {
      targetPlanners.add(new EmailPlanner());
    }
    // The Sentry sink follows the engine's occurrences (one event each), not noise control.
    List<OccurrencePlanner> occurrencePlanners = new ArrayList<>();
    if (settings.sentry().enabled()) {
      occurrencePlanners.add(new SentryPlanner(settings.sentry(), noise.routes()));
      SentryDelivery sentry = new SentryDelivery(settings.sentry(),
          new JdbiIncidentRepository(database),
          new SentryEventMapper(settings.sentry(), settings.baseUrl()),
          new SentryEvents(settings.sentry(), "alertdesk@" + Version.current(), clock),
          settings.sentry().resolves() ? new SentryIssues(settings.sentry(), clock) : null,
          clock, metrics);
      targetWorkers.add(new TargetWorker(outbox, new SentrySender(sentry), clock, metrics,
          Duration.ofSeconds(1)));
      log.info("Sentry sink on: one event per alert occurrence to {}{}",
          settings.sentry().target(), settings.sentry().resolves() ? ", resolving issues"
              : "; SENTRY_AUTH_TOKEN is not set, so Sentry issues stay open");
    }
    JdbiRemediationStore remediationStore = new JdbiRemediationStore(database, clock,
        settings.slackEnabled());
    RemediationConfig remediation = settings.remediation();
    boolean remediationOn = false;
    if (remediation.configured()) {
      if (!interactive) {
        log.warn("the remediation section needs SLACK_SIGNING_SECRET (interactivity): "
            + "remediation is off");
      } else if (settings.rbac() == null && parts.authorizer() == null) {
        log.warn("the remediation section needs an rbac section (who may request and approve): "
            + "remediation is off");
      } else {
        remediationOn = true;
        if (!remediation.enabled()) {
          log.warn("REMEDIATION_ENABLED=false: the remediation kill switch is on; no request "
              + "can be made");
        }
      }
    }
    RemediationCatalogue offered = remediationOn && remediation.enabled()
        ? remediation.catalogue() : RemediationCatalogue.EMPTY;
    IngestPipeline pipeline = IngestPipelineFactory.fromSettings(settings, noise, clock)
        .withTargets(targetPlanners)
        .withOccurrencePlanners(occurrencePlanners)
        .pipeline(new JdbiIngestStore(database, settings.slackEnabled()),
            new JdbiIncidentResponseState(database, clock));
    NoiseGate gate = pipeline.gate();
    // The one composer: the outbox worker composes every message with it when it sends it, and
    // the message preview composes messages not sent yet.
    SlackMessageComposer composer = new SlackMessageComposer(clock, interactive, noise,
        new JdbiMessageState(database, clock), offered);
    JdbiIncidentRepository repository = new JdbiIncidentRepository(database);
    NotificationIngestor ingestor = new NotificationIngestor(pipeline, clock, metrics);
    JdbiChartRepository charts = new JdbiChartRepository(database,
        settings.storageDir().resolve("charts"), settings.storageDir(), clock);

    // Values and charts are rendered and stored for every incident, whether Slack is on or off.
    JdbiEnrichmentJobs enrichmentJobs = new JdbiEnrichmentJobs(database);
    IncidentLookup incidentLookup = id -> repository.find(id)
        .map(IncidentRepository.IncidentDetail::incident);
    IncidentCharts incidentCharts = new IncidentCharts(incidentLookup,
        new PrometheusDatasources(new PrometheusClient(settings.prometheusUrl(),
            settings.graphs().prometheusTimeout(), clock, metrics),
            settings.prometheusDatasources(), clock, metrics),
        new ChartRenderer(), charts, enrichmentJobs, settings.graphs(), clock, metrics);
    EnrichmentWorker enrichmentWorker = new EnrichmentWorker(enrichmentJobs, incidentCharts, clock,
        Duration.ofSeconds(1));

    if (settings.smtp() != null) {
      SmtpMailer mailer = new SmtpMailer(settings.smtp());
      targetWorkers.add(new TargetWorker(outbox, new EmailSender(mailer,
          new EmailComposer(mailer.fromAddress(), settings.baseUrl()), repository,
          new JdbiMessageState(database, clock), incidentCharts, settings.baseUrl(), clock),
          clock, metrics, Duration.ofSeconds(1)));
      log.info("e-mail delivery on: {}", settings.smtp());
    }

    SlackWebApiGateway slack = null;
    OutboxWorker worker = null;
    SlackProblems slackProblems = new SlackProblems(metrics, clock, settings.slackEnabled());
    if (settings.slackEnabled()) {
      slack = new SlackWebApiGateway(settings.slackApiUrl(), settings.slackBotToken(),
          slackProblems);
      IncidentEnricher enricher = new IncidentEnricher(incidentLookup, incidentCharts, slack,
          settings.graphs(), settings.baseUrl(), settings.explorerUrl(), metrics);
      worker = new OutboxWorker(outbox, slack, composer, clock, metrics,
          Duration.ofMillis(500), enricher, PostgresChannelRateLimit.forDatabase(database));
    } else {
      log.warn("SLACK_BOT_TOKEN is not set: Slack delivery is off; incidents are still recorded "
          + "and the messages that would be sent are kept as previews");
    }
    JdbiHistoryRepository history = new JdbiHistoryRepository(database,
        settings.storageDir().resolve("charts"), composer);
    RetentionPurge retention = new RetentionPurge(history, settings.retention(), clock, metrics);
    WebhookAuthenticator authenticator = new WebhookAuthenticator(
        settings.webhookBearerToken(), settings.webhookBasicAuth());
    if (authenticator.isOpen()) {
      log.warn("neither WEBHOOK_BEARER_TOKEN nor WEBHOOK_BASIC_AUTH is set: /api/alerts accepts "
          + "unauthenticated requests");
    }
    OutboxWorker wakeable = worker;
    Runnable wakeSlack = wakeable == null ? () -> { } : wakeable::wake;
    Runnable wakeDelivery = () -> {
      wakeSlack.run();
      targetWorkers.forEach(TargetWorker::wake);
    };
    Runnable wake = () -> {
      enrichmentWorker.wake();
      wakeDelivery.run();
    };
    // The one Authorizer: every action check (the dispatcher's, and remediation's) calls it.
    RbacWiring rbac = RbacWiring.build(settings, database, clock, metrics, slackProblems,
        interactive);
    // Tests may give their own authorizer; the service uses the rbac section's.
    Authorizer authorizer = parts.authorizer() == null ? rbac.authorizer() : parts.authorizer();
    SlackSignatureVerifier verifier = null;
    ActionDispatcher actions = null;
    SilenceExpiry silenceExpiry = null;
    RemediationFlow remediationFlow = null;
    SlashCommands commands = null;
    SocketModeConnection socketMode = null;
    if (interactive) {
      if (settings.slackSigningSecret() != null) {
        verifier = new SlackSignatureVerifier(settings.slackSigningSecret(), clock);
      } else {
        log.info("SLACK_SIGNING_SECRET is not set: actions and /alertdesk arrive over Socket "
            + "Mode only (/slack/events and /slack/commands answer 404)");
      }
      JdbiActionStore actionStore = new JdbiActionStore(database, clock, settings.slackEnabled(),
          settings.slackChannel());
      AlertmanagerClient alertmanager = new AlertmanagerClient(settings.alertmanagerUrl(),
          settings.alertmanagerAuth());
      ResponseUrlResponder responder = ResponseUrlResponder.forSlackApi(settings.slackApiUrl());
      ActionWriter writer = new ActionWriter(actionStore, responder, wakeSlack);
      List<ActionHandler> remediationHandlers = List.of();
      if (remediationOn) {
        remediationFlow = new RemediationFlow(remediationStore, remediation.catalogue(),
            parts.executors(), authorizer, remediation::enabled, writer, wakeSlack, clock);
        remediationHandlers = new ArrayList<>(RemediationRequestHandler.all(remediationFlow));
        remediationHandlers.addAll(RemediationDecisionHandler.all(remediationFlow));
      }
      // Every action kind, one handler each: add a new action here.
      List<ActionHandler> handlers = new ArrayList<>(List.of(
          new AcknowledgeHandler(writer, clock, metrics),
          new UnacknowledgeHandler(writer, clock),
          new SilenceHandler(writer, alertmanager, clock),
          new UnsilenceHandler(writer, alertmanager, clock),
          new SnoozeHandler(writer, clock)));
      handlers.addAll(remediationHandlers);
      actions = new ActionDispatcher(actionStore, writer, clock, handlers, authorizer);
      silenceExpiry = new SilenceExpiry(actionStore, alertmanager, writer, clock);
      // The /alertdesk slash command, over POST /slack/commands and Socket Mode alike.
      commands = new SlashCommands(new JdbiCommandStore(database), actions, responder,
          settings.baseUrl(), clock);
      if (settings.slackAppToken() != null) {
        socketMode = new SocketModeConnection(settings.slackApiUrl(), settings.slackAppToken(),
            new EnvelopeRouter(actions, commands, responder), clock, metrics);
      }
    } else {
      log.warn("neither SLACK_SIGNING_SECRET nor SLACK_APP_TOKEN is set: Slack interactivity is "
          + "off (no action buttons; /slack/events answers 404)");
    }
    List<StatusSection> sections = new ArrayList<>(List.of(
        slackProblems,
        StatusSection.readyEndpoint("alertmanager", settings.alertmanagerUrl()),
        StatusSection.readyEndpoint("prometheus", settings.prometheusUrl()),
        StatusSection.database(ready::get),
        StatusSection.outbox(outbox, clock)));
    targetWorkers.forEach(w -> sections.add(StatusSection.deliveryTarget(w, clock)));
    sections.add(rbac.status());
    if (socketMode != null) {
      sections.add(socketMode.statusSection());
    }
    HttpApi http = HttpApi.start(settings.listenHost(), settings.port(), new HttpApi.Routes(
        ingestor, authenticator, settings.maxPayloadBytes(), database.writeConcurrency(),
        wake,
        repository,
        ready::get,
        metrics,
        verifier,
        actions,
        new JdbiAuditLog(database),
        charts,
        new HistoryRoutes(history, new WebhookAuthenticator(settings.apiBearerToken(),
            settings.uiBasicAuth()), new ChartGraphs(charts), clock),
        new StatusReport(sections),
        commands,
        remediationStore));
    retention.start(Duration.ofMinutes(1));
    if (actions != null) {
      actions.start();
    }
    if (silenceExpiry != null) {
      silenceExpiry.start(Duration.ofSeconds(5));
    }
    if (remediationFlow != null) {
      remediationFlow.start(Duration.ofSeconds(5));
    }
    enrichmentWorker.start();
    if (worker != null) {
      worker.start();
    }
    targetWorkers.forEach(TargetWorker::start);
    NoiseWorker noiseWorker = new NoiseWorker(gate,
        new JdbiNoiseStore(database, settings.slackEnabled(), clock), clock,
        Duration.ofSeconds(1), wakeDelivery);
    noiseWorker.start();
    if (socketMode != null) {
      socketMode.start();
    }
    return new Application(database, http, worker, slack, migrator, metrics, actions,
        silenceExpiry, noiseWorker, retention, enrichmentWorker, List.copyOf(targetWorkers),
        rbac, socketMode, commands, remediationFlow);
  }

  private static boolean tryMigrate(Database database) {
    try {
      database.migrate();
      return true;
    } catch (RuntimeException e) {
      log.warn("database not ready, retrying: {}", e.getMessage());
      return false;
    }
  }

  /** Returns the HTTP port the service listens on. */
  public int port() {
    return http.port();
  }

  /** Returns the metrics registry (for tests and benchmarks). */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /**
   * Stops the service in order; safe to call once. The Slack worker stops first, finishing and
   * recording its call in flight; HTTP then drains webhooks in flight, whose Slack jobs wait in
   * the outbox for the next start.
   */
  @Override
  public void close() {
    if (socketMode != null) {
      socketMode.close();
    }
    noiseWorker.close();
    if (worker != null) {
      log.info("stopping: finishing the Slack call in flight");
      worker.close();
    }
    targetWorkers.forEach(TargetWorker::close);
    log.info("stopping: draining HTTP requests");
    http.close();
    enrichmentWorker.close();
    if (silenceExpiry != null) {
      silenceExpiry.close();
    }
    if (remediationFlow != null) {
      remediationFlow.close();
    }
    if (commands != null) {
      commands.close();
    }
    if (actions != null) {
      actions.close();
    }
    if (slack != null) {
      try {
        slack.close();
      } catch (Exception e) {
        log.debug("closing the Slack client failed", e);
      }
    }
    rbac.close();
    retention.close();
    migrator.close();
    database.close();
    log.info("stopped");
  }
}
