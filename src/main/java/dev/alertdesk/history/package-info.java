/**
 * Incident history and insights: the search over past incidents, per-fingerprint history with
 * flapping marks, MTTA/MTTR and noise statistics over a period, and the retention purge. The
 * arithmetic here is pure; the {@link dev.alertdesk.history.HistoryRepository} role does the I/O.
 */
@NullMarked
package dev.alertdesk.history;

import org.jspecify.annotations.NullMarked;
