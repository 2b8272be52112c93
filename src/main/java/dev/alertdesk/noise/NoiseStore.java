package dev.alertdesk.noise;

import java.util.function.Function;

/** Runs noise-control work in transactions of the incident store. */
public interface NoiseStore {
  /**
   * Runs {@code work} in one transaction with a ledger bound to it: it commits when
   * {@code work} returns and rolls back when it throws.
   *
   * @throws dev.alertdesk.incident.StorageException when the database fails
   */
  <T> T inTransaction(Function<NoiseLedger, T> work);
}
