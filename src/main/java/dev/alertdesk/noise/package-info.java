/**
 * Noise control and routing: which channels an incident goes to, and whether its Slack messages
 * are posted, delayed (notify-after), rolled up into a storm message, folded into a related
 * incident's thread, quieted while flapping, or followed by reminders. The decisions are pure
 * and clock-driven; their state lives in a {@link dev.alertdesk.noise.NoiseLedger}.
 */
@NullMarked
package dev.alertdesk.noise;

import org.jspecify.annotations.NullMarked;
