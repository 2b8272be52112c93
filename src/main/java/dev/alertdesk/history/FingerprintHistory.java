package dev.alertdesk.history;

import dev.alertdesk.alert.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The history of one alert series (one fingerprint): every firing period it had, oldest first.
 *
 * @param fingerprint Alertmanager's fingerprint of the label set
 * @param alertname its alertname
 * @param labels its labels, as last seen
 * @param firstSeenAt when Alertdesk first saw it fire
 * @param lastSeenAt when Alertdesk last saw it change
 * @param occurrenceCount firing periods ever counted (also those beyond retention)
 * @param occurrences the stored firing periods, oldest first, with flapping marks
 */
public record FingerprintHistory(
    String fingerprint,
    String alertname,
    Labels labels,
    Instant firstSeenAt,
    Instant lastSeenAt,
    int occurrenceCount,
    List<Occurrence> occurrences) {

  /**
   * A firing period that started within this gap after the previous one ended counts as a flap:
   * the alert resolved and fired again before anyone could act on the resolution.
   */
  public static final Duration FLAP_GAP = Duration.ofMinutes(15);

  /** Copies the occurrences. */
  public FingerprintHistory {
    occurrences = List.copyOf(occurrences);
  }

  /** Returns true when any stored occurrence is marked flapping. */
  public boolean flapping() {
    return occurrences.stream().anyMatch(Occurrence::flapping);
  }

  /**
   * One firing period.
   *
   * @param startsAt Alertmanager's {@code startsAt}
   * @param endsAt when it resolved, or null while it fires
   * @param incidentId the incident it belonged to
   * @param flapping true when it started within {@link #FLAP_GAP} after the previous period ended
   */
  public record Occurrence(Instant startsAt, @Nullable Instant endsAt, long incidentId,
      boolean flapping) {}

  /**
   * Marks flaps in firing periods.
   *
   * @param periods firing periods in any order, with {@code flapping} ignored
   * @return the same periods oldest first, each marked when it started within {@link #FLAP_GAP}
   *     (inclusive) after the previous one ended
   */
  public static List<Occurrence> markFlapping(List<Occurrence> periods) {
    List<Occurrence> sorted = new ArrayList<>(periods);
    sorted.sort((a, b) -> a.startsAt().compareTo(b.startsAt()));
    List<Occurrence> marked = new ArrayList<>(sorted.size());
    Instant previousEnd = null;
    for (Occurrence o : sorted) {
      boolean flap = previousEnd != null && !o.startsAt().isBefore(previousEnd)
          && Duration.between(previousEnd, o.startsAt()).compareTo(FLAP_GAP) <= 0;
      marked.add(new Occurrence(o.startsAt(), o.endsAt(), o.incidentId(), flap));
      previousEnd = o.endsAt();
    }
    return marked;
  }
}
