package dev.alertdesk.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where the incident store lives, parsed from {@code DB_CONNECTION_STRING}. Accepted forms
 * (DESIGN.md): {@code sqlite://PATH} and the autometrics form {@code sqlite:///abs/path.db?mode=rwc},
 * {@code postgres://user:pass@host:port/db}, {@code postgresql://…}, and {@code jdbc:sqlite:…} or
 * {@code jdbc:postgresql:…}. {@link #toString()} never shows the password.
 *
 * @param kind which database
 * @param jdbcUrl the JDBC URL without credentials
 * @param user the user name, or null
 * @param password the password, or null; never logged
 * @param sqlitePath for SQLite, the database file; else null
 * @param sqliteMode for SQLite, {@code rwc} (create if missing, the default), {@code rw} (must
 *     exist) or {@code ro} (read only); else null
 */
public record DatabaseTarget(
    Kind kind,
    String jdbcUrl,
    @Nullable String user,
    @Nullable String password,
    @Nullable Path sqlitePath,
    @Nullable String sqliteMode) {

  /** The supported databases. */
  public enum Kind {
    /** An embedded SQLite file. */
    SQLITE,
    /** A PostgreSQL server. */
    POSTGRESQL
  }

  /**
   * Parses a connection string.
   *
   * @param connection the value of {@code DB_CONNECTION_STRING}
   * @return the target
   * @throws ConfigException naming {@code DB_CONNECTION_STRING} when the form is not supported;
   *     the message never contains the password
   */
  public static DatabaseTarget parse(String connection) {
    String s = connection.trim();
    if (s.startsWith("jdbc:sqlite:")) {
      String rest = s.substring("jdbc:sqlite:".length());
      int q = rest.indexOf('?');
      String file = q < 0 ? rest : rest.substring(0, q);
      return new DatabaseTarget(Kind.SQLITE, s, null, null, Path.of(file), "rwc");
    }
    if (s.startsWith("jdbc:postgresql:")) {
      return new DatabaseTarget(Kind.POSTGRESQL, s, null, null, null, null);
    }
    if (s.startsWith("sqlite:")) {
      String rest = s.substring("sqlite:".length());
      if (rest.startsWith("//")) {
        rest = rest.substring(2);
      }
      String mode = "rwc";
      int q = rest.indexOf('?');
      if (q >= 0) {
        for (String param : rest.substring(q + 1).split("&")) {
          if (param.startsWith("mode=")) {
            mode = param.substring(5);
          }
        }
        rest = rest.substring(0, q);
      }
      if (!mode.equals("rwc") && !mode.equals("rw") && !mode.equals("ro")) {
        throw new ConfigException(
            "DB_CONNECTION_STRING: sqlite mode must be rwc, rw or ro, got \"" + mode + "\"");
      }
      if (rest.isEmpty()) {
        throw new ConfigException("DB_CONNECTION_STRING: sqlite URL has no file path");
      }
      Path path = Path.of(rest);
      return new DatabaseTarget(Kind.SQLITE, "jdbc:sqlite:" + path, null, null, path, mode);
    }
    if (s.startsWith("postgres://") || s.startsWith("postgresql://")) {
      URI uri;
      try {
        uri = new URI(s);
      } catch (URISyntaxException e) {
        throw new ConfigException("DB_CONNECTION_STRING: not a valid postgres:// URL");
      }
      String host = uri.getHost();
      int port = uri.getPort() < 0 ? 5432 : uri.getPort();
      String userInfo = uri.getRawUserInfo();
      if (host == null && uri.getRawAuthority() != null) {
        // java.net.URI leaves names with '_' (docker-compose service names) unparsed.
        String authority = uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        userInfo = at < 0 ? null : authority.substring(0, at);
        String hostPort = authority.substring(at + 1);
        int colon = hostPort.lastIndexOf(':');
        host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        if (colon >= 0) {
          try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
          } catch (NumberFormatException e) {
            throw new ConfigException("DB_CONNECTION_STRING: postgres URL has an invalid port");
          }
        }
      }
      if (host == null || host.isEmpty()) {
        throw new ConfigException("DB_CONNECTION_STRING: postgres URL has no host");
      }
      String user = null;
      String password = null;
      if (userInfo != null) {
        int colon = userInfo.indexOf(':');
        user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
      }
      String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
      String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1
          ? "postgres" : uri.getRawPath().substring(1);
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      return new DatabaseTarget(Kind.POSTGRESQL,
          "jdbc:postgresql://" + hostPart + ":" + port + "/" + db + query, user, password, null,
          null);
    }
    throw new ConfigException("DB_CONNECTION_STRING: unsupported form; use sqlite://PATH, "
        + "postgres://user:pass@host:port/db, postgresql://… or a jdbc: URL");
  }

  /** Percent-decodes URL user info; unlike form encoding, "+" stays a plus sign. */
  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Shows the JDBC URL and user, with any password masked. */
  @Override
  public String toString() {
    String url = jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1****");
    return kind + " " + url + (user == null ? "" : " user=" + user)
        + (password == null ? "" : " password=****");
  }
}
