/** A client for Prometheus Alertmanager's HTTP API v2 (silences). */
@NullMarked
package dev.alertdesk.alertmanager;

import org.jspecify.annotations.NullMarked;
