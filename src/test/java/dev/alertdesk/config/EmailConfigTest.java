package dev.alertdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.alertdesk.email.SmtpSettings;
import dev.alertdesk.noise.EmailRoute;
import dev.alertdesk.noise.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code smtp} section and {@code routes[].email}, read by {@link Settings#load}. */
final class EmailConfigTest {
  private static final String PASSWORD = "s3cr3t-smtp-Zq9";

  /** The example of the README. */
  static final String EXAMPLE = """
      smtp:
        host: smtp.example.com
        port: 587
        starttls: required      # or: tls, none
        username: alertdesk
        password: ${SMTP_PASSWORD}
        from: "Alertdesk <alertdesk@example.com>"
      routes:
        - matchers: ['severity="critical"']
          email:
            to: [oncall@example.com]
            on: [opened, resolved, unacknowledged]
      reminders:
        unacknowledged_after: 15m
      """;

  @TempDir Path dir;

  private Settings load(String yaml, Map<String, String> extra) throws Exception {
    Path file = dir.resolve("alertdesk.yml");
    Files.writeString(file, yaml);
    Map<String, String> env = new HashMap<>(extra);
    env.put("CONFIG_FILE", file.toString());
    return Settings.load(env);
  }

  private ConfigException problems(String yaml, Map<String, String> env) {
    return catchThrowableOfType(ConfigException.class, () -> load(yaml, env));
  }

  @Test
  void readsTheExample() throws Exception {
    Settings s = load(EXAMPLE, Map.of("SMTP_PASSWORD", PASSWORD));

    SmtpSettings smtp = s.smtp();
    assertThat(smtp).isNotNull();
    assertThat(smtp.host()).isEqualTo("smtp.example.com");
    assertThat(smtp.port()).isEqualTo(587);
    assertThat(smtp.security()).isEqualTo(SmtpSettings.Security.REQUIRED);
    assertThat(smtp.username()).isEqualTo("alertdesk");
    assertThat(smtp.password()).isEqualTo(PASSWORD);
    assertThat(smtp.from()).isEqualTo("Alertdesk <alertdesk@example.com>");
    assertThat(smtp.timeout()).isEqualTo(Duration.ofSeconds(10));
    Route route = s.noiseRules().routes().get(0);
    assertThat(route.email()).isEqualTo(new EmailRoute(java.util.List.of("oncall@example.com"),
        Set.of(EmailRoute.On.OPENED, EmailRoute.On.RESOLVED, EmailRoute.On.UNACKNOWLEDGED)));
    assertThat(s.toString()).contains("smtp=SmtpSettings[host=smtp.example.com", "password=****")
        .doesNotContain(PASSWORD);
  }

  @Test
  void noSmtpSectionMeansNoEmailAndDefaultsFollowTheSecurity() throws Exception {
    assertThat(load("routes: []\n", Map.of()).smtp()).isNull();
    Settings tls = load("""
        smtp: {host: mail.internal, starttls: tls, from: alertdesk@example.com}
        """, Map.of());
    assertThat(tls.smtp().port()).isEqualTo(465);
    assertThat(tls.smtp().username()).isNull();
    Settings none = load("""
        smtp: {host: localhost, starttls: none, from: alertdesk@example.com}
        routes:
          - matchers: []
            email: {to: [a@example.com]}
        """, Map.of());
    assertThat(none.smtp().port()).isEqualTo(25);
    assertThat(none.noiseRules().routes().get(0).email().on()).as("no reminders: no escalation")
        .containsExactlyInAnyOrder(EmailRoute.On.OPENED, EmailRoute.On.RESOLVED);
  }

  @Test
  void everyProblemIsNamedWithItsLineAndNeverQuotesThePassword() {
    ConfigException e = problems("""
        smtp:
          host: smtp.example.com
          starttls: sometimes
          port: 99999
          username: alertdesk
          password: ${SMTP_PASSWORD}
          from: not an address
          colour: blue
        routes:
          - matchers: []
            email:
              to: [oncall@example.com, "bad address"]
              on: [opened, paged]
              cc: [x@example.com]
        """, Map.of("SMTP_PASSWORD", PASSWORD));

    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
        .contains("alertdesk.yml line 3: smtp.starttls: must be required, tls or none"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
        .contains("line 4: smtp.port: must be a port between 1 and 65535"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
        .contains("line 7: smtp.from: \"not an address\" is not an e-mail address"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
        .contains("line 8: smtp.colour: unknown key"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
        .contains("line 14: routes[0].email.cc: unknown key"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
        .contains("routes[0].email.to[1]: \"bad address\" is not an e-mail address"));
    assertThat(String.join("\n", e.problems())).doesNotContain(PASSWORD);
  }

  @Test
  void emailNeedsTheSmtpSectionAndTheEscalationNeedsReminders() {
    ConfigException noSmtp = problems("""
        routes:
          - matchers: []
            email: {to: [oncall@example.com]}
        """, Map.of());
    assertThat(noSmtp.problems()).anySatisfy(p -> assertThat(p)
        .contains("line 3: routes[0].email: needs the smtp section"));

    ConfigException noReminders = problems("""
        smtp: {host: h, from: a@example.com}
        routes:
          - matchers: []
            email: {to: [oncall@example.com], on: [unacknowledged]}
        """, Map.of());
    assertThat(noReminders.problems()).anySatisfy(p -> assertThat(p)
        .contains("routes[0].email.on: unacknowledged needs reminders.unacknowledged_after"));
  }

  @Test
  void anUnsetPasswordVariableAndAnUnencryptedPasswordAreErrors() {
    ConfigException unset = problems(EXAMPLE, Map.of());
    assertThat(unset.problems()).anySatisfy(p -> assertThat(p)
        .contains("line 6: ${SMTP_PASSWORD} is not set in the environment"));

    ConfigException plain = problems("""
        smtp: {host: h, starttls: none, username: u, password: "${SMTP_PASSWORD}",
               from: a@example.com}
        """, Map.of("SMTP_PASSWORD", PASSWORD));
    assertThat(plain.problems()).anySatisfy(p -> assertThat(p)
        .contains("smtp.password: refusing to send the password unencrypted"));
    assertThat(String.join("\n", plain.problems())).doesNotContain(PASSWORD);

    ConfigException half = problems("""
        smtp: {host: h, username: u, from: a@example.com}
        """, Map.of());
    assertThat(half.problems()).anySatisfy(p -> assertThat(p)
        .contains("smtp: username and password go together"));
  }
}
