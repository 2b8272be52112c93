package dev.alertdesk.noise;

import dev.alertdesk.incident.Incident;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An incident reaching one channel: new, firing again after it was suppressed, or released
 * after notify-after. The arrival stages decide its {@link Placement}.
 *
 * @param fx the transaction's ledger and effects
 * @param routing where the route placed it
 * @param incident the incident, with its stored id
 * @param firingSince when it started firing, for notify-after; null when it already waited
 */
record Arrival(NoiseEffects fx, ChannelState.Routing routing, Incident incident,
    @Nullable Instant firingSince) {}
