package dev.alertdesk.incident;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.alert.Matcher;
import dev.alertdesk.alert.MatcherSyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How people responded to an incident from Slack: who acknowledged it, whether an Alertmanager
 * silence covers it, and which of its alert fingerprints are snoozed. Kept apart from
 * {@link Incident} (its own table), so the engine never has to carry it. Immutable.
 *
 * @param incidentId the incident
 * @param acknowledgement who acknowledged it and when, or null when nobody has (or it was
 *     unacknowledged)
 * @param silence the Alertmanager silence created for it, or null when none is active
 * @param snoozedFingerprints fingerprints whose thread replies are snoozed right now
 */
public record IncidentResponse(
    long incidentId,
    @Nullable Acknowledgement acknowledgement,
    @Nullable Silence silence,
    Set<String> snoozedFingerprints) {

  /** Copies the set. */
  public IncidentResponse {
    snoozedFingerprints = Set.copyOf(snoozedFingerprints);
  }

  /** Returns the response of an incident nobody has acted on. */
  public static IncidentResponse none(long incidentId) {
    return new IncidentResponse(incidentId, null, null, Set.of());
  }

  /** Returns a copy with this acknowledgement (null clears it). */
  public IncidentResponse withAcknowledgement(@Nullable Acknowledgement ack) {
    return new IncidentResponse(incidentId, ack, silence, snoozedFingerprints);
  }

  /** Returns a copy with this silence (null clears it). */
  public IncidentResponse withSilence(@Nullable Silence newSilence) {
    return new IncidentResponse(incidentId, acknowledgement, newSilence, snoozedFingerprints);
  }

  /**
   * Returns the equality matchers a silence for {@code incident} uses: one per group label, or
   * per common label when the route groups by nothing, in label order. Empty when it has neither,
   * or when a label name is not one Alertmanager accepts in a matcher: a silence must then not be
   * created (with no matcher it would mute everything).
   *
   * @param incident the incident to silence
   * @return the matchers, possibly empty
   */
  public static List<Matcher> silenceMatchers(Incident incident) {
    Labels labels = incident.groupLabels().isEmpty() ? incident.commonLabels() : incident.groupLabels();
    List<Matcher> matchers = new ArrayList<>();
    try {
      new TreeMap<>(labels.values()).forEach((name, value) ->
          matchers.add(Matcher.of(Matcher.Type.EQUAL, name, value)));
    } catch (MatcherSyntaxException e) {
      return List.of();
    }
    return List.copyOf(matchers);
  }

  /** Returns true when someone acknowledged the incident. */
  public boolean acknowledged() {
    return acknowledgement != null;
  }

  /**
   * Returns true when the silence is active at {@code now} (stored and not past its end).
   *
   * @param now the current time
   */
  public boolean silencedAt(Instant now) {
    return silence != null && silence.endsAt().isAfter(now);
  }

  /**
   * An acknowledgement.
   *
   * @param userId the Slack user ID, e.g. {@code U024BE7LH}
   * @param userName the Slack user name at the time of the click
   * @param at when it was acknowledged
   */
  public record Acknowledgement(String userId, String userName, Instant at) {
    /**
     * Returns the time to acknowledge (an MTTA sample): from the incident's first alert firing
     * (its earliest {@code startsAt}, {@link Incident#startedAt}) to this acknowledgement; never
     * negative. The one definition of MTTA used by the thread reply, the audit row, the
     * {@code alertdesk_time_to_acknowledge_seconds} metric, Insights and the API.
     *
     * @param incident the acknowledged incident
     */
    public Duration timeToAcknowledge(Incident incident) {
      Duration d = Duration.between(incident.startedAt(), at);
      return d.isNegative() ? Duration.ZERO : d;
    }
  }

  /**
   * An Alertmanager silence created from Slack.
   *
   * @param id the silence ID Alertmanager answered with
   * @param matchers the equality matchers, as {@code name="value"}, in label order
   * @param endsAt when Alertmanager lets the silence expire
   * @param userId who created it (Slack user ID)
   * @param userName who created it (Slack user name)
   * @param untilResolved true when Alertdesk expires it as soon as the incident resolves
   */
  public record Silence(String id, List<String> matchers, Instant endsAt, String userId,
      String userName, boolean untilResolved) {
    /** Copies the matchers. */
    public Silence {
      matchers = List.copyOf(matchers);
    }
  }
}
