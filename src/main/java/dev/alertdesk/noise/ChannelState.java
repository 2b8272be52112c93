package dev.alertdesk.noise;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The delivery state of one incident in one channel.
 *
 * @param incidentId the incident
 * @param channel the channel as configured (name or ID)
 * @param mode how it is delivered there
 * @param routeIndex the index of the route that chose the channel in {@code routes}, or -1 for
 *     {@code SLACK_CHANNEL} when no route matched
 * @param mention the route's mention, or null
 * @param notifyAt for {@link ChannelMode#DELAYED}, when the parent is due; else null
 * @param stormId for {@link ChannelMode#ROLLED_UP}, the storm; else null
 * @param relatedIncidentId for {@link ChannelMode#CORRELATED}, whose thread it joined; else null
 * @param correlationKey the {@code correlate_by} labels rendered as {@code a="x", b="y"}, or null
 *     when correlation is off or a label is missing
 * @param nextReminderAt when the next reminder is due, or null when none is scheduled
 * @param remindersSent reminders sent so far
 */
public record ChannelState(
    long incidentId,
    String channel,
    ChannelMode mode,
    int routeIndex,
    @Nullable String mention,
    @Nullable Instant notifyAt,
    @Nullable Long stormId,
    @Nullable Long relatedIncidentId,
    @Nullable String correlationKey,
    @Nullable Instant nextReminderAt,
    int remindersSent) {

  /** Returns a copy in {@code newMode} with the mode-specific fields cleared. */
  public ChannelState with(ChannelMode newMode) {
    return new ChannelState(incidentId, channel, newMode, routeIndex, mention, null, null, null,
        correlationKey, nextReminderAt, remindersSent);
  }

  /** Returns a copy with another reminder schedule. */
  public ChannelState withReminder(@Nullable Instant next, int sent) {
    return new ChannelState(incidentId, channel, mode, routeIndex, mention, notifyAt, stormId,
        relatedIncidentId, correlationKey, next, sent);
  }
}
