/**
 * Periodic background jobs: {@link dev.alertdesk.schedule.PeriodicJob} runs one named job at a
 * fixed delay on its own daemon thread (noise deadlines, retention purge, silence expiry,
 * database readiness …); {@link dev.alertdesk.schedule.WorkerLoop} is the wake-able loop of the
 * outbox, delivery-target and enrichment workers.
 */
@NullMarked
package dev.alertdesk.schedule;

import org.jspecify.annotations.NullMarked;
