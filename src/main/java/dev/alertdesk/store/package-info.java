/** Database setup, Flyway migrations and the Jdbi repositories for incidents and the outbox. */
@NullMarked
package dev.alertdesk.store;

import org.jspecify.annotations.NullMarked;
