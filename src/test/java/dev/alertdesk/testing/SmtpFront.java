package dev.alertdesk.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A loopback SMTP front for tests: it answers the greeting and {@code EHLO} itself, offers and
 * performs {@code STARTTLS} (GreenMail 2.1's SMTP server has none) with a certificate for
 * 127.0.0.1 made by {@code keytool}, then relays the rest of the conversation line by line to a
 * real SMTP server behind it (GreenMail), so authentication and delivery are GreenMail's. Faults
 * can be queued per connection: a {@code 421} greeting, a {@code 550} to {@code RCPT TO}, or a
 * reply echoing what the client sent with {@code AUTH} (a hostile server).
 */
public final class SmtpFront implements AutoCloseable {
  /** What the next connection does. */
  public enum Fault {
    /** Greets with {@code 421 4.3.2} and closes. */
    GREETING_421,
    /** Answers {@code RCPT TO} with {@code 550 5.1.1}. */
    RCPT_550,
    /** Answers {@code AUTH} with a 535 that quotes the client's AUTH line. */
    AUTH_ECHO_535
  }

  private final ServerSocket server;
  private final int backendPort;
  private final SSLContext tls;
  private final Path caPem;
  private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> tlsConnections = Collections.synchronizedList(new ArrayList<>());
  private final Thread acceptor;
  private volatile boolean open = true;

  /**
   * Starts the front on a free loopback port.
   *
   * @param backendPort the plain SMTP port of the real server behind it
   * @param dir where the key store and the CA file are written
   */
  public SmtpFront(int backendPort, Path dir) throws Exception {
    this.backendPort = backendPort;
    Path own = Files.createTempDirectory(dir, "smtp-front");
    Path keystore = own.resolve("smtp-front.p12");
    this.caPem = own.resolve("smtp-front-ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
        "-keypass", "changeit");
    run(keytool, "-exportcert", "-rfc", "-alias", "smtp", "-keystore", keystore.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit", "-file", caPem.toString());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    this.tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "smtp-front");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + new String(out, StandardCharsets.UTF_8));
    }
  }

  /** Returns the port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /** Returns the PEM file of the certificate the front presents (for {@code smtp.ca_file}). */
  public Path caFile() {
    return caPem;
  }

  /** Queues a fault for the next connection that has none queued before it. */
  public void fail(Fault fault) {
    faults.add(fault);
  }

  /** Returns how many connections were accepted. */
  public int connections() {
    return connections.get();
  }

  /** Returns the TLS protocol of each connection that completed STARTTLS, in order. */
  public List<String> tlsConnections() {
    return List.copyOf(tlsConnections);
  }

  private void accept() {
    while (open) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        Fault fault = faults.poll();
        Thread t = new Thread(() -> serve(client, fault), "smtp-front-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (open) {
          continue;
        }
        return;
      }
    }
  }

  private void serve(Socket plain, Fault fault) {
    try (plain) {
      plain.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
      OutputStream out = plain.getOutputStream();
      if (fault == Fault.GREETING_421) {
        write(out, "421 4.3.2 Service not available, try again later");
        return;
      }
      BufferedReader in = reader(plain.getInputStream());
      write(out, "220 front.test ESMTP");
      // Before STARTTLS: EHLO is answered here, nothing else is allowed.
      while (true) {
        String line = in.readLine();
        if (line == null) {
          return;
        }
        String verb = line.length() < 4 ? line.toUpperCase() : line.substring(0, 4).toUpperCase();
        if (verb.equals("EHLO") || verb.equals("HELO")) {
          write(out, "250-front.test\r\n250 STARTTLS");
        } else if (line.equalsIgnoreCase("STARTTLS")) {
          write(out, "220 2.0.0 Ready to start TLS");
          break;
        } else if (verb.equals("QUIT")) {
          write(out, "221 bye");
          return;
        } else {
          write(out, "530 5.7.0 Must issue a STARTTLS command first");
        }
      }
      SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain,
          plain.getInetAddress().getHostAddress(), plain.getPort(), false);
      secure.setUseClientMode(false);
      secure.startHandshake();
      tlsConnections.add(secure.getSession().getProtocol());
      relay(secure, fault);
    } catch (IOException e) {
      // the client went away
    }
  }

  /** Relays the secured conversation to the server behind, line by line. */
  private void relay(SSLSocket client, Fault fault) throws IOException {
    try (client; Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
      BufferedReader fromClient = reader(client.getInputStream());
      OutputStream toClient = client.getOutputStream();
      BufferedReader fromServer = reader(backend.getInputStream());
      OutputStream toServer = backend.getOutputStream();
      readReply(fromServer); // the server's own greeting; the client saw ours
      while (true) {
        String line = fromClient.readLine();
        if (line == null) {
          return;
        }
        String upper = line.toUpperCase();
        if (fault == Fault.RCPT_550 && upper.startsWith("RCPT TO")) {
          write(toClient, "550 5.1.1 " + line.substring(8).strip()
              + ": Recipient address rejected: user unknown");
          continue;
        }
        if (fault == Fault.AUTH_ECHO_535 && upper.startsWith("AUTH")) {
          StringBuilder sent = new StringBuilder(line);
          if (upper.startsWith("AUTH LOGIN")) {
            // RFC 4954 LOGIN: ask for the user, then the password, each in Base64.
            write(toClient, "334 VXNlcm5hbWU6");
            sent.append(' ').append(fromClient.readLine());
            write(toClient, "334 UGFzc3dvcmQ6");
            sent.append(' ').append(fromClient.readLine());
          }
          write(toClient, "535 5.7.8 Authentication failed for: " + sent);
          continue;
        }
        write(toServer, line);
        String reply = readReply(fromServer);
        write(toClient, reply);
        if (upper.equals("DATA") && reply.startsWith("354")) {
          String data;
          while ((data = fromClient.readLine()) != null) {
            write(toServer, data);
            if (data.equals(".")) {
              break;
            }
          }
          write(toClient, readReply(fromServer));
        }
        if (upper.equals("QUIT")) {
          return;
        }
      }
    }
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
  }

  /** Reads one SMTP reply, all its lines ({@code 250-…} up to {@code 250 …}), without the last CRLF. */
  private static String readReply(BufferedReader in) throws IOException {
    StringBuilder reply = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      reply.append(reply.length() == 0 ? "" : "\r\n").append(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        break;
      }
    }
    return reply.toString();
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    open = false;
    server.close();
  }
}
