package dev.alertdesk.noise;

import dev.alertdesk.alert.Severity;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.NotificationOutcome;
import java.time.Duration;
import java.time.Instant;

/**
 * Reminders ({@code reminders.unacknowledged_after}): a posted critical incident that nobody
 * acknowledged or silenced gets a reply, with the route's mention, after that long and again at
 * each further interval, until it resolves. Only posted incidents are reminded about: a delayed,
 * rolled-up or correlated one is not.
 */
final class ReminderStage implements NoiseStage {
  private final NoiseRules rules;
  private final IncidentResponseState responses;

  ReminderStage(NoiseRules rules, IncidentResponseState responses) {
    this.rules = rules;
    this.responses = responses;
  }

  @Override
  public String name() {
    return "reminders";
  }

  /** Schedules the first reminder of an incident that gets its own parent now. */
  @Override
  public Placement place(Arrival a, NoiseEffects.Placer next) {
    Placement later = next.place(a);
    return later instanceof Placement.Post && needsReminders(a.incident())
        ? new Placement.Post(a.fx().now().plus(rules.remindAfter())) : later;
  }

  @Override
  public void update(Notification n, ChannelState state) {
    if (!(state instanceof ChannelState.Posted posted)) {
      return;
    }
    if (n.incident.status() == IncidentStatus.RESOLVED && posted.nextReminderAt() != null) {
      n.fx.reminderSchedule(posted, null, posted.remindersSent());
    } else if (n.decision.outcome() == NotificationOutcome.REOPENED
        && needsReminders(n.incident)) {
      n.fx.reminderSchedule(posted, n.fx.now().plus(rules.remindAfter()),
          posted.remindersSent());
    }
  }

  @Override
  public int tick(Deadlines d) {
    int work = 0;
    for (ChannelState.Posted due : d.read(l -> l.remindersDue(d.now(), Deadlines.BATCH))) {
      work += d.inTransaction(fx -> remind(fx, due));
    }
    return work;
  }

  private int remind(NoiseEffects fx, ChannelState.Posted due) {
    Instant now = fx.now();
    Incident incident = fx.ledger().lockIncident(due.incidentId());
    ChannelState s = Deadlines.current(fx.ledger(), due);
    if (incident == null || !(s instanceof ChannelState.Posted posted)) {
      return 0;
    }
    Instant dueAt = posted.nextReminderAt();
    if (dueAt == null || dueAt.isAfter(now)) {
      return 0;
    }
    if (incident.status() == IncidentStatus.RESOLVED || !rules.remindersEnabled()
        || responses.isAcknowledgedOrSilenced(posted.incidentId())) {
      fx.noReminder(posted);
      return 1;
    }
    int sent = posted.remindersSent() + 1;
    Duration open = Duration.between(incident.openedAt(), now);
    fx.reminded(posted, open, sent);
    Instant next = dueAt.plus(rules.remindAfter());
    if (!next.isAfter(now)) {
      next = now.plus(rules.remindAfter());
    }
    fx.reminderSchedule(posted, next, sent);
    return 1;
  }

  /**
   * Returns true when reminders apply to the incident: on, and its severity is critical (as the
   * renderer classifies it, {@code page} included).
   */
  private boolean needsReminders(Incident incident) {
    return rules.remindersEnabled() && incident.severityClass() == Severity.CRITICAL;
  }
}
