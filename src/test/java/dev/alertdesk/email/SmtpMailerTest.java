package dev.alertdesk.email;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

/** How SMTP failures are classified, and that errors never carry the password. */
class SmtpMailerTest {
  private static final String PASSWORD = "hunter2-Smtp!";

  @Test
  void theReplyCodeComesFromTheServersReplyNeverFromAPortNumber() throws Exception {
    assertThat(SmtpMailer.replyCode(new MessagingException("Could not connect to SMTP host: "
        + "mail.example.com, port: 587", new ConnectException("Connection refused"))))
        .as("a connection error has no reply").isZero();
    assertThat(SmtpMailer.replyCode(new MessagingException("Got bad greeting from SMTP host: "
        + "mail.example.com, port: 465, response: 421 4.3.2 Service not available")))
        .isEqualTo(421);
    SendFailedException rcpt = new SendFailedException("Invalid Addresses", null, null,
        null, new InternetAddress[] {new InternetAddress("x@example.com")});
    rcpt.setNextException(new SMTPAddressFailedException(new InternetAddress("x@example.com"),
        "RCPT TO:<x@example.com>", 550, "550 5.1.1 user unknown"));
    assertThat(SmtpMailer.replyCode(rcpt)).isEqualTo(550);
    assertThat(SmtpMailer.replyCode(new SMTPSendFailedException("DATA", 452,
        "452 4.3.1 Insufficient system storage", null, null, null, null))).isEqualTo(452);
    assertThat(SmtpMailer.replyCode(new MessagingException("535 5.7.8 Authentication failed")))
        .isEqualTo(535);
  }

  @Test
  void errorsAreCleanedOfThePasswordAndItsAuthForms() {
    SmtpMailer mailer = new SmtpMailer(new SmtpSettings("127.0.0.1", 587,
        SmtpSettings.Security.REQUIRED, "alertdesk", PASSWORD, "alertdesk@example.com", null,
        Duration.ofSeconds(5)));
    Base64.Encoder b64 = Base64.getEncoder();
    String plain = b64.encodeToString(("\0alertdesk\0" + PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    String login = b64.encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
    String cleaned = mailer.clean("535 for AUTH PLAIN " + plain + " / " + login + " / "
        + PASSWORD + "\r\nInjected: header");
    assertThat(cleaned).doesNotContain(PASSWORD, plain, login, "\r", "\n")
        .isEqualTo("535 for AUTH PLAIN **** / **** / **** Injected: header");
    assertThat(mailer.describe()).doesNotContainValue(PASSWORD).containsEntry("auth", true)
        .containsEntry("starttls", "required");
  }
}
