package dev.alertdesk.config;

import dev.alertdesk.email.SmtpSettings;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code smtp} section of {@code CONFIG_FILE} into {@link SmtpSettings}:
 *
 * <pre>
 * smtp:
 *   host: smtp.example.com
 *   port: 587                # default: 587 for required, 465 for tls, 25 for none
 *   starttls: required       # or: tls, none
 *   username: alertdesk      # optional; with password
 *   password: ${SMTP_PASSWORD}
 *   from: "Alertdesk &lt;alertdesk@example.com&gt;"
 *   ca_file: /etc/alertdesk/smtp-ca.pem   # optional
 *   timeout: 10s             # optional
 * </pre>
 *
 * Every error names the file, line and key; unknown keys are errors. No error ever contains the
 * password.
 */
public final class SmtpConfig {
  private static final Set<String> KEYS = Set.of("host", "port", "starttls", "username",
      "password", "from", "ca_file", "timeout");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private SmtpConfig() {}

  /**
   * Reads the section from the parsed file.
   *
   * @param file names the source in error messages
   * @param root the parsed file, or null when it is empty
   * @param env the environment {@code ${VAR}} is expanded from
   * @return the settings, or null when the file has no {@code smtp} section
   * @throws ConfigException naming the file, line and key of every invalid value, in file order
   */
  static @Nullable SmtpSettings read(Path file, YamlTree.@Nullable Node root,
      Map<String, String> env) {
    if (root == null || !(root.value() instanceof Map)) {
      return null;
    }
    YamlTree.Node node = root.mapping(file, "(top level)").get("smtp");
    if (node == null || node.value() == null) {
      return null;
    }
    List<String> problems = new ArrayList<>();
    Map<String, YamlTree.Node> m = node.mapping(file, "smtp");
    for (Map.Entry<String, YamlTree.Node> e : m.entrySet()) {
      if (!KEYS.contains(e.getKey())) {
        problems.add(file + " line " + e.getValue().line() + ": smtp." + e.getKey()
            + ": unknown key; known keys are " + String.join(", ",
            KEYS.stream().sorted().toList()));
      }
    }
    String host = text(file, m, node, "host", env, true, problems);
    String securityText = text(file, m, node, "starttls", env, false, problems);
    SmtpSettings.Security security = SmtpSettings.Security.REQUIRED;
    if (securityText != null) {
      switch (securityText) {
        case "required" -> security = SmtpSettings.Security.REQUIRED;
        case "tls" -> security = SmtpSettings.Security.TLS;
        case "none" -> security = SmtpSettings.Security.NONE;
        default -> problems.add(file + " line " + m.get("starttls").line()
            + ": smtp.starttls: must be required, tls or none, got \"" + securityText + "\"");
      }
    }
    int port = switch (security) {
      case REQUIRED -> 587;
      case TLS -> 465;
      case NONE -> 25;
    };
    String portText = text(file, m, node, "port", env, false, problems);
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        problems.add(file + " line " + m.get("port").line()
            + ": smtp.port: must be a port between 1 and 65535, got \"" + portText + "\"");
      }
    }
    String username = text(file, m, node, "username", env, false, problems);
    String password = secret(file, m, env, problems);
    if (present(m, "username") != present(m, "password")) {
      problems.add(file + " line " + node.line() + ": smtp: username and password go together "
          + "(set both for SMTP AUTH, or neither)");
    }
    if (password != null && security == SmtpSettings.Security.NONE) {
      problems.add(file + " line " + m.get("password").line() + ": smtp.password: refusing to "
          + "send the password unencrypted; use starttls: required or tls");
    }
    String from = text(file, m, node, "from", env, true, problems);
    if (from != null) {
      try {
        InternetAddress parsed = new InternetAddress(from, true);
        if (parsed.getAddress().indexOf('@') < 1) {
          throw new AddressException("no domain");
        }
      } catch (AddressException e) {
        problems.add(file + " line " + m.get("from").line() + ": smtp.from: \"" + from
            + "\" is not an e-mail address such as \"Alertdesk <alertdesk@example.com>\"");
      }
    }
    Path caFile = null;
    String ca = text(file, m, node, "ca_file", env, false, problems);
    if (ca != null) {
      caFile = Path.of(ca);
      if (!Files.isReadable(caFile)) {
        problems.add(file + " line " + m.get("ca_file").line() + ": smtp.ca_file: " + ca
            + " is not a readable file");
      }
    }
    Duration timeout = DEFAULT_TIMEOUT;
    String timeoutText = text(file, m, node, "timeout", env, false, problems);
    if (timeoutText != null) {
      try {
        timeout = Durations.parse(timeoutText, "smtp.timeout");
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0
            || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
          problems.add(file + " line " + m.get("timeout").line()
              + ": smtp.timeout: must be between 1s and 5m, got " + timeoutText);
        }
      } catch (ConfigException e) {
        problems.add(file + " line " + m.get("timeout").line() + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new SmtpSettings(host, port, security, username, password, from, caFile, timeout);
  }

  private static boolean present(Map<String, YamlTree.Node> m, String key) {
    return m.get(key) != null && m.get(key).value() != null;
  }

  private static @Nullable String text(Path file, Map<String, YamlTree.Node> m,
      YamlTree.Node section, String key, Map<String, String> env, boolean required,
      List<String> problems) {
    YamlTree.Node n = m.get(key);
    if (n == null || n.value() == null) {
      if (required) {
        problems.add(file + " line " + section.line() + ": smtp." + key + ": required");
      }
      return null;
    }
    try {
      String v = Settings.expand(n.scalar(file, "smtp." + key), env, file, n.line()).strip();
      if (v.isEmpty()) {
        problems.add(file + " line " + n.line() + ": smtp." + key + ": must not be empty");
        return null;
      }
      return v;
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  /** The password: expanded like any value, but never quoted in an error. */
  private static @Nullable String secret(Path file, Map<String, YamlTree.Node> m,
      Map<String, String> env, List<String> problems) {
    YamlTree.Node n = m.get("password");
    if (n == null || n.value() == null) {
      return null;
    }
    if (!(n.value() instanceof String raw)) {
      problems.add(file + " line " + n.line() + ": smtp.password: must be a single value");
      return null;
    }
    try {
      String v = Settings.expand(raw, env, file, n.line());
      if (v.isEmpty()) {
        problems.add(file + " line " + n.line() + ": smtp.password: must not be empty");
        return null;
      }
      return v;
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return null;
    }
  }
}
