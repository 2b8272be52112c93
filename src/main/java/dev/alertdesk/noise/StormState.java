package dev.alertdesk.noise;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A storm: a run of new incidents in one channel faster than {@code noise.storm} allows, shown as
 * one "Alert storm" message. The message is stored as the parent message of the first rolled-up
 * incident (the anchor) in that channel.
 *
 * @param id the storm id
 * @param channel the channel
 * @param anchorIncidentId the first rolled-up incident; the storm message is its parent there
 * @param startedAt when it started
 * @param endedAt when the rate fell back below the limit, or null while active
 */
public record StormState(
    long id, String channel, long anchorIncidentId, Instant startedAt, @Nullable Instant endedAt) {}
