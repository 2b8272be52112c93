package dev.alertdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.config.DatabaseTarget.Kind;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

final class DatabaseTargetTest {

  static Stream<Arguments> sqliteForms() {
    return Stream.of(
        // connection string, file, mode, JDBC URL
        Arguments.of("sqlite:///data/slack-app.db?mode=rwc", "/data/slack-app.db", "rwc",
            "jdbc:sqlite:/data/slack-app.db"),
        Arguments.of("sqlite:///data/slack-app.db", "/data/slack-app.db", "rwc",
            "jdbc:sqlite:/data/slack-app.db"),
        Arguments.of("sqlite:///var/lib/alertdesk/a.db?mode=ro", "/var/lib/alertdesk/a.db", "ro",
            "jdbc:sqlite:/var/lib/alertdesk/a.db"),
        Arguments.of("sqlite:///data/x.db?cache=shared&mode=rw", "/data/x.db", "rw",
            "jdbc:sqlite:/data/x.db"),
        Arguments.of("sqlite://./data/x.db", "./data/x.db", "rwc", "jdbc:sqlite:./data/x.db"),
        Arguments.of("sqlite://data/x.db", "data/x.db", "rwc", "jdbc:sqlite:data/x.db"),
        Arguments.of("sqlite:relative.db", "relative.db", "rwc", "jdbc:sqlite:relative.db"),
        Arguments.of("  sqlite:///data/padded.db  ", "/data/padded.db", "rwc",
            "jdbc:sqlite:/data/padded.db"),
        Arguments.of("jdbc:sqlite:/tmp/alertdesk.db", "/tmp/alertdesk.db", "rwc",
            "jdbc:sqlite:/tmp/alertdesk.db"),
        Arguments.of("jdbc:sqlite:/tmp/alertdesk.db?journal_mode=WAL", "/tmp/alertdesk.db", "rwc",
            "jdbc:sqlite:/tmp/alertdesk.db?journal_mode=WAL"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sqliteForms")
  void parsesSqliteForms(String connection, String file, String mode, String jdbcUrl) {
    DatabaseTarget target = DatabaseTarget.parse(connection);

    assertThat(target.kind()).isEqualTo(Kind.SQLITE);
    assertThat(target.sqlitePath()).isEqualTo(Path.of(file));
    assertThat(target.sqliteMode()).isEqualTo(mode);
    assertThat(target.jdbcUrl()).isEqualTo(jdbcUrl);
    assertThat(target.user()).isNull();
    assertThat(target.password()).isNull();
  }

  @Test
  void theAutometricsFormIsAnAbsolutePath() {
    DatabaseTarget target = DatabaseTarget.parse("sqlite:///data/slack-app.db?mode=rwc");

    assertThat(target.sqlitePath()).isAbsolute().isEqualTo(Path.of("/data/slack-app.db"));
  }

  static Stream<Arguments> postgresForms() {
    return Stream.of(
        // connection string, JDBC URL, user, password
        Arguments.of("postgres://user:p%40ss@host:5433/db?sslmode=disable",
            "jdbc:postgresql://host:5433/db?sslmode=disable", "user", "p@ss"),
        Arguments.of("postgresql://alertdesk:secret@db.internal:5432/alertdesk",
            "jdbc:postgresql://db.internal:5432/alertdesk", "alertdesk", "secret"),
        Arguments.of("postgres://alertdesk@db.internal/alertdesk",
            "jdbc:postgresql://db.internal:5432/alertdesk", "alertdesk", null),
        Arguments.of("postgres://db.internal:6432/alertdesk",
            "jdbc:postgresql://db.internal:6432/alertdesk", null, null),
        Arguments.of("postgres://u:pw@db.internal",
            "jdbc:postgresql://db.internal:5432/postgres", "u", "pw"),
        Arguments.of("postgres://u:pw@[::1]:5432/db",
            "jdbc:postgresql://[::1]:5432/db", "u", "pw"),
        Arguments.of("postgres://u:a+b%2Fc%3A@host/db",
            "jdbc:postgresql://host:5432/db", "u", "a+b/c:"),
        Arguments.of("postgres://us%65r:%E2%82%AC@host/db",
            "jdbc:postgresql://host:5432/db", "user", "€"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("postgresForms")
  void parsesPostgresUrls(String connection, String jdbcUrl, @Nullable String user,
      @Nullable String password) {
    DatabaseTarget target = DatabaseTarget.parse(connection);

    assertThat(target.kind()).isEqualTo(Kind.POSTGRESQL);
    assertThat(target.jdbcUrl()).isEqualTo(jdbcUrl);
    assertThat(target.user()).isEqualTo(user);
    assertThat(target.password()).isEqualTo(password);
    assertThat(target.sqlitePath()).isNull();
    assertThat(target.sqliteMode()).isNull();
  }

  @Test
  void passesJdbcPostgresUrlsThrough() {
    String url = "jdbc:postgresql://db:5432/alertdesk?user=a&password=jdbc-secret&ssl=true";

    DatabaseTarget target = DatabaseTarget.parse(url);

    assertThat(target.kind()).isEqualTo(Kind.POSTGRESQL);
    assertThat(target.jdbcUrl()).isEqualTo(url);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mysql://u:hunter2@host/db", "http://hunter2@host/db", "hunter2",
      "", "   ", "jdbc:mysql://host/db?password=hunter2", "sqlite://", "sqlite:///x.db?mode=rwx",
      "postgres://u:hunter2@/db", "postgres://u:hunter2@host:port/db", "postgres:// u:hunter2@h/db"})
  void rejectsUnsupportedFormsWithoutShowingThePassword(String connection) {
    assertThatThrownBy(() -> DatabaseTarget.parse(connection))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("DB_CONNECTION_STRING: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "postgres://alertdesk:s3cr3t-pw@db:5432/alertdesk",
      "postgresql://alertdesk:s3cr3t-pw@db/alertdesk?sslmode=require",
      "postgres://db/alertdesk?password=s3cr3t-pw",
      "jdbc:postgresql://db:5432/alertdesk?user=alertdesk&password=s3cr3t-pw",
      "jdbc:postgresql://db:5432/alertdesk?user=alertdesk&sslpassword=s3cr3t-pw",
      "jdbc:postgresql://db:5432/alertdesk;PASSWORD=s3cr3t-pw"})
  void toStringNeverShowsThePassword(String connection) {
    DatabaseTarget target = DatabaseTarget.parse(connection);

    assertThat(target.toString()).doesNotContain("s3cr3t-pw").contains("POSTGRESQL");
  }

  @Test
  void toStringShowsWhereTheDatabaseIs() {
    assertThat(DatabaseTarget.parse("postgres://alertdesk:pw@db:5432/alertdesk").toString())
        .isEqualTo("POSTGRESQL jdbc:postgresql://db:5432/alertdesk user=alertdesk password=****");
    assertThat(DatabaseTarget.parse("sqlite:///data/a.db").toString())
        .isEqualTo("SQLITE jdbc:sqlite:/data/a.db");
  }

  @Test
  void postgresHostWithUnderscoreAsInDockerComposeIsAccepted() {
    DatabaseTarget t = DatabaseTarget.parse("postgres://alert:s3cret@db_host:5433/alertdesk");
    assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db_host:5433/alertdesk");
    assertThat(t.user()).isEqualTo("alert");
    assertThat(t.password()).isEqualTo("s3cret");
    assertThat(DatabaseTarget.parse("postgresql://db_host/x").jdbcUrl())
        .isEqualTo("jdbc:postgresql://db_host:5432/x");
  }
}
