package dev.alertdesk.noise;

/**
 * How many incidents a storm rolled up, counted in the database, whereas {@link
 * NoiseLedger#stormMembers} lists at most {@link NoiseLedger#MAX_STORM_MEMBERS} of them.
 *
 * @param incidents the incidents rolled up into the storm, 0 or more
 * @param firing those of them not resolved, 0 or more
 */
public record StormTally(int incidents, int firing) {}
