package dev.alertdesk.email;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code smtp} section of {@code CONFIG_FILE}: where and how mail is sent. {@link #toString()}
 * masks the password, so these settings can be logged and printed by {@code check-config}.
 *
 * @param host the SMTP server's host name or address
 * @param port its port, 1–65535 (587 for submission with STARTTLS, 465 for TLS, 25)
 * @param security how the connection is protected
 * @param username the SMTP AUTH user, or null to send without authentication
 * @param password the SMTP AUTH password (normally {@code ${SMTP_PASSWORD}}), or null; a secret:
 *     never logged, shown or put into an error
 * @param from the sender, an RFC 5322 address such as {@code Alertdesk <alertdesk@example.com>}
 * @param caFile a PEM file of certificate authorities to trust for the server's certificate
 *     instead of the JVM's, or null
 * @param timeout connect, read and write timeout of one SMTP conversation
 */
public record SmtpSettings(
    String host,
    int port,
    Security security,
    @Nullable String username,
    @Nullable String password,
    String from,
    @Nullable Path caFile,
    Duration timeout) {

  /** Checks the required parts. */
  public SmtpSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** How the SMTP connection is protected ({@code smtp.starttls}). */
  public enum Security {
    /** Plain connection upgraded with STARTTLS, which the server must offer (port 587). */
    REQUIRED,
    /** TLS from the first byte (SMTPS, port 465). */
    TLS,
    /** No encryption: only for a relay on the same host or a trusted network. */
    NONE;

    /** Returns the configured form, e.g. {@code required}. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Returns everything but the password, which is shown as {@code ****} when set. */
  @Override
  public String toString() {
    return "SmtpSettings[host=" + host + ", port=" + port + ", starttls=" + security.wire()
        + ", username=" + username + ", password=" + (password == null ? "unset" : "****")
        + ", from=" + from + ", caFile=" + caFile + ", timeout=" + timeout + "]";
  }
}
