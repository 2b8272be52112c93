package dev.alertdesk.email;

import dev.alertdesk.delivery.DeliveryResult;
import jakarta.activation.DataHandler;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;

/**
 * Sends composed mails over SMTP with Jakarta Mail (Eclipse Angus Mail): one connection per
 * mail, STARTTLS required, TLS from the start or plain as configured ({@link SmtpSettings}),
 * SMTP AUTH when a user is set, the server's certificate and host name checked. Classifies how a
 * send ended for the retrying worker (RFC 5321 section 4.2.1): a 2xx is delivered; a 4xx reply
 * and connection errors are transient ({@link DeliveryResult#retry}); a 5xx reply is permanent
 * ({@link DeliveryResult#failed}). When some recipients are refused and others accepted the
 * mail counts as delivered (it was sent; sending again would duplicate it for the others).
 *
 * <p>No error it returns contains the password, nor its Base64 forms that SMTP AUTH sends.
 * Thread-safe.
 */
public final class SmtpMailer {
  /** A reply code at the start of an SMTP reply, or after "response: " in Angus's messages. */
  private static final Pattern REPLY = Pattern.compile(
      "(?:^|response: |\\n)\\s*([2-5]\\d\\d)[ -]");
  private static final int MAX_ERROR = 300;

  private final SmtpSettings settings;
  private final Session session;
  private final List<String> secrets;

  /**
   * @param settings the {@code smtp} section
   * @throws IllegalArgumentException when {@code ca_file} cannot be read as PEM certificates
   */
  public SmtpMailer(SmtpSettings settings) {
    this.settings = settings;
    this.session = Session.getInstance(properties(settings));
    List<String> s = new ArrayList<>();
    String password = settings.password();
    if (password != null) {
      s.add(password);
      Base64.Encoder b64 = Base64.getEncoder();
      s.add(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)));
      String user = settings.username() == null ? "" : settings.username();
      s.add(b64.encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8)));
    }
    this.secrets = List.copyOf(s);
  }

  private static Properties properties(SmtpSettings s) {
    Properties p = new Properties();
    String timeout = String.valueOf(s.timeout().toMillis());
    p.put("mail.transport.protocol", "smtp");
    p.put("mail.smtp.host", s.host());
    p.put("mail.smtp.port", String.valueOf(s.port()));
    p.put("mail.smtp.connectiontimeout", timeout);
    p.put("mail.smtp.timeout", timeout);
    p.put("mail.smtp.writetimeout", timeout);
    p.put("mail.smtp.auth", String.valueOf(s.username() != null));
    // Send to the recipients the server accepts and report the others (see the class comment).
    p.put("mail.smtp.sendpartial", "true");
    switch (s.security()) {
      case REQUIRED -> {
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
      }
      case TLS -> p.put("mail.smtp.ssl.enable", "true");
      case NONE -> { }
    }
    if (s.security() != SmtpSettings.Security.NONE) {
      p.put("mail.smtp.ssl.checkserveridentity", "true");
      p.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
      if (s.caFile() != null) {
        p.put("mail.smtp.ssl.socketFactory", trusting(s).getSocketFactory());
      }
    }
    return p;
  }

  /** An SSL context that trusts the certificates of {@code ca_file} only. */
  private static SSLContext trusting(SmtpSettings s) {
    try (InputStream in = Files.newInputStream(s.caFile())) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("smtp.ca_file holds no certificate: " + s.caFile());
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(
          TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("smtp.ca_file cannot be read: " + e.getMessage(), e);
    }
  }

  /** Returns what {@code /api/status} shows: the server, security, user and sender, no secret. */
  public Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("host", settings.host());
    d.put("port", settings.port());
    d.put("starttls", settings.security().wire());
    d.put("auth", settings.username() != null);
    if (settings.username() != null) {
      d.put("username", settings.username());
    }
    d.put("from", settings.from());
    return d;
  }

  /** Returns the sender's address, e.g. {@code alertdesk@example.com}. */
  public String fromAddress() {
    try {
      return new InternetAddress(settings.from(), true).getAddress();
    } catch (AddressException e) {
      throw new IllegalStateException("smtp.from was validated", e);
    }
  }

  /**
   * Builds the MIME message: {@code multipart/alternative} of the text part and the HTML part,
   * the HTML inside {@code multipart/related} with the inline graph when there is one.
   *
   * @param mail the composed mail
   * @param to the recipients
   * @param date the {@code Date} header
   * @throws MessagingException when the message cannot be built (a bad address)
   */
  public MimeMessage toMime(ComposedMail mail, List<InternetAddress> to, Instant date)
      throws MessagingException {
    MimeMessage m = new MimeMessage(session) {
      @Override
      protected void updateMessageID() throws MessagingException {
        // Stable per outbox job (EmailComposer): a mail sent again is the same mail.
        setHeader("Message-ID", mail.messageId());
      }
    };
    m.setFrom(new InternetAddress(settings.from(), true));
    m.setRecipients(Message.RecipientType.TO, to.toArray(new Address[0]));
    m.setSubject(mail.subject(), "UTF-8");
    m.setSentDate(Date.from(date));
    if (mail.inReplyTo() != null) {
      m.setHeader("In-Reply-To", mail.inReplyTo());
    }
    if (!mail.references().isEmpty()) {
      m.setHeader("References", String.join(" ", mail.references()));
    }
    m.setHeader("Auto-Submitted", "auto-generated");
    m.setHeader("X-Auto-Response-Suppress", "All");

    MimeBodyPart text = new MimeBodyPart();
    text.setText(mail.text(), "UTF-8", "plain");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(mail.html(), "UTF-8", "html");
    MimeMultipart alternative = new MimeMultipart("alternative");
    alternative.addBodyPart(text);
    if (mail.image() == null) {
      alternative.addBodyPart(html);
    } else {
      MimeMultipart related = new MimeMultipart("related");
      related.addBodyPart(html);
      MimeBodyPart image = new MimeBodyPart();
      image.setDataHandler(new DataHandler(new ByteArrayDataSource(mail.image().png(),
          "image/png")));
      image.setContentID("<" + mail.image().contentId() + ">");
      image.setDisposition(Part.INLINE);
      image.setFileName(mail.image().fileName());
      related.addBodyPart(image);
      MimeBodyPart relatedPart = new MimeBodyPart();
      relatedPart.setContent(related);
      alternative.addBodyPart(relatedPart);
    }
    m.setContent(alternative);
    m.saveChanges();
    return m;
  }

  /**
   * Sends one message over a new connection and classifies how it ended. Never throws.
   *
   * @param message built by {@link #toMime}
   * @return delivered (its error names refused recipients, if any), retry or failed
   */
  public DeliveryResult send(MimeMessage message) {
    try (Transport transport = session.getTransport()) {
      transport.connect(settings.host(), settings.port(), settings.username(),
          settings.password());
      transport.sendMessage(message, message.getAllRecipients());
      return DeliveryResult.delivered(null);
    } catch (SendFailedException e) {
      Address[] sent = e.getValidSentAddresses();
      if (sent != null && sent.length > 0) {
        return new DeliveryResult(dev.alertdesk.delivery.DeliveryOutcome.DELIVERED, null,
            "refused: " + clean(describe(e)), null);
      }
      return classify(e);
    } catch (MessagingException e) {
      return classify(e);
    } catch (RuntimeException e) {
      return DeliveryResult.retry("SMTP client error: " + e.getClass().getSimpleName());
    }
  }

  /** A 4xx or no reply at all is transient; a 5xx is permanent. */
  private DeliveryResult classify(MessagingException e) {
    int code = replyCode(e);
    String error = clean(describe(e));
    if (code >= 500) {
      return DeliveryResult.failed("SMTP " + code + ": " + error);
    }
    if (code >= 400) {
      return DeliveryResult.retry("SMTP " + code + ": " + error);
    }
    return DeliveryResult.retry(error);
  }

  /** The SMTP reply code the exception chain carries, or 0 when none (a connection error). */
  static int replyCode(Exception e) {
    int code = 0;
    Throwable t = e;
    for (int depth = 0; t != null && depth < 10; depth++) {
      int c = 0;
      if (t instanceof SMTPAddressFailedException a) {
        c = a.getReturnCode();
      } else if (t instanceof SMTPSenderFailedException s) {
        c = s.getReturnCode();
      } else if (t instanceof SMTPSendFailedException s) {
        c = s.getReturnCode();
      } else if (t instanceof MessagingException || t instanceof AuthenticationFailedException) {
        String msg = t.getMessage();
        Matcher m = REPLY.matcher(msg == null ? "" : msg);
        if (m.find()) {
          c = Integer.parseInt(m.group(1));
        }
      }
      if (c >= 400) {
        // A transient reply anywhere wins: some recipient may succeed later.
        if (c < 500) {
          return c;
        }
        code = Math.max(code, c);
      }
      t = t instanceof MessagingException me && me.getNextException() != null
          ? me.getNextException() : t.getCause();
    }
    return code;
  }

  private static String describe(MessagingException e) {
    StringBuilder out = new StringBuilder();
    Throwable t = e;
    for (int depth = 0; t != null && depth < 5; depth++) {
      String msg = t.getMessage();
      if (msg != null && !msg.isBlank() && out.indexOf(msg.strip()) < 0) {
        out.append(out.length() == 0 ? "" : "; ").append(msg.strip());
      } else if (msg == null) {
        out.append(out.length() == 0 ? "" : "; ").append(t.getClass().getSimpleName());
      }
      t = t instanceof MessagingException me && me.getNextException() != null
          ? me.getNextException() : t.getCause();
    }
    return out.toString();
  }

  /** Removes the password (and its SMTP AUTH forms) and line breaks; clips. */
  String clean(String error) {
    String s = error;
    for (String secret : secrets) {
      if (!secret.isEmpty()) {
        s = s.replace(secret, "****");
      }
    }
    s = s.replaceAll("[\\r\\n\\t]+", " ").strip();
    return s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR) + "…";
  }
}
