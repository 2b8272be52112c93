/**
 * Time series to PNG graphs (pure: no I/O besides encoding into memory), the charts of incident
 * history, and the role that stores rendered charts.
 */
@NullMarked
package dev.alertdesk.graph;

import org.jspecify.annotations.NullMarked;
