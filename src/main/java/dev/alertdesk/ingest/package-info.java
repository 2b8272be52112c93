/** The Alertmanager webhook payload (version 4): parsing, validation and the ingest service that commits it. */
@NullMarked
package dev.alertdesk.ingest;

import org.jspecify.annotations.NullMarked;
