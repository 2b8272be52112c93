package dev.alertdesk.slack;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.delivery.MessageComposer;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.MessageKind;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.noise.StormState;
import dev.alertdesk.remediation.RemediationCatalogue;
import dev.alertdesk.remediation.RemediationRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place Slack messages are composed: turns an outbox intent into Block Kit (the Slack
 * SDK's model classes, serialised once) from the state its incident is in now, as Alertmanager's
 * notifiers template at {@code Notify} time. The parent shows the incident, who acknowledged it,
 * its silence, the route's mention for the channel, the "Flapping" line, and what
 * {@link Enrichment} found (current value, Explorer link, image); replies name the alerts their
 * intent lists. Every message respects {@link BlockKitLimits}.
 *
 * <p>Incident messages are laid out by {@link IncidentMessageRenderer}, noise-control messages
 * (storm, related, flapping, reminder) by {@link NoiseMessageRenderer}; this class decides which,
 * with what state. Usable without a database: give it {@link MessageState#of} an in-memory
 * ledger. Thread-safe when its {@link MessageState} is.
 */
public final class SlackMessageComposer implements MessageComposer {
  private final IncidentMessageRenderer incidents;
  private final RemediationMessageRenderer remediation;
  private final NoiseMessageRenderer noise;
  private final NoiseRules rules;
  private final MessageState state;
  private final Clock clock;

  /**
   * @param clock the source of "now" for durations, silences and the flapping window
   * @param interactive true to show the action buttons (only with {@code SLACK_SIGNING_SECRET})
   * @param rules the noise rules: the flapping and storm windows the messages name
   * @param state where the current state is read
   */
  public SlackMessageComposer(Clock clock, boolean interactive, NoiseRules rules,
      MessageState state) {
    this(clock, interactive, rules, state, RemediationCatalogue.EMPTY);
  }

  /**
   * @param clock the source of "now" for durations, silences and the flapping window
   * @param interactive true to show the action buttons (only with {@code SLACK_SIGNING_SECRET})
   * @param rules the noise rules: the flapping and storm windows the messages name
   * @param state where the current state is read
   * @param catalogue the remediation actions: their request buttons on parents (when
   *     interactive), their titles in request messages and result lines
   */
  public SlackMessageComposer(Clock clock, boolean interactive, NoiseRules rules,
      MessageState state, RemediationCatalogue catalogue) {
    this.clock = clock;
    this.remediation = new RemediationMessageRenderer(catalogue);
    this.incidents = new IncidentMessageRenderer(clock, interactive, remediation);
    this.noise = new NoiseMessageRenderer();
    this.rules = rules;
    this.state = state;
  }

  @Override
  public Optional<String> compose(OutboxJob job, Enrichment.ParentContext context) {
    if (job.intent().message() == MessageKind.PRERENDERED) {
      return Optional.ofNullable(job.storedPayloadJson());
    }
    return state.read(r -> compose(r, job.incidentId(), job.intent(), context));
  }

  /**
   * Composes one intent of {@code incidentId} without enrichment, reading state through a
   * reader the caller holds (the message preview, a dry run).
   *
   * @return the payload, or empty when its incident or storm is gone or it is a graph job or
   *     a pre-rendered message
   */
  public Optional<String> compose(long incidentId, OutgoingMessage intent) {
    return state.read(r -> compose(r, incidentId, intent, Enrichment.ParentContext.NONE));
  }

  private Optional<String> compose(MessageState.Reader r, long incidentId,
      OutgoingMessage intent, Enrichment.ParentContext context) {
    Instant now = clock.instant();
    MessageKind kind = intent.message();
    if (kind == MessageKind.GRAPH || kind == MessageKind.PRERENDERED) {
      return Optional.empty();
    }
    if (kind == MessageKind.STORM) {
      StormState storm = r.storm(intent.number("storm_id", -1));
      return storm == null ? Optional.empty() : Optional.of(noise.storm(storm,
          r.stormMembers(storm.id()), r.stormTally(storm.id()), rules.stormWindow(),
          rules.stormMaxNewIncidents()));
    }
    if (kind == MessageKind.RELATED || kind == MessageKind.RELATED_RESOLVED) {
      Incident other = r.incident(intent.number("incident_id", -1));
      if (other == null) {
        return Optional.empty();
      }
      return Optional.of(kind == MessageKind.RELATED
          ? noise.related(other, intent.strings("correlate_by"))
          : noise.relatedResolved(other));
    }
    if (kind == MessageKind.REMEDIATION_REQUEST) {
      RemediationRequest request = r.remediation(String.valueOf(intent.text("request_id")));
      return request == null || request.incidentId() != incidentId ? Optional.empty()
          : Optional.of(remediation.request(request, now));
    }
    Incident incident = r.incident(incidentId);
    if (incident == null) {
      return Optional.empty();
    }
    return Optional.of(switch (kind) {
      case PARENT -> incidents.parent(incident, r.response(incidentId, now),
          r.mention(incidentId, intent.channel()),
          rules.flappingEnabled()
              ? r.flappingTransitions(incidentId, now.minus(rules.flappingWindow())) : 0,
          rules.flappingWindow(), context, r.remediations(incidentId));
      case ALERTS_CHANGED, REOPENED, RESOLVED -> incidents.render(incident,
          SlackIntent.threadReply(reply(kind), members(incident, intent.strings("firing")),
              members(incident, intent.strings("resolved"))));
      case FLAPPING -> noise.flapping(incident, (int) intent.number("transitions", 0),
          rules.flappingWindow());
      case REMINDER -> noise.reminder(incident, r.mention(incidentId, intent.channel()),
          Duration.ofSeconds(intent.number("unacknowledged_seconds", 0)));
      case ACTION_REPLY -> incidents.actionReply(incident,
          String.valueOf(intent.text("text")));
      default -> throw new IllegalStateException("not composed here: " + kind);
    });
  }

  private static SlackIntent.Reply reply(MessageKind kind) {
    return switch (kind) {
      case REOPENED -> SlackIntent.Reply.REOPENED;
      case RESOLVED -> SlackIntent.Reply.RESOLVED;
      default -> SlackIntent.Reply.ALERTS_CHANGED;
    };
  }

  /** The incident's members with these fingerprints, in the order given; unknown ones left out. */
  private static List<Alert> members(Incident incident, List<String> fingerprints) {
    List<Alert> out = new ArrayList<>(Math.min(fingerprints.size(), 1024));
    for (String fp : fingerprints) {
      incident.member(fp).ifPresent(out::add);
    }
    return out;
  }

}
