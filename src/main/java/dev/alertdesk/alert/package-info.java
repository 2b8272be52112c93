/** The pure Alertmanager alert model: Alert, label sets, fingerprints and statuses. No I/O. */
@NullMarked
package dev.alertdesk.alert;

import org.jspecify.annotations.NullMarked;
