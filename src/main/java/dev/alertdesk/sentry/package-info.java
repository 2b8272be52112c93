/**
 * The Sentry sink: each new alert occurrence becomes one Sentry event, sent through the official
 * Sentry Java SDK ({@link dev.alertdesk.sentry.SentryEvents}, {@link
 * dev.alertdesk.sentry.SentryEventMapper}), and a resolved alert resolves its Sentry issue through
 * Sentry's Web API ({@link dev.alertdesk.sentry.SentryIssues}). Intents are planned in the ingest
 * transaction ({@link dev.alertdesk.sentry.SentryPlanner}) and delivered from the outbox.
 */
@NullMarked
package dev.alertdesk.sentry;

import org.jspecify.annotations.NullMarked;
