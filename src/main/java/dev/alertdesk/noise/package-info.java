/**
 * Noise control and routing: which channels an incident goes to, and whether its Slack messages
 * are posted, delayed (notify-after), rolled up into a storm message, folded into a related
 * incident's thread, quieted while flapping, or followed by reminders. {@code NoiseGate} runs one
 * small {@code NoiseStage} per rule, in list order (a new rule is one class and one line in that
 * list); the decisions are pure and clock-driven, {@code NoiseEffects} writes them, and their
 * state lives in a {@link dev.alertdesk.noise.NoiseLedger}.
 */
@NullMarked
package dev.alertdesk.noise;

import org.jspecify.annotations.NullMarked;
