package dev.alertdesk.app;

import dev.alertdesk.audit.AuditEntry;
import dev.alertdesk.audit.AuditResult;
import dev.alertdesk.config.ConfigException;
import dev.alertdesk.config.Settings;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.store.Database;
import dev.alertdesk.store.JdbiRemediationStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code freeze} and {@code unfreeze}: the remediation kill switch in the shared database
 * ({@code DB_CONNECTION_STRING}, or {@code --database}), so every replica stops (or resumes)
 * remediation at once: no new request, and an approved request is BLOCKED at execution. Each
 * change is an audit row. Exit codes: 0 done, 2 usage error, 3 invalid configuration or database
 * unreachable.
 */
final class FreezeCommand {
  private FreezeCommand() {}

  /** {@code freeze}. */
  @Command(name = "freeze", description = "Stop remediation everywhere (the kill switch, in the "
      + "shared database; audited).")
  static final class Freeze implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--reason", paramLabel = "TEXT",
        description = "why, recorded in the audit log")
    String reason;

    @CommandLine.Option(names = "--database", paramLabel = "URL",
        description = "the database, in any DB_CONNECTION_STRING form; defaults to the "
            + "configured one")
    String database;

    @Override
    public Integer call() {
      return set(spec, database, true, reason);
    }
  }

  /** {@code unfreeze}. */
  @Command(name = "unfreeze", description = "Allow remediation again (audited).")
  static final class Unfreeze implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--reason", paramLabel = "TEXT",
        description = "why, recorded in the audit log")
    String reason;

    @CommandLine.Option(names = "--database", paramLabel = "URL",
        description = "the database, in any DB_CONNECTION_STRING form; defaults to the "
            + "configured one")
    String database;

    @Override
    public Integer call() {
      return set(spec, database, false, reason);
    }
  }

  private static int set(CommandLine.Model.CommandSpec spec, String databaseUrl, boolean frozen,
      String reason) {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (databaseUrl != null) {
      env.put("DB_CONNECTION_STRING", databaseUrl);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Settings settings;
    try {
      settings = Settings.load(env);
    } catch (ConfigException e) {
      err.println("invalid configuration: " + e.getMessage());
      return 3;
    }
    String by = "cli:" + System.getProperty("user.name", "unknown");
    Clock clock = Clock.systemUTC();
    try (Database database = Database.open(settings.database())) {
      database.migrate();
      JdbiRemediationStore store = new JdbiRemediationStore(database, clock, false);
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("frozen", frozen);
      params.put("was_frozen", store.freeze().frozen());
      params.put("reason", reason == null ? "" : reason);
      store.setFrozen(frozen, by, reason, new AuditEntry(clock.instant(), by, by,
          frozen ? "remediation.freeze" : "remediation.unfreeze", null,
          Map.of("kill_switch", "remediation"), params, AuditResult.SUCCESS, null));
      out.println(frozen ? "remediation FROZEN: no new request, approved requests are blocked"
          : "remediation unfrozen" + (settings.remediation().enabled() ? ""
              : " (but REMEDIATION_ENABLED=false still holds it off)"));
      return 0;
    } catch (StorageException | org.flywaydb.core.api.FlywayException
        | com.zaxxer.hikari.pool.HikariPool.PoolInitializationException e) {
      err.println("cannot set the kill switch: " + e.getMessage());
      return 3;
    }
  }
}
