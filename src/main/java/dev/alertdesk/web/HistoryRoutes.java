package dev.alertdesk.web;

import dev.alertdesk.history.HistoryRepository;
import java.time.Clock;

/**
 * What the history API and the web UI need.
 *
 * @param repository history reads
 * @param access credentials for the UI and the history API ({@code API_BEARER_TOKEN} as bearer,
 *     {@code UI_BASIC_AUTH} as HTTP Basic); open when neither is set
 * @param extras graphs and audit entries from other features
 * @param clock the current time, for durations of firing incidents and default periods
 */
public record HistoryRoutes(HistoryRepository repository, WebhookAuthenticator access,
    IncidentExtras extras, Clock clock) {}
