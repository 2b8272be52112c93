package dev.alertdesk.app;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Notification;
import dev.alertdesk.config.ConfigException;
import dev.alertdesk.config.Settings;
import dev.alertdesk.enrich.DryRunEnrichment;
import dev.alertdesk.incident.IncidentEngine;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.ingest.DryRun;
import dev.alertdesk.ingest.IngestPipelineFactory;
import dev.alertdesk.ingest.InvalidPayloadException;
import dev.alertdesk.ingest.WebhookPayloadParser;
import dev.alertdesk.noise.InMemoryNoiseLedger;
import dev.alertdesk.noise.IncidentResponseState;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.slack.MessageState;
import dev.alertdesk.slack.SlackMessageComposer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code replay FILE…}: a dry run. Feeds saved webhook payloads, in the order given, through the
 * service's ingest pipeline, built by the same {@link IngestPipelineFactory} from the same
 * settings and noise rules ({@code routes}, {@code noise}, {@code reminders} of
 * {@code --config}), keeping incidents in memory, and prints per payload what
 * happened, every event with its reason, and the Slack messages that would be sent, as Block Kit
 * JSON, composed as the outbox worker composes them: the action buttons when
 * {@code SLACK_SIGNING_SECRET} is set, the current value on parent messages (queried from
 * {@code PROMETHEUS_URL} now, as the worker queries it at send time), and each graph as the
 * upload (file, title, comment) or the note it would put into the thread
 * ({@link DryRunEnrichment}); deadlines (notify-after, reminders, flapping, storm end) that fall
 * due before a payload are printed as their own step. It ends with a summary per incident: what
 * was posted in its thread and what was held back, and why. Nothing is stored or sent (graphs
 * are drawn into a temporary directory, deleted at the end). Each payload is applied at
 * the latest time it mentions (its newest {@code startsAt} or {@code endsAt}), so reopen windows
 * and noise windows behave as they did live.
 */
@Command(name = "replay", description = "Dry-run saved webhook payloads through the engine and "
    + "noise rules and print the incidents, the Slack messages (Block Kit JSON) that would be "
    + "sent, and what was held back and why.")
final class ReplayCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "webhook payload JSON files")
  List<Path> files;

  @Option(names = "--config", paramLabel = "FILE", description = "a CONFIG_FILE to take settings from")
  Path config;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> env = new HashMap<>(System.getenv());
    if (config != null) {
      env.put("CONFIG_FILE", config.toString());
    }
    Settings settings;
    try {
      settings = Settings.load(env);
    } catch (ConfigException e) {
      err.println("invalid configuration: " + e.getMessage());
      return 1;
    }
    NoiseRules rules = settings.noiseRules();
    WebhookPayloadParser parser = new WebhookPayloadParser();
    MutableClock clock = new MutableClock();
    // As the service with Slack delivery on: a graph after an open, a reopen and a resolve.
    DryRun run = new IngestPipelineFactory(clock,
        new IncidentEngine(clock, settings.reopenWindow(), settings.haCopyWindow()),
        settings.slackChannel(), true, rules).dryRun(IncidentResponseState.NONE);
    // The service's composer over the dry run's in-memory state: each message as the outbox
    // worker would compose it right after the notification, with buttons when interactivity is
    // on, and with the enrichment the worker adds (value line, graph upload or note).
    SlackMessageComposer composer = new SlackMessageComposer(clock,
        settings.slackSigningSecret() != null, rules, MessageState.of(run.ledger()));
    try (DryRunEnrichment enrichment = DryRunEnrichment.create(settings,
        id -> java.util.Optional.ofNullable(run.incident(id)), clock,
        new SimpleMeterRegistry())) {
      return replay(out, err, parser, clock, run, composer, enrichment);
    }
  }

  private int replay(PrintWriter out, PrintWriter err, WebhookPayloadParser parser,
      MutableClock clock, DryRun run, SlackMessageComposer composer,
      DryRunEnrichment enrichment) {
    var pretty = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    Map<Long, int[]> sent = new TreeMap<>();
    Map<Long, List<String>> why = new TreeMap<>();
    int failures = 0;
    for (Path file : files) {
      Notification n;
      try {
        n = parser.parse(Files.readAllBytes(file));
      } catch (IOException e) {
        err.println(file + ": cannot read: " + e.getMessage());
        failures++;
        continue;
      } catch (InvalidPayloadException e) {
        err.println(file + ": invalid payload: " + e.getMessage());
        failures++;
        continue;
      }
      clock.set(latestTime(n));
      print(out, pretty, composer, enrichment, "deadlines @ " + clock.instant(), run.tick(), sent,
          why, false);
      DryRun.Step step = run.apply(n);
      Incident incident = step.incident();
      String head = file + " @ " + clock.instant() + ": " + step.decision().outcome().wire()
          + (incident == null ? "" : " incident #" + incident.id());
      print(out, pretty, composer, enrichment, head, step, sent, why, true);
    }
    print(out, pretty, composer, enrichment, "deadlines @ " + clock.instant(), run.tick(), sent,
          why, false);
    summary(out, run, sent, why);
    out.flush();
    return failures == 0 ? 0 : 1;
  }

  /**
   * Prints one step: its events and the Slack calls it would make, composed as the outbox worker
   * composes them (parents with their current value; a graph intent as the upload or the note it
   * would put into the thread).
   */
  private static void print(PrintWriter out, com.google.gson.Gson pretty,
      SlackMessageComposer composer, DryRunEnrichment enrichment, String head,
      DryRun.Step step, Map<Long, int[]> sent, Map<Long, List<String>> why, boolean always) {
    if (!always && step.events().isEmpty() && step.messages().isEmpty()) {
      return;
    }
    out.println("== " + head);
    for (InMemoryNoiseLedger.Recorded r : step.events()) {
      out.println("  event " + r.event().kind().wire() + " " + new TreeMap<>(r.event().details())
          + " incident #" + r.incidentId());
      Object reason = r.event().details().get("reason");
      if (reason != null) {
        why.computeIfAbsent(r.incidentId(), k -> new ArrayList<>())
            .add(r.event().kind().wire() + " (" + reason + ")");
      }
    }
    for (InMemoryNoiseLedger.Queued q : step.messages()) {
      OutgoingMessage m = q.message();
      int[] counts = sent.computeIfAbsent(q.incidentId(), k -> new int[SlackIntent.Kind.values().length]);
      counts[m.kind().ordinal()]++;
      String line = "  slack " + m.kind().name().toLowerCase(java.util.Locale.ROOT) + " channel="
          + m.channel() + " thread_of=#" + q.incidentId();
      String payload;
      if (m.kind() == SlackIntent.Kind.PARENT_POST || m.kind() == SlackIntent.Kind.PARENT_UPDATE) {
        payload = composer.compose(enrichment.job(q.incidentId(), m),
                enrichment.parentContext(q.incidentId(), m))
            .orElse(new com.google.gson.Gson().toJson(m.params()));
      } else if (m.kind() == SlackIntent.Kind.GRAPH) {
        DryRunEnrichment.Sent graph = enrichment.graph(q.incidentId(), m);
        DryRunEnrichment.Upload upload = graph.upload();
        line += " " + graph.method() + (upload == null ? ""
            : " file=" + upload.fileName() + " title=\"" + upload.title() + "\" ("
                + upload.bytes() + " bytes)");
        payload = graph.payloadJson();
      } else {
        payload = composer.compose(q.incidentId(), m)
            .orElse(new com.google.gson.Gson().toJson(m.params()));
      }
      out.println(line);
      if (payload != null) {
        out.println(pretty.toJson(JsonParser.parseString(payload)).indent(4).stripTrailing());
      }
    }
    if (always && step.messages().isEmpty()) {
      out.println("  no Slack call");
    }
  }

  /** Prints per incident what was posted and what was held back, and why. */
  private static void summary(PrintWriter out, DryRun run, Map<Long, int[]> sent,
      Map<Long, List<String>> why) {
    out.println("## summary: per incident, the Slack calls in its thread and why any were held back");
    int seen = 0;
    int updates = 0;
    List<Incident> incidents = new ArrayList<>(run.incidents());
    incidents.sort(java.util.Comparator.comparing(Incident::id));
    for (Incident i : incidents) {
      int[] c = sent.getOrDefault(i.id(), new int[SlackIntent.Kind.values().length]);
      seen += c[SlackIntent.Kind.PARENT_POST.ordinal()] + c[SlackIntent.Kind.THREAD_REPLY.ordinal()];
      updates += c[SlackIntent.Kind.PARENT_UPDATE.ordinal()];
      out.println("incident #" + i.id() + " " + i.alertname() + " " + i.groupLabels() + " ["
          + i.status().wire() + "]: " + c[SlackIntent.Kind.PARENT_POST.ordinal()] + " parent, "
          + c[SlackIntent.Kind.THREAD_REPLY.ordinal()] + " replies, "
          + c[SlackIntent.Kind.PARENT_UPDATE.ordinal()] + " updates in its thread"
          + (why.containsKey(i.id()) ? "; " + String.join(", ", why.get(i.id())) : ""));
    }
    out.println("messages a person sees (parents and replies): " + seen + "; parent updates: "
        + updates + "; incidents: " + incidents.size());
  }

  private static Instant latestTime(Notification n) {
    Instant latest = Instant.EPOCH;
    for (Alert a : n.alerts()) {
      if (a.startsAt().isAfter(latest)) {
        latest = a.startsAt();
      }
      if (a.endsAt() != null && a.endsAt().isAfter(latest)) {
        latest = a.endsAt();
      }
    }
    return latest;
  }

  /** A clock the replay moves forward per payload. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.EPOCH;

    void set(Instant t) {
      if (t.isAfter(now)) {
        now = t;
      }
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
