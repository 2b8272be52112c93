package dev.alertdesk.testing;

import dev.alertdesk.config.DatabaseTarget;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fresh databases for integration tests.
 *
 * <p>PostgreSQL: the server is named by the environment variable {@value #POSTGRES_URL_ENV}
 * (default {@value #DEFAULT_POSTGRES_URL}), in any form {@link DatabaseTarget#parse} accepts; its
 * user must be allowed to create databases (and roles, for {@link #createPostgresOwnedBy}). Each
 * {@link PostgresDatabase} is a new database named {@code alertdesk_it_<random>}, dropped on
 * {@link PostgresDatabase#close()}. Per test class, register {@link #postgres()}:
 *
 * <pre>{@code
 * @RegisterExtension static final TestDatabases.PostgresExtension POSTGRES = TestDatabases.postgres();
 * ... Database.open(POSTGRES.database().target()) ...
 * }</pre>
 *
 * <p>SQLite: {@link #sqlite(Path)} names a new file in a directory, typically a JUnit
 * {@code @TempDir}, which deletes it.
 */
public final class TestDatabases {
  /** Environment variable naming the PostgreSQL server to create test databases on. */
  public static final String POSTGRES_URL_ENV = "ALERTDESK_TEST_POSTGRES_URL";
  /** The server used when {@value #POSTGRES_URL_ENV} is unset. */
  public static final String DEFAULT_POSTGRES_URL =
      "postgres://postgres:postgres@127.0.0.1:5432/postgres";

  private TestDatabases() {}

  /** Returns the administrative connection target of the test PostgreSQL server. */
  public static DatabaseTarget postgresServer() {
    String url = System.getenv(POSTGRES_URL_ENV);
    DatabaseTarget target = DatabaseTarget.parse(url == null || url.isBlank()
        ? DEFAULT_POSTGRES_URL : url);
    if (target.kind() != DatabaseTarget.Kind.POSTGRESQL) {
      throw new IllegalStateException(POSTGRES_URL_ENV + " must name a PostgreSQL server");
    }
    return target;
  }

  /**
   * Creates a new, empty PostgreSQL database on the test server, owned by the server's user.
   *
   * @throws IllegalStateException when the server cannot be reached or refuses
   */
  public static PostgresDatabase createPostgres() {
    DatabaseTarget server = postgresServer();
    String name = uniqueName();
    admin(server, home(server), "CREATE DATABASE " + name);
    return new PostgresDatabase(server, name, server.user(), server.password(), null);
  }

  /**
   * Creates a new PostgreSQL database owned by a new login role {@code alertdesk_it_<random>}
   * with {@code password}, so a test can put a password of its choosing into a connection string
   * that really connects. Both are dropped on close.
   *
   * @param password the role's password; letters, digits, {@code -} and {@code _} only
   */
  public static PostgresDatabase createPostgresOwnedBy(String password) {
    if (!password.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("password must be [A-Za-z0-9_-]+");
    }
    DatabaseTarget server = postgresServer();
    String name = uniqueName();
    admin(server, home(server), "CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
    admin(server, home(server), "CREATE DATABASE " + name + " OWNER " + name);
    return new PostgresDatabase(server, name, name, password, name);
  }

  /**
   * Returns a target for a new SQLite file in {@code directory}; the file is created on first use.
   *
   * @param directory e.g. a JUnit {@code @TempDir}
   */
  public static DatabaseTarget sqlite(Path directory) {
    return DatabaseTarget.parse("sqlite://" + directory.toAbsolutePath()
        .resolve("alertdesk-" + UUID.randomUUID().toString().substring(0, 8) + ".db"));
  }

  /** Returns a JUnit extension that creates one PostgreSQL database per test class. */
  public static PostgresExtension postgres() {
    return new PostgresExtension();
  }

  private static String uniqueName() {
    return "alertdesk_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
        .toLowerCase(Locale.ROOT);
  }

  /** Runs statements on the server as its configured user, connected to {@code database}. */
  static void admin(DatabaseTarget server, String database, String... statements) {
    try (Connection c = connect(server, database, server.user(), server.password());
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL test server " + server + " refused: "
          + e.getMessage() + " (set " + POSTGRES_URL_ENV + " to a server whose user may create "
          + "databases)", e);
    }
  }

  /** The database the server URL names (usually {@code postgres}), used for administration. */
  private static String home(DatabaseTarget server) {
    String path = URI.create(server.jdbcUrl().substring("jdbc:".length())).getPath();
    return path == null || path.length() <= 1 ? "postgres" : path.substring(1);
  }

  private static Connection connect(DatabaseTarget server, String database, String user,
      String password) throws SQLException {
    return DriverManager.getConnection(jdbcUrlFor(server, database), user, password);
  }

  private static String jdbcUrlFor(DatabaseTarget server, String database) {
    URI uri = URI.create(server.jdbcUrl().substring("jdbc:".length()));
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort())
        + "/" + database + query;
  }

  /** One throw-away PostgreSQL database. Closing it drops it (and its role, if it has one). */
  public static final class PostgresDatabase implements AutoCloseable {
    private final DatabaseTarget server;
    private final String name;
    private final String user;
    private final String password;
    private final String ownRole;

    private PostgresDatabase(DatabaseTarget server, String name, String user, String password,
        String ownRole) {
      this.server = server;
      this.name = name;
      this.user = user;
      this.password = password;
      this.ownRole = ownRole;
    }

    /** Returns the database name, {@code alertdesk_it_…}. */
    public String name() {
      return name;
    }

    /** Returns the target Alertdesk connects with. */
    public DatabaseTarget target() {
      return DatabaseTarget.parse(connectionString());
    }

    /**
     * Returns the database as a {@code DB_CONNECTION_STRING}:
     * {@code postgres://user:password@host:port/name}, or a {@code jdbc:} URL when the server was
     * given as one (with its query, which may carry the credentials).
     */
    public String connectionString() {
      if (user == null) {
        return jdbcUrlFor(server, name);
      }
      URI uri = URI.create(server.jdbcUrl().substring("jdbc:".length()));
      String credentials = encode(user) + (password == null ? "" : ":" + encode(password)) + "@";
      return "postgres://" + credentials + uri.getHost() + ":"
          + (uri.getPort() < 0 ? 5432 : uri.getPort()) + "/" + name;
    }

    /** Returns the host and port of the server, e.g. for building an unreachable twin. */
    public URI serverAddress() {
      return URI.create(server.jdbcUrl().substring("jdbc:".length()));
    }

    /**
     * Empties the database by recreating its {@code public} schema, so each test starts without
     * tables. Close every pool on it first.
     */
    public void reset() {
      admin(server, name,
          "DROP SCHEMA IF EXISTS public CASCADE",
          "CREATE SCHEMA public",
          "GRANT ALL ON SCHEMA public TO PUBLIC"
              + (ownRole == null ? "" : ", " + ownRole));
    }

    /** Drops the database, ending any sessions still connected to it. */
    @Override
    public void close() {
      admin(server, home(server),
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name
              + "' AND pid <> pg_backend_pid()",
          "DROP DATABASE IF EXISTS " + name);
      if (ownRole != null) {
        admin(server, home(server), "DROP ROLE IF EXISTS " + ownRole);
      }
    }

    private static String encode(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
  }

  /**
   * Creates a PostgreSQL database before the first test of a class and drops it after the last.
   * Register it as a {@code static} field with {@code @RegisterExtension}.
   */
  public static final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
    private PostgresDatabase database;

    private PostgresExtension() {}

    @Override
    public void beforeAll(ExtensionContext context) {
      database = createPostgres();
    }

    @Override
    public void afterAll(ExtensionContext context) {
      if (database != null) {
        database.close();
        database = null;
      }
    }

    /**
     * Returns this class's database.
     *
     * @throws IllegalStateException outside the test class's lifetime
     */
    public PostgresDatabase database() {
      if (database == null) {
        throw new IllegalStateException("no database: register the extension as a static field");
      }
      return database;
    }
  }
}
