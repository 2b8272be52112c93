/**
 * The root of Alertdesk: one package per domain concept below it, and here only
 * {@link dev.alertdesk.AlertdeskException}, the root of every unchecked exception they throw.
 */
@NullMarked
package dev.alertdesk;

import org.jspecify.annotations.NullMarked;
