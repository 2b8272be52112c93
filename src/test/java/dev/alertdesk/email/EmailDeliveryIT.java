package dev.alertdesk.email;

import static dev.alertdesk.testing.StoreFixture.START;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.alertdesk.alert.Matcher;
import dev.alertdesk.alert.Matchers;
import dev.alertdesk.config.GraphSettings;
import dev.alertdesk.delivery.DeliveryOutcome;
import dev.alertdesk.delivery.TargetWorker;
import dev.alertdesk.enrich.EnrichmentJob;
import dev.alertdesk.enrich.IncidentCharts;
import dev.alertdesk.enrich.PrometheusClient;
import dev.alertdesk.enrich.PrometheusDatasources;
import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.graph.ChartRenderer;
import dev.alertdesk.graph.StoredChart;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.ingest.IngestPipeline;
import dev.alertdesk.ingest.IngestPipelineFactory;
import dev.alertdesk.ingest.NotificationIngestor;
import dev.alertdesk.noise.EmailRoute;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.noise.Route;
import dev.alertdesk.status.SectionStatus;
import dev.alertdesk.status.StatusSection;
import dev.alertdesk.store.JdbiChartRepository;
import dev.alertdesk.store.JdbiEnrichmentJobs;
import dev.alertdesk.store.JdbiIncidentResponseState;
import dev.alertdesk.store.JdbiIngestStore;
import dev.alertdesk.store.JdbiMessageState;
import dev.alertdesk.store.JdbiNoiseStore;
import dev.alertdesk.store.JdbiOutbox;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.SmtpFront;
import dev.alertdesk.testing.StoreFixture;
import dev.alertdesk.testing.TestDatabases;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * E-mail delivery end to end below HTTP: the real ingest pipeline with a route that mails, noise
 * control's reminder tick, the outbox on SQLite, the e-mail worker, Jakarta Mail talking
 * STARTTLS and AUTH to a real SMTP server (GreenMail behind {@link SmtpFront}, which adds
 * STARTTLS and the faults), and the received MIME read back.
 */
class EmailDeliveryIT {
  private static final String PASSWORD = "pw-Xq7!smtp-secret-93";
  private static final String FROM = "Alertdesk <alertdesk@example.com>";
  private static final String TO = "oncall@example.com";

  @TempDir Path dir;
  private GreenMail greenMail;
  private SmtpFront front;
  private StoreFixture store;
  private IngestPipeline pipeline;
  private NotificationIngestor ingestor;
  private TargetWorker worker;
  private JdbiOutbox outbox;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(
      PrometheusConfig.DEFAULT);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger root;
  private Level rootLevel;

  void start(NoiseRules rules, String password) throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs.setContext(context);
    logs.start();
    root.addAppender(logs);

    greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    greenMail.start();
    greenMail.setUser("alertdesk@example.com", "alertdesk", PASSWORD);
    front = new SmtpFront(greenMail.getSmtp().getPort(), dir);
    store = new StoreFixture(TestDatabases.sqlite(dir), false);
    pipeline = new IngestPipelineFactory(store.clock(), store.engine(), "#alerts", false, rules)
        .withTargets(List.of(new EmailPlanner()))
        .pipeline(new JdbiIngestStore(store.database(), false),
            new JdbiIncidentResponseState(store.database(), store.clock()));
    ingestor = new NotificationIngestor(pipeline, store.clock(), metrics);
    outbox = new JdbiOutbox(store.database());
    SmtpSettings smtp = new SmtpSettings("127.0.0.1", front.port(),
        SmtpSettings.Security.REQUIRED, "alertdesk", password, FROM, front.caFile(),
        Duration.ofSeconds(10));
    SmtpMailer mailer = new SmtpMailer(smtp);
    JdbiChartRepository charts = new JdbiChartRepository(store.database(), dir.resolve("charts"),
        store.clock());
    JdbiEnrichmentJobs jobs = new JdbiEnrichmentJobs(store.database());
    IncidentCharts incidentCharts = new IncidentCharts(
        id -> store.repository().find(id).map(IncidentRepository.IncidentDetail::incident),
        new PrometheusDatasources(new PrometheusClient("http://127.0.0.1:1",
            Duration.ofSeconds(1), store.clock(), metrics), List.of(), store.clock(), metrics),
        new ChartRenderer(), charts, jobs, GraphSettings.defaults(), store.clock(), metrics);
    this.charts = charts;
    this.jobs = jobs;
    worker = new TargetWorker(outbox, new EmailSender(mailer,
        new EmailComposer(mailer.fromAddress(), "https://alertdesk.example.com"),
        store.repository(), new JdbiMessageState(store.database(), store.clock()),
        incidentCharts, "https://alertdesk.example.com", store.clock()),
        store.clock(), metrics, Duration.ofSeconds(1));
  }

  private JdbiChartRepository charts;
  private JdbiEnrichmentJobs jobs;

  @AfterEach
  void stop() throws Exception {
    if (root != null) {
      root.detachAppender(logs);
      logs.stop();
      root.setLevel(rootLevel);
    }
    if (worker != null) {
      worker.close();
    }
    if (store != null) {
      store.close();
    }
    if (front != null) {
      front.close();
    }
    if (greenMail != null) {
      greenMail.stop();
    }
  }

  private static NoiseRules mailing(Set<EmailRoute.On> on, Duration remindAfter) {
    Route route = new Route(new Matchers(List.of(Matcher.parse("severity=\"critical\""))),
        null, null, true, false, new EmailRoute(List.of(TO), on));
    return new NoiseRules(List.of(route), Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 0,
        List.of(), remindAfter);
  }

  private static final NoiseRules ALL = mailing(Set.of(EmailRoute.On.values()),
      Duration.ofMinutes(10));

  private long ingest(AlertmanagerPayload payload) {
    return ingestor.ingest(payload.bytes(), Map.of("Content-Type", "application/json"))
        .incidentId();
  }

  private int deliverAll() {
    int sent = 0;
    for (int pass = 0; pass < 10; pass++) {
      int n = worker.runOnce();
      if (n == 0) {
        return sent;
      }
      sent += n;
    }
    return sent;
  }

  /** Stores a chart for the incident's firing graph, as the enrichment worker would. */
  private void storeFiringChart(long incidentId) throws Exception {
    BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    StoredChart chart = charts.save(incidentId, ChartKind.FIRING, null, "http_latency_p99",
        png.toByteArray());
    EnrichmentJob job = jobs.findOrCreate(incidentId, ChartKind.FIRING, 0, store.clock().instant());
    jobs.done(job.id(), chart.id(), "http_latency_p99", "Current value: *0.87* (threshold 0.5)",
        store.clock().instant());
    this.png = png.toByteArray();
  }

  private byte[] png;

  private List<MimeMessage> received() {
    return List.of(greenMail.getReceivedMessages());
  }

  @Test
  void openedEscalationAndResolvedFormOneThreadWithTheGraphInline() throws Exception {
    start(ALL, PASSWORD);
    long id = ingest(AlertmanagerPayload.group("team-a", "HighLatency")
        .generatorUrl("https://prometheus.example.com/graph?g0.expr=up")
        .firing("api-1", START));
    storeFiringChart(id);
    assertThat(deliverAll()).isEqualTo(1);

    store.clock().advance(Duration.ofMinutes(10));
    pipeline.gate().tick(new JdbiNoiseStore(store.database(), false, store.clock()),
        store.clock().instant());
    assertThat(deliverAll()).as("the escalation").isEqualTo(1);
    store.clock().advance(Duration.ofMinutes(10));
    pipeline.gate().tick(new JdbiNoiseStore(store.database(), false, store.clock()),
        store.clock().instant());
    assertThat(deliverAll()).as("one escalation only, not one per reminder").isZero();

    store.clock().advance(Duration.ofMinutes(5));
    ingest(AlertmanagerPayload.group("team-a", "HighLatency")
        .resolved("api-1", START, store.clock().instant()));
    assertThat(deliverAll()).isEqualTo(1);

    List<MimeMessage> mails = received();
    assertThat(mails).hasSize(3);
    assertThat(front.tlsConnections()).as("every mail went over STARTTLS").hasSize(3)
        .allMatch(p -> p.startsWith("TLSv1."));
    MimeMessage opened = mails.get(0);
    MimeMessage escalation = mails.get(1);
    MimeMessage resolved = mails.get(2);

    String thread = header(opened, "Message-ID");
    assertThat(thread).matches("<incident-" + id + "\\.[0-9a-f]{10}@example\\.com>");
    assertThat(opened.getHeader("In-Reply-To")).isNull();
    for (MimeMessage reply : List.of(escalation, resolved)) {
      assertThat(header(reply, "In-Reply-To")).isEqualTo(thread);
      assertThat(header(reply, "References")).isEqualTo(thread);
      assertThat(header(reply, "Message-ID")).isNotEqualTo(thread).endsWith("@example.com>");
    }
    assertThat(header(escalation, "Message-ID")).isNotEqualTo(header(resolved, "Message-ID"));
    String subject = "Incident #" + id + ": HighLatency (critical)";
    assertThat(opened.getSubject()).isEqualTo("[FIRING] " + subject);
    assertThat(escalation.getSubject()).isEqualTo("[FIRING] " + subject);
    assertThat(resolved.getSubject()).isEqualTo("[RESOLVED] " + subject);
    assertThat(opened.getFrom()[0].toString()).isEqualTo(FROM);
    assertThat(opened.getAllRecipients()[0].toString()).isEqualTo(TO);

    // multipart/alternative: text, then multipart/related of the HTML and the inline PNG.
    assertThat(opened.getContentType()).startsWith("multipart/alternative");
    Multipart alternative = (Multipart) opened.getContent();
    assertThat(alternative.getCount()).isEqualTo(2);
    BodyPart text = alternative.getBodyPart(0);
    assertThat(text.getContentType()).startsWith("text/plain").contains("UTF-8");
    String plain = (String) text.getContent();
    assertThat(plain).contains("Opened: incident #" + id + " HighLatency",
        "Summary: Latency of api-1 is high", "Current value: 0.87 (threshold 0.5)",
        "alertname=HighLatency", "severity=critical",
        "Incident page: https://alertdesk.example.com/incidents/" + id,
        "Source: https://prometheus.example.com/graph?g0.expr=up");
    BodyPart relatedPart = alternative.getBodyPart(1);
    assertThat(relatedPart.getContentType()).startsWith("multipart/related");
    Multipart related = (Multipart) relatedPart.getContent();
    assertThat(related.getCount()).isEqualTo(2);
    String html = (String) related.getBodyPart(0).getContent();
    assertThat(related.getBodyPart(0).getContentType()).startsWith("text/html");
    BodyPart image = related.getBodyPart(1);
    assertThat(image.getContentType()).startsWith("image/png");
    assertThat(image.getDisposition()).isEqualTo(Part.INLINE);
    String cid = image.getHeader("Content-ID")[0];
    assertThat(cid).startsWith("<").endsWith(">");
    assertThat(html).contains("src=\"cid:" + cid.substring(1, cid.length() - 1) + "\"");
    try (InputStream in = image.getInputStream()) {
      assertThat(in.readAllBytes()).isEqualTo(png);
    }
    assertThat(html).doesNotContainPattern("src=\"https?:");

    String escalated = (String) ((Multipart) escalation.getContent()).getBodyPart(0).getContent();
    assertThat(escalated).contains("Escalation: critical incident #" + id
        + " HighLatency is still unacknowledged after 10m", "Acknowledged: no");
    String done = (String) ((Multipart) resolved.getContent()).getBodyPart(0).getContent();
    assertThat(done).contains("Resolved: incident #" + id + " HighLatency after 25m");

    assertThat(outbox.depth(dev.alertdesk.incident.DeliveryTarget.EMAIL).pending()).isZero();
    assertThat(store.repository().find(id).orElseThrow().events())
        .filteredOn(e -> e.kind().equals("delivered")).hasSize(3);
    assertThat(metrics.counter("alertdesk_deliveries", "target", "email", "outcome",
        "delivered").count()).isEqualTo(3.0);
    SectionStatus status = StatusSection.deliveryTarget(worker, store.clock()).check();
    assertThat(status.level()).isEqualTo(SectionStatus.Level.OK);
    assertThat(status.details()).containsEntry("host", "127.0.0.1")
        .containsEntry("starttls", "required").containsEntry("last_outcome", "delivered");
  }

  @Test
  void hostileLabelsAreEscapedInHtmlAndNeverInjectHeadersOrLinks() throws Exception {
    start(ALL, PASSWORD);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", "Evil\r\nBcc: victim@example.org");
    labels.put("severity", "critical");
    labels.put("instance", "<script>alert(1)</script>");
    labels.put("note", "\"><img src=\"http://evil.example/x.png\">");
    long id = ingest(AlertmanagerPayload.group("team-a", "Evil\r\nBcc: victim@example.org")
        .annotation("runbook_url", "javascript:alert(document.cookie)")
        .annotation("description", "<b onmouseover=alert(2)>bold</b> & more")
        .externalUrl("data:text/html,<script>alert(3)</script>")
        .alert("firing", labels, START, null));
    assertThat(deliverAll()).isEqualTo(1);

    MimeMessage mail = received().get(0);
    assertThat(mail.getSubject()).doesNotContain("\r", "\n")
        .startsWith("[FIRING] Incident #" + id + ": Evil  Bcc: victim@example.org");
    assertThat(mail.getHeader("Bcc")).isNull();
    assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly(TO);
    Multipart alternative = (Multipart) mail.getContent();
    Object second = alternative.getBodyPart(1).getContent();
    String html = second instanceof Multipart m ? (String) m.getBodyPart(0).getContent()
        : (String) second;
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;",
        "&quot;&gt;&lt;img src=&quot;http://evil.example/x.png&quot;&gt;",
        "&lt;b onmouseover=alert(2)&gt;bold&lt;/b&gt; &amp; more");
    assertThat(html).doesNotContain("<script", "<img src=\"http", "javascript:", "data:text",
        "<b onmouseover");
    String plain = (String) alternative.getBodyPart(0).getContent();
    assertThat(plain).contains("instance=<script>alert(1)</script>")
        .doesNotContain("Runbook:", "Alertmanager:");
  }

  @Test
  void aServerAnswering421IsRetriedWithBackoffAndExactlyOneMailArrives() throws Exception {
    start(ALL, PASSWORD);
    long id = ingest(AlertmanagerPayload.group("team-a", "HighLatency").firing("api-1", START));
    front.fail(SmtpFront.Fault.GREETING_421);

    assertThat(worker.runOnce()).isEqualTo(1);
    Map<String, Object> row = store.rows("SELECT * FROM outbox WHERE target = 'email'").get(0);
    assertThat(row.get("status")).isEqualTo("pending");
    assertThat(StoreFixture.num(row.get("attempts"))).isEqualTo(1);
    assertThat((String) row.get("last_error")).startsWith("SMTP 421: ");
    assertThat(worker.health().outcome()).isEqualTo(DeliveryOutcome.RETRY);
    assertThat(StatusSection.deliveryTarget(worker, store.clock()).check().level())
        .isEqualTo(SectionStatus.Level.WARNING);
    assertThat(worker.runOnce()).as("waits out its backoff").isZero();
    assertThat(received()).isEmpty();

    store.clock().advance(Duration.ofSeconds(5));
    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(deliverAll()).isZero();
    assertThat(received()).hasSize(1);
    assertThat(front.connections()).isEqualTo(2);
    assertThat(store.rows("SELECT status FROM outbox WHERE target = 'email'"))
        .extracting(r -> r.get("status")).containsExactly("delivered");
    assertThat(metrics.counter("alertdesk_deliveries", "target", "email", "outcome", "retry")
        .count()).isEqualTo(1.0);
    assertThat(id).isPositive();
  }

  @Test
  void aServerAnswering550FailsTheMailForGoodVisibly() throws Exception {
    start(ALL, PASSWORD);
    long id = ingest(AlertmanagerPayload.group("team-a", "HighLatency").firing("api-1", START));
    front.fail(SmtpFront.Fault.RCPT_550);

    assertThat(worker.runOnce()).isEqualTo(1);
    Map<String, Object> row = store.rows("SELECT * FROM outbox WHERE target = 'email'").get(0);
    assertThat(row.get("status")).isEqualTo("failed");
    assertThat((String) row.get("last_error")).startsWith("SMTP 550: ")
        .contains("Recipient address rejected");
    assertThat(store.repository().find(id).orElseThrow().events())
        .filteredOn(e -> e.kind().equals("delivery_failed")).singleElement()
        .satisfies(e -> assertThat(e.details()).containsEntry("target", "email")
            .containsEntry("to", TO));
    SectionStatus status = StatusSection.deliveryTarget(worker, store.clock()).check();
    assertThat(status.level()).isEqualTo(SectionStatus.Level.ERROR);
    assertThat(status.summary()).contains("failed for good", "SMTP 550");
    assertThat(metrics.scrape()).contains(
        "alertdesk_deliveries_total{outcome=\"failed\",target=\"email\"} 1.0");
    store.clock().advance(Duration.ofHours(2));
    assertThat(worker.runOnce()).as("never retried").isZero();
    assertThat(received()).isEmpty();
  }

  @Test
  void theSmtpPasswordNeverAppearsInErrorsLogsStatusOrMetrics() throws Exception {
    start(ALL, PASSWORD);
    ingest(AlertmanagerPayload.group("team-a", "HighLatency").firing("api-1", START));
    // A hostile server quotes the AUTH line (the password in Base64) in its error.
    front.fail(SmtpFront.Fault.AUTH_ECHO_535);
    worker.runOnce();
    String echoed = (String) store.rows("SELECT last_error FROM outbox WHERE target = 'email'")
        .get(0).get("last_error");
    assertThat(echoed).startsWith("SMTP 535: ").contains("****");

    // And the real server refuses a wrong password.
    stop();
    logs.list.clear();
    start(ALL, "wrong-" + PASSWORD);
    ingest(AlertmanagerPayload.group("team-a", "HighLatency").firing("api-1", START));
    worker.runOnce();
    String refused = (String) store.rows("SELECT last_error FROM outbox WHERE target = 'email'")
        .get(0).get("last_error");
    assertThat(refused).startsWith("SMTP 535");

    List<String> evidence = new ArrayList<>();
    evidence.add(echoed);
    evidence.add(refused);
    evidence.add(metrics.scrape());
    evidence.add(StatusSection.deliveryTarget(worker, store.clock()).check().toString());
    evidence.add(new SmtpSettings("h", 587, SmtpSettings.Security.REQUIRED, "u", PASSWORD, FROM,
        null, Duration.ofSeconds(1)).toString());
    store.rows("SELECT * FROM incident_event").forEach(r -> evidence.add(r.toString()));
    store.rows("SELECT * FROM outbox").forEach(r -> evidence.add(r.toString()));
    logs.list.forEach(e -> {
      evidence.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        evidence.add(e.getThrowableProxy().getMessage());
      }
    });
    String base64 = java.util.Base64.getEncoder().encodeToString(
        ("\0alertdesk\0" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String base64Wrong = java.util.Base64.getEncoder().encodeToString(
        ("\0alertdesk\0wrong-" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(evidence).isNotEmpty().noneMatch(s -> s.contains(PASSWORD)
        || s.contains(base64) || s.contains(base64Wrong));
  }

  @Test
  void aStormSendsOneMailNotOnePerIncident() throws Exception {
    Route route = new Route(new Matchers(List.of(Matcher.parse("severity=\"critical\""))),
        null, null, true, false, new EmailRoute(List.of(TO), Set.of(EmailRoute.On.values())));
    start(new NoiseRules(List.of(route), Duration.ZERO, Duration.ZERO, 0, Duration.ofMinutes(5),
        2, List.of(), Duration.ofMinutes(10)), PASSWORD);
    for (int i = 0; i < 6; i++) {
      ingest(AlertmanagerPayload.group("team-a", "Disk" + i).firing("db-" + i, START));
    }
    deliverAll();
    List<MimeMessage> mails = received();
    List<String> subjects = new ArrayList<>();
    for (MimeMessage m : mails) {
      subjects.add(m.getSubject());
    }
    assertThat(subjects).filteredOn(s -> s.startsWith("[FIRING] Alert storm in #alerts"))
        .hasSize(1);
    assertThat(subjects).filteredOn(s -> s.startsWith("[FIRING] Incident #")).hasSize(2);
    assertThat(mails).hasSize(3);
    MimeMessage storm = mails.stream().filter(m -> {
      try {
        return m.getSubject().contains("storm");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).findFirst().orElseThrow();
    assertThat(header(storm, "Message-ID")).startsWith("<storm-");
    String text = (String) ((Multipart) storm.getContent()).getBodyPart(0).getContent();
    assertThat(text).contains("Disk2", "instead of one per incident");
  }

  private static String header(MimeMessage m, String name) throws Exception {
    String[] values = m.getHeader(name);
    assertThat(values).as(name).isNotNull().hasSize(1);
    return values[0];
  }
}
