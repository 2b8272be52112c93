/** Incidents, incident events and the incident engine (a pure state machine), plus the repository role. */
@NullMarked
package dev.alertdesk.incident;

import org.jspecify.annotations.NullMarked;
