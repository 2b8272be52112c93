/** Main and the composition root: builds the object graph by hand and owns start/stop order. */
@NullMarked
package dev.alertdesk.app;

import org.jspecify.annotations.NullMarked;
