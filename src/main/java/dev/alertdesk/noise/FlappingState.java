package dev.alertdesk.noise;

import java.time.Instant;

/**
 * A fingerprint marked flapping.
 *
 * @param fingerprint the alert's fingerprint
 * @param incidentId the incident it was flapping in when last seen
 * @param since when it was marked flapping
 * @param lastTransitionAt its latest change between firing and resolved
 */
public record FlappingState(
    String fingerprint, long incidentId, Instant since, Instant lastTransitionAt) {}
