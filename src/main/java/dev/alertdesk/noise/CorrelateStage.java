package dev.alertdesk.noise;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.NotificationOutcome;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Correlation ({@code noise.correlate_by}): an incident whose labels equal those of an open
 * incident already posted in the channel gets a "Related" reply in that incident's thread
 * instead of a parent of its own; its resolution and reopening are replied there too.
 */
final class CorrelateStage implements NoiseStage {
  @Override
  public String name() {
    return "correlate";
  }

  @Override
  public Placement place(Arrival a, NoiseEffects.Placer next) {
    String key = a.routing().correlationKey();
    Long related = key == null ? null : a.fx().ledger().openPostedIncident(
        a.routing().channel(), key, a.routing().incidentId());
    return related != null ? new Placement.Correlate(related) : next.place(a);
  }

  @Override
  public void update(Notification n, ChannelState state) {
    if (state instanceof ChannelState.Correlated correlated) {
      NotificationOutcome outcome = n.decision.outcome();
      if (outcome == NotificationOutcome.RESOLVED) {
        n.fx.relatedChanged(correlated, true);
      } else if (outcome == NotificationOutcome.REOPENED) {
        n.fx.relatedChanged(correlated, false);
      }
    }
  }

  /**
   * The {@code correlate_by} labels of the incident as {@code a="x", b="y"}; null when
   * correlation is off or any of the labels is missing or empty.
   */
  static @Nullable String correlationKey(NoiseRules rules, Incident incident) {
    if (rules.correlateBy().isEmpty()) {
      return null;
    }
    Map<String, String> values = new TreeMap<>();
    for (String name : rules.correlateBy()) {
      String v = incident.commonLabels().get(name);
      if (v == null || v.isEmpty()) {
        return null;
      }
      values.put(name, v);
    }
    return new Labels(values).toString();
  }
}
