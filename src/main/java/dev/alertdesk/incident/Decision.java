package dev.alertdesk.incident;

import dev.alertdesk.alert.Alert;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of applying one notification to the latest incident of its group.
 *
 * @param outcome what happened
 * @param incident the incident after the change; null for {@link NotificationOutcome#NO_INCIDENT}.
 *     Its id is null when it is new.
 * @param isNew true when {@code incident} must be inserted rather than updated
 * @param events timeline entries to append, in order
 * @param intents Slack calls to enqueue, in order
 * @param changedMembers member alerts whose stored state must be written
 * @param occurrencesStarted alerts that began a new firing period {@code (fingerprint, startsAt)}
 * @param occurrencesEnded alerts whose firing period ended
 */
public record Decision(
    NotificationOutcome outcome,
    @Nullable Incident incident,
    boolean isNew,
    List<IncidentEvent> events,
    List<SlackIntent> intents,
    List<Alert> changedMembers,
    List<Alert> occurrencesStarted,
    List<Alert> occurrencesEnded) {

  /** Copies the lists. */
  public Decision {
    events = List.copyOf(events);
    intents = List.copyOf(intents);
    changedMembers = List.copyOf(changedMembers);
    occurrencesStarted = List.copyOf(occurrencesStarted);
    occurrencesEnded = List.copyOf(occurrencesEnded);
  }

  /** A decision that changes nothing. */
  static Decision unchanged(NotificationOutcome outcome, @Nullable Incident incident) {
    return new Decision(outcome, incident, false, List.of(), List.of(), List.of(), List.of(),
        List.of());
  }
}
