/** Block Kit rendering (pure) and the Slack Web API gateway built on the official Slack Java SDK. */
@NullMarked
package dev.alertdesk.slack;

import org.jspecify.annotations.NullMarked;
