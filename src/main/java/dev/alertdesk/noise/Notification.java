package dev.alertdesk.noise;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.incident.Decision;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.OutgoingMessage;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One committed engine decision as the stages see it, inside the ingest transaction.
 * {@link FlappingStage} fills in {@link #flapping} before the channels are handled.
 */
final class Notification {
  final NoiseEffects fx;
  final @Nullable Incident before;
  final Incident incident;
  final Decision decision;
  final List<OutgoingMessage> rendered;
  /** The fingerprints flapping among this decision's changes; set by the flapping stage. */
  Flapping flapping = Flapping.NONE;

  Notification(NoiseEffects fx, @Nullable Incident before, Incident incident, Decision decision,
      List<OutgoingMessage> rendered) {
    this.fx = fx;
    this.before = before;
    this.incident = incident;
    this.decision = decision;
    this.rendered = rendered;
  }

  /**
   * The fingerprints flapping among a decision's changes, and those that just started.
   *
   * @param transitions the most transitions of those that just started
   */
  record Flapping(Set<String> flapping, Set<String> started, int transitions) {
    static final Flapping NONE = new Flapping(Set.of(), Set.of(), 0);

    /** True when every alert that changed is flapping: replies about them are held back. */
    boolean covers(List<Alert> changed) {
      return !flapping.isEmpty() && !changed.isEmpty()
          && changed.stream().allMatch(a -> flapping.contains(a.fingerprint()));
    }
  }
}
