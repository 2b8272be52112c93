package dev.alertdesk.noise;

import dev.alertdesk.incident.EventKind;
import dev.alertdesk.incident.IncidentEngine;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.ingest.DryRun;
import dev.alertdesk.ingest.IngestPipelineFactory;
import dev.alertdesk.ingest.WebhookPayloadParser;
import dev.alertdesk.slack.MessageState;
import dev.alertdesk.slack.SlackMessageComposer;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives the engine and the noise rules through {@link DryRun} with a fixed clock, and keeps
 * every Slack call and event, for the pure noise tests.
 */
final class NoiseScenario {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final String DEFAULT = "#alerts";

  final MutableClock clock = new MutableClock(T0);
  final List<InMemoryNoiseLedger.Queued> sent = new ArrayList<>();
  final List<InMemoryNoiseLedger.Recorded> events = new ArrayList<>();
  private final DryRun run;
  private final SlackMessageComposer composer;
  /** Each message as composed when it was queued. */
  private static final Map<InMemoryNoiseLedger.Queued, String> PAYLOADS =
      java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
  private final WebhookPayloadParser parser = new WebhookPayloadParser();

  NoiseScenario(NoiseRules rules) {
    this(rules, IncidentResponseState.NONE);
  }

  NoiseScenario(NoiseRules rules, IncidentResponseState responses) {
    this(rules, responses, false);
  }

  /**
   * @param graphs true to plan graph jobs after parent posts, resolutions and reopenings, as the
   *     service does when Slack delivery is on
   */
  NoiseScenario(NoiseRules rules, IncidentResponseState responses, boolean graphs) {
    run = new IngestPipelineFactory(clock, new IncidentEngine(clock, Duration.ofHours(1)),
        DEFAULT, graphs, rules).dryRun(responses);
    composer = new SlackMessageComposer(clock, false, rules, MessageState.of(run.ledger()));
  }

  /** Sets the clock to {@code at} and applies a notification. */
  DryRun.Step notify(Instant at, AlertmanagerPayload payload) {
    clock.set(at);
    return record(run.apply(parser.parse(payload.bytes())));
  }

  /** Sets the clock to {@code at} and runs the deadlines. */
  DryRun.Step tick(Instant at) {
    clock.set(at);
    return record(run.tick());
  }

  private DryRun.Step record(DryRun.Step step) {
    // Composed right after the step, as the outbox worker sends right after the commit.
    for (InMemoryNoiseLedger.Queued q : step.messages()) {
      PAYLOADS.put(q, composer.compose(q.incidentId(), q.message())
          .orElse("{\"text\":\"\",\"intent\":\"" + q.message().message().wire() + "\"}"));
    }
    sent.addAll(step.messages());
    events.addAll(step.events());
    return step;
  }

  /** Messages a person sees in {@code channel}: parents and thread replies, in order. */
  List<InMemoryNoiseLedger.Queued> seen(String channel) {
    return sent.stream().filter(q -> q.message().channel().equals(channel)
        && q.message().kind() != SlackIntent.Kind.PARENT_UPDATE).toList();
  }

  /** Calls of one kind, in order. */
  List<InMemoryNoiseLedger.Queued> calls(SlackIntent.Kind kind) {
    return sent.stream().filter(q -> q.message().kind() == kind).toList();
  }

  /** Events of one kind, in order. */
  List<InMemoryNoiseLedger.Recorded> events(EventKind kind) {
    return events.stream().filter(r -> r.event().kind() == kind).toList();
  }

  /** A one-alert group {@code alertname} with extra labels, firing since {@code startsAt}. */
  static AlertmanagerPayload firing(String alertname, Instant startsAt, String... labels) {
    return AlertmanagerPayload.group("team", alertname)
        .groupKey("{}:{alertname=\"" + alertname + "\"" + String.join("", labels) + "}")
        .alert("firing", labels(alertname, labels), startsAt, null);
  }

  /** The same group, resolved at {@code endsAt}. */
  static AlertmanagerPayload resolved(String alertname, Instant startsAt, Instant endsAt,
      String... labels) {
    return AlertmanagerPayload.group("team", alertname)
        .groupKey("{}:{alertname=\"" + alertname + "\"" + String.join("", labels) + "}")
        .alert("resolved", labels(alertname, labels), startsAt, endsAt);
  }

  private static Map<String, String> labels(String alertname, String... pairs) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", alertname);
    labels.put("severity", "critical");
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      labels.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return labels;
  }

  /** The payload of a queued message, composed right after the step that queued it. */
  static String payload(InMemoryNoiseLedger.Queued q) {
    String payload = PAYLOADS.get(q);
    if (payload == null) {
      throw new IllegalStateException("not queued by a scenario: " + q);
    }
    return payload;
  }

  /** The {@code text} of a queued message's payload, JSON-decoded. */
  static String text(InMemoryNoiseLedger.Queued q) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload(q))
          .get("text").asText();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rules with only the given routes. */
  static NoiseRules routes(Route... routes) {
    return new NoiseRules(List.of(routes), Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 0,
        List.of(), Duration.ZERO);
  }
}
