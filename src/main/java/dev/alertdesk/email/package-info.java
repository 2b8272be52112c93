/**
 * E-mail, a delivery target of the outbox (issue 17): {@link dev.alertdesk.email.EmailPlanner}
 * plans one mail per moment noise control lets through on a route with {@code email},
 * {@link dev.alertdesk.email.EmailComposer} composes it (one thread per incident, text and HTML,
 * the stored graph inline) and {@link dev.alertdesk.email.EmailSender} sends it over SMTP with
 * Jakarta Mail ({@link dev.alertdesk.email.SmtpMailer}), classifying SMTP replies for the
 * retrying {@link dev.alertdesk.delivery.TargetWorker}.
 */
@NullMarked
package dev.alertdesk.email;

import org.jspecify.annotations.NullMarked;
