package dev.alertdesk.status;

import java.util.Map;
import java.util.function.BooleanSupplier;

/** The database: OK once it is reachable and migrated (what {@code /ready} answers on). */
final class DatabaseSection implements StatusSection {
  private final BooleanSupplier ready;

  /** @param ready true once the database is reachable and migrated */
  DatabaseSection(BooleanSupplier ready) {
    this.ready = ready;
  }

  @Override
  public String name() {
    return "database";
  }

  @Override
  public SectionStatus check() {
    return ready.getAsBoolean() ? SectionStatus.ok("reachable and migrated", Map.of())
        : new SectionStatus(SectionStatus.Level.ERROR,
            "unreachable or not migrated: webhooks are answered 503", Map.of());
  }
}
