package dev.alertdesk.app;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Notification;
import dev.alertdesk.config.ConfigException;
import dev.alertdesk.config.Settings;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentEngine;
import dev.alertdesk.incident.IncidentEvent;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.ingest.InvalidPayloadException;
import dev.alertdesk.ingest.NotificationPlanner;
import dev.alertdesk.ingest.WebhookPayloadParser;
import dev.alertdesk.slack.IncidentMessageRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code replay FILE…}: a dry run. Feeds saved webhook payloads, in the order given, through the
 * same engine and renderer as the service, keeping incidents in memory, and prints per payload
 * what happened and the Slack messages that would be sent, as Block Kit JSON. Nothing is stored
 * or sent. Each payload is applied at the latest time it mentions (its newest {@code startsAt}
 * or {@code endsAt}), so reopen windows behave as they did live.
 */
@Command(name = "replay", description = "Dry-run saved webhook payloads through the engine and "
    + "print the incidents and the Slack messages (Block Kit JSON) that would be sent.")
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
    WebhookPayloadParser parser = new WebhookPayloadParser();
    MutableClock clock = new MutableClock();
    NotificationPlanner planning = new NotificationPlanner(
        new IncidentEngine(clock, settings.reopenWindow()), new IncidentMessageRenderer(clock),
        settings.slackChannel());
    Map<String, Incident> incidents = new HashMap<>();
    long nextId = 1;
    var pretty = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
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
      String key = n.receiver() + "\u0000" + n.groupKey();
      var planner = planning.planner(n);
      Decision d = planner.decide(incidents.get(key));
      Incident incident = d.incident();
      out.println("== " + file + " @ " + clock.instant() + ": " + d.outcome().wire()
          + (incident == null ? "" : " incident #" + (incident.id() == null ? nextId : incident.id())));
      if (incident == null) {
        continue;
      }
      if (d.isNew()) {
        incident = incident.withId(nextId++);
      }
      incidents.put(key, incident);
      for (IncidentEvent e : d.events()) {
        out.println("  event " + e.kind().wire() + " " + e.details());
      }
      for (OutgoingMessage m : planner.render(incident, d)) {
        out.println("  slack " + m.kind().name().toLowerCase(java.util.Locale.ROOT) + " channel="
            + m.channel());
        out.println(pretty.toJson(JsonParser.parseString(m.payloadJson())).indent(4).stripTrailing());
      }
      if (d.intents().isEmpty()) {
        out.println("  no Slack call");
      }
    }
    out.flush();
    return failures == 0 ? 0 : 1;
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
