/**
 * The append-only audit log of actions taken from Slack, chained by SHA-256 so that an edited or
 * deleted row is detected ({@code alertdesk audit verify}).
 */
@NullMarked
package dev.alertdesk.audit;

import org.jspecify.annotations.NullMarked;
