package dev.alertdesk.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.alertdesk.config.DatabaseTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Types;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connection pool, Flyway migrations and the {@link Jdbi} handle for one database. SQLite runs
 * in WAL mode with {@code synchronous=FULL} (every commit is fsynced, so a webhook answered 200
 * survives a power cut), a 5 s busy timeout and {@code BEGIN IMMEDIATE} transactions, so writers queue
 * instead of failing; PostgreSQL uses a HikariCP pool. Close it to release the pool.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** How long a writer waits for SQLite's lock before failing, in milliseconds. */
  static final int SQLITE_BUSY_TIMEOUT_MILLIS = 5_000;

  private final DatabaseTarget target;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private volatile boolean migrated;

  private Database(DatabaseTarget target, HikariDataSource dataSource) {
    this.target = target;
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
    jdbi.registerArgument(new StorableText());
  }

  /**
   * Binds strings with U+0000 replaced by U+FFFD. Label values may hold NUL (valid UTF-8, so
   * Prometheus and Alertmanager pass it on), but PostgreSQL rejects it in text, which would turn a
   * valid notification into an endless 503. Applied on both databases so they store the same;
   * JSON columns are unaffected, as JSON escapes NUL.
   */
  private static final class StorableText extends AbstractArgumentFactory<String> {
    StorableText() {
      super(Types.VARCHAR);
    }

    @Override
    protected Argument build(String value, ConfigRegistry config) {
      String storable = storable(value);
      return (position, statement, ctx) -> statement.setString(position, storable);
    }
  }

  /**
   * Returns {@code value} with U+0000 replaced by U+FFFD, as every text column stores it; for
   * plain JDBC batches that bypass Jdbi's argument binding.
   */
  static @Nullable String storable(@Nullable String value) {
    return value == null || value.indexOf('\u0000') < 0 ? value : value.replace('\u0000', '\uFFFD');
  }

  /**
   * Creates the pool without connecting; call {@link #migrate()} before use. For SQLite in
   * {@code rwc} mode the parent directory is created.
   *
   * @param target where the database lives
   * @throws IllegalStateException when the SQLite directory cannot be created
   */
  public static Database open(DatabaseTarget target) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("alertdesk-db");
    config.setInitializationFailTimeout(-1);
    config.setConnectionTimeout(5_000);
    if (target.kind() == DatabaseTarget.Kind.SQLITE) {
      Path path = target.sqlitePath();
      if (path != null && "rwc".equals(target.sqliteMode()) && path.getParent() != null) {
        try {
          Files.createDirectories(path.getParent());
        } catch (IOException e) {
          throw new IllegalStateException("cannot create directory " + path.getParent(), e);
        }
      }
      SQLiteConfig sqlite = new SQLiteConfig();
      sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
      sqlite.enforceForeignKeys(true);
      if (isReadOnly(target)) {
        // Read only: no journal-mode or synchronous pragma (they write), and plain BEGIN, which
        // takes no write lock. A connection that cannot be set up fails at once rather than
        // after the pool's 5 s timeout.
        sqlite.setReadOnly(true);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
        config.setInitializationFailTimeout(1);
        config.setReadOnly(true);
      } else {
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      }
      SQLiteDataSource ds = new SQLiteDataSource(sqlite);
      ds.setUrl(target.jdbcUrl());
      config.setDataSource(ds);
      config.setMaximumPoolSize(4);
    } else {
      config.setJdbcUrl(target.jdbcUrl());
      if (target.user() != null) {
        config.setUsername(target.user());
      }
      if (target.password() != null) {
        config.setPassword(target.password());
      }
      config.setMaximumPoolSize(8);
    }
    return new Database(target, new HikariDataSource(config));
  }

  /** True for a SQLite database opened with {@code mode=ro}: it is read, never written. */
  private static boolean isReadOnly(DatabaseTarget target) {
    return target.kind() == DatabaseTarget.Kind.SQLITE && "ro".equals(target.sqliteMode());
  }

  /** Returns true when the database is opened read-only ({@code sqlite://…?mode=ro}). */
  public boolean isReadOnly() {
    return isReadOnly(target);
  }

  /**
   * Runs the Flyway migrations under {@code db/migration}, then imports the autometrics
   * slack-app's {@code alerts} rows when that table is in the same database
   * ({@link SlackAppImport}); idempotent. A read-only database ({@code mode=ro}) is neither
   * migrated nor imported into: it is checked to need no migration.
   *
   * <p>A database that already holds other applications' tables (the slack-app's {@code alerts}
   * and {@code _sqlx_migrations}) but no Flyway history is baselined at version 0, so every
   * Alertdesk migration still runs and creates its tables beside them; the foreign tables are
   * never altered.
   *
   * @throws org.flywaydb.core.api.FlywayException when the database is unreachable or a
   *     migration fails
   */
  public void migrate() {
    String idColumn = target.kind() == DatabaseTarget.Kind.SQLITE
        ? "INTEGER PRIMARY KEY AUTOINCREMENT"
        : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    Flyway flyway = Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .placeholders(Map.of("id_column", idColumn))
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .baselineDescription("tables of other applications, left untouched")
        .load();
    if (isReadOnly()) {
      // Nothing may be written: check the schema is current instead of migrating it.
      int pending = flyway.info().pending().length;
      if (pending > 0) {
        throw new org.flywaydb.core.api.FlywayException("the read-only database needs " + pending
            + " migration(s); open it once in mode rwc or rw with this version first");
      }
      migrated = true;
      log.info("database ready, read only: {}", target);
      return;
    }
    var result = flyway.migrate();
    SlackAppImport.run(jdbi, dataSource, target);
    migrated = true;
    log.info("database ready: {} (schema version {}, {} migrations applied)",
        target, result.targetSchemaVersion, result.migrationsExecuted);
  }

  /**
   * Returns how many webhook notifications may be processed at once: SQLite has one writer, so
   * 2 (one parsing while one commits); PostgreSQL half its pool of 8 (4), leaving connections to
   * the Slack worker and the read API. More would only queue on the pool, holding parsed
   * payloads in memory. Measured in BENCHMARKS.md: with 2 the service stays under 300 MB RSS
   * during a flood of 1,000-alert webhooks (4 reached 303 MB).
   */
  public int writeConcurrency() {
    return target.kind() == DatabaseTarget.Kind.SQLITE ? 2 : 4;
  }

  /** Returns true once {@link #migrate()} has succeeded. */
  public boolean isMigrated() {
    return migrated;
  }

  /** Returns true when a connection can be taken and answers a trivial query within 2 s. */
  public boolean isReachable() {
    try (var c = dataSource.getConnection()) {
      return c.isValid(2);
    } catch (Exception e) {
      return false;
    }
  }

  /** Returns the pool, for libraries that take a {@link javax.sql.DataSource} (Bucket4j). */
  javax.sql.DataSource dataSource() {
    return dataSource;
  }

  /** Returns true when this is a PostgreSQL server (shared by replicas), false for SQLite. */
  boolean isPostgres() {
    return target.kind() == DatabaseTarget.Kind.POSTGRESQL;
  }

  /** Returns the Jdbi handle factory. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** Closes the pool; in-use connections close when returned. */
  @Override
  public void close() {
    dataSource.close();
  }
}
