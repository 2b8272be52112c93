package dev.alertdesk.sentry;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.config.SentrySettings;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.noise.Route;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plans the Sentry intents of one decision of the incident engine, from its occurrence model:
 * one {@link SentryIntent.Type#EVENT} per new occurrence ({@link Decision#occurrencesStarted()}),
 * so a repeated notification or the copy of another Alertmanager of an HA pair, which start no
 * occurrence, plan nothing. With a token, one {@link SentryIntent.Type#RESOLVE} per ended
 * occurrence ({@link Decision#occurrencesEnded()}) whose alert did not fire again in the same
 * notification; with {@code fingerprint: group_key}, one when the incident resolves. Noise
 * control does not apply: Sentry does its own grouping. Pure and thread-safe.
 */
public final class SentryPlanner implements dev.alertdesk.ingest.OccurrencePlanner {
  private final SentrySettings settings;
  private final List<Route> routes;

  /**
   * @param settings the sink's settings; {@link SentrySettings#enabled()} must be true
   * @param routes the {@code routes} of {@code CONFIG_FILE}, for {@code sentry: true|false}
   */
  public SentryPlanner(SentrySettings settings, List<Route> routes) {
    this.settings = settings;
    this.routes = List.copyOf(routes);
  }

  /** The address the intents name: the DSN's host and project, without its key. */
  public String address() {
    return settings.target();
  }

  /**
   * Returns whether incidents with these common labels go to Sentry: the first matching route
   * that says {@code sentry: true|false} decides, following {@code continue: true}; without one,
   * they do.
   */
  public boolean routed(Labels commonLabels) {
    for (Route route : routes) {
      if (!route.matches(commonLabels)) {
        continue;
      }
      if (route.sentry() != null) {
        return route.sentry();
      }
      if (!route.continueMatching()) {
        return true;
      }
    }
    return true;
  }

  /**
   * Plans the outbox intents of one decision ({@link #intents}), for the Sentry worker.
   *
   * @param incident the incident as stored, with its id
   * @param decision the engine's decision that produced it
   * @return intents of the {@code sentry} delivery target, in order
   */
  @Override
  public List<dev.alertdesk.incident.OutgoingMessage> plan(Incident incident, Decision decision) {
    return intents(incident, decision).stream()
        .map(i -> SentrySender.intent(i, address())).toList();
  }

  /**
   * Plans the intents of one decision.
   *
   * @param incident the incident as stored
   * @param decision the engine's decision that produced it
   * @return intents in order (events first, then resolves); empty when the incident is not
   *     routed to Sentry or nothing started or ended
   */
  public List<SentryIntent> intents(Incident incident, Decision decision) {
    if (!settings.enabled() || !routed(incident.commonLabels())) {
      return List.of();
    }
    List<SentryIntent> out = new ArrayList<>();
    Set<String> started = new HashSet<>();
    for (Alert a : decision.occurrencesStarted()) {
      started.add(a.fingerprint());
      out.add(new SentryIntent(SentryIntent.Type.EVENT,
          SentryIntent.eventId(incident.receiver(), a.fingerprint(), a.startsAt()),
          a.fingerprint(), a.startsAt()));
    }
    if (!settings.resolves()) {
      return out;
    }
    if (settings.fingerprint() == SentrySettings.Fingerprint.GROUP_KEY) {
      if (decision.outcome() == NotificationOutcome.RESOLVED
          && !decision.occurrencesEnded().isEmpty()) {
        // Every event of the incident is in one issue: resolving it through any of them will do.
        Alert last = decision.occurrencesEnded().get(decision.occurrencesEnded().size() - 1);
        out.add(new SentryIntent(SentryIntent.Type.RESOLVE,
            SentryIntent.eventId(incident.receiver(), last.fingerprint(), last.startsAt()),
            last.fingerprint(), last.startsAt()));
      }
      return out;
    }
    for (Alert a : decision.occurrencesEnded()) {
      if (started.contains(a.fingerprint())) {
        // It fired again: its issue stays open with the new occurrence's event.
        continue;
      }
      out.add(new SentryIntent(SentryIntent.Type.RESOLVE,
          SentryIntent.eventId(incident.receiver(), a.fingerprint(), a.startsAt()),
          a.fingerprint(), a.startsAt()));
    }
    return out;
  }
}
