package dev.alertdesk.app;

import dev.alertdesk.audit.AuditChain;
import dev.alertdesk.config.ConfigException;
import dev.alertdesk.config.Settings;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.store.Database;
import dev.alertdesk.store.JdbiAuditLog;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code audit}: commands on the audit log. {@code audit verify} recomputes the SHA-256 hash
 * chain of every row in the configured database ({@code DB_CONNECTION_STRING}) and names the
 * first broken row ({@code --database URL} names another database). Exit codes: 0 intact, 1 broken, 2 usage error, 3 invalid configuration or
 * database unreachable.
 */
@Command(name = "audit", description = "Commands on the audit log.",
    subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** {@code audit verify}. */
  @Command(name = "verify", description = "Recompute the audit log's hash chain and name the "
      + "first broken row; exits 1 when the chain is broken.")
  static final class Verify implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--database", paramLabel = "URL",
        description = "the database to verify, in any DB_CONNECTION_STRING form; defaults to "
            + "the configured one")
    String database;

    @Override
    public Integer call() {
      Map<String, String> env = new HashMap<>(System.getenv());
      if (database != null) {
        env.put("DB_CONNECTION_STRING", database);
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
      try (Database database = Database.open(settings.database())) {
        database.migrate();
        JdbiAuditLog audit = new JdbiAuditLog(database);
        long rows = audit.count();
        Optional<AuditChain.Break> broken = audit.verify();
        if (broken.isPresent()) {
          err.println("audit chain BROKEN at row " + broken.get().rowId() + ": "
              + broken.get().reason());
          return 1;
        }
        out.println("audit chain OK: " + rows + " rows verified");
        return 0;
      } catch (StorageException | org.flywaydb.core.api.FlywayException
          | com.zaxxer.hikari.pool.HikariPool.PoolInitializationException e) {
        err.println("cannot read the audit log: " + e.getMessage());
        return 3;
      }
    }
  }
}
