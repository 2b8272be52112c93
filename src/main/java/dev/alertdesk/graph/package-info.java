/** Time series to PNG images with JFreeChart, headless and pure: no I/O beyond the returned bytes. */
@NullMarked
package dev.alertdesk.graph;

import org.jspecify.annotations.NullMarked;
