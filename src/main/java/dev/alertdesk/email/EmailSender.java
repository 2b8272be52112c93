package dev.alertdesk.email;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alertdesk.delivery.DeliveryOutcome;
import dev.alertdesk.delivery.DeliveryResult;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.delivery.RetryPolicy;
import dev.alertdesk.delivery.TargetSender;
import dev.alertdesk.enrich.IncidentCharts;
import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.incident.DeliveryTarget;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentRepository;
import dev.alertdesk.incident.IncidentRepository.SlackMessageRef;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.MessageKind;
import dev.alertdesk.noise.StormState;
import dev.alertdesk.slack.MessageState;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The e-mail {@link TargetSender}: reads the incident's state when the mail is sent (the
 * incident, its response, its Slack thread, its stored graph and value line, a storm), has
 * {@link EmailComposer} compose it and {@link SmtpMailer} send it. Retries: 5 s doubling to
 * 10 min, 12 attempts (about an hour and a half).
 *
 * <p>The graph: the chart the enrichment worker stores for the incident (firing, or resolved for
 * the resolved mail). When it is still being rendered the mail waits for it, up to 2 minutes
 * after the mail was planned, then goes without it.
 *
 * <p>Delivered at least once: the outbox row is marked delivered right after the server accepted
 * the mail. A crash in between, or a connection lost after the server took the message but before
 * it answered, sends it again; the repeat has the same {@code Message-ID}, so mail clients and
 * many servers show it once.
 */
public final class EmailSender implements TargetSender {
  private static final Logger log = LoggerFactory.getLogger(EmailSender.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long a mail waits for a graph that is being rendered. */
  static final Duration GRAPH_WAIT = Duration.ofMinutes(2);
  private static final Duration GRAPH_RETRY = Duration.ofSeconds(5);
  /** The e-mail retry policy. */
  static final RetryPolicy POLICY = new RetryPolicy(12, Duration.ofSeconds(5),
      Duration.ofMinutes(10));

  private final SmtpMailer mailer;
  private final EmailComposer composer;
  private final IncidentRepository incidents;
  private final MessageState state;
  private final @Nullable IncidentCharts charts;
  private final @Nullable String baseUrl;
  private final Clock clock;

  /**
   * @param mailer sends over SMTP
   * @param composer composes each mail
   * @param incidents the incident and its Slack messages
   * @param state the incident's response and storms, as the Slack composer reads them
   * @param charts the stored graphs and value lines; null for none
   * @param baseUrl {@code BASE_URL} for the incident page link, or null
   * @param clock the source of "now"
   */
  public EmailSender(SmtpMailer mailer, EmailComposer composer, IncidentRepository incidents,
      MessageState state, @Nullable IncidentCharts charts, @Nullable String baseUrl,
      Clock clock) {
    this.mailer = mailer;
    this.composer = composer;
    this.incidents = incidents;
    this.state = state;
    this.charts = charts;
    this.baseUrl = baseUrl;
    this.clock = clock;
  }

  @Override
  public DeliveryTarget target() {
    return DeliveryTarget.EMAIL;
  }

  @Override
  public RetryPolicy retryPolicy() {
    return POLICY;
  }

  @Override
  public Map<String, Object> describe() {
    return mailer.describe();
  }

  @Override
  public DeliveryResult send(OutboxJob job) {
    List<InternetAddress> to;
    try {
      to = List.of(InternetAddress.parse(job.channel(), true));
    } catch (AddressException e) {
      return DeliveryResult.failed("bad recipient address in the outbox row: "
          + e.getMessage());
    }
    if (to.isEmpty()) {
      return DeliveryResult.failed("no recipient");
    }
    Instant now = clock.instant();
    MailFacts facts;
    try {
      facts = facts(job, now);
    } catch (GraphBusy busy) {
      return DeliveryResult.retryAfter(GRAPH_RETRY, "waiting for the graph being rendered");
    }
    ComposedMail mail = composer.compose(job, facts);
    if (mail == null) {
      log.info("mail not sent: its incident or storm is gone {}",
          kv("incident_id", job.incidentId()));
      return DeliveryResult.nothingToSend();
    }
    MimeMessage message;
    try {
      message = mailer.toMime(mail, to, now);
    } catch (MessagingException e) {
      return DeliveryResult.failed("the mail could not be built: "
          + mailer.clean(String.valueOf(e.getMessage())));
    }
    DeliveryResult result = mailer.send(message);
    if (result.outcome() != DeliveryOutcome.DELIVERED) {
      return result;
    }
    if (result.error() != null) {
      log.warn("mail sent, some recipients refused {} {}", kv("incident_id", job.incidentId()),
          kv("error", result.error()));
    }
    return DeliveryResult.delivered(sentJson(job, mail, result.error()));
  }

  /** Thrown inside {@link #facts} while the graph is still being rendered elsewhere. */
  private static final class GraphBusy extends RuntimeException {
    GraphBusy() {
      super(null, null, false, false);
    }
  }

  private MailFacts facts(OutboxJob job, Instant now) {
    MessageKind kind = job.intent().message();
    long incidentId = job.incidentId();
    Optional<IncidentRepository.IncidentDetail> detail = incidents.find(incidentId);
    Incident incident = detail.map(IncidentRepository.IncidentDetail::incident).orElse(null);
    List<SlackMessageRef> slack = detail.map(IncidentRepository.IncidentDetail::slackMessages)
        .orElse(List.of());
    MailFacts.Storm storm = null;
    IncidentResponse response;
    if (kind == MessageKind.STORM) {
      long stormId = job.intent().number("storm_id", -1);
      storm = state.read(r -> {
        StormState s = r.storm(stormId);
        return s == null ? null : new MailFacts.Storm(s, r.stormTally(stormId),
            r.stormMembers(stormId));
      });
      response = IncidentResponse.none(incidentId);
      String channel = storm == null ? null : storm.state().channel();
      SlackMessageRef parent = slack.stream().filter(m -> m.channel().equals(channel))
          .findFirst().orElse(null);
      return new MailFacts(incident, response, null, null, null, slackLink(parent),
          incidentUrl(incidentId), storm, now);
    }
    response = state.read(r -> r.response(incidentId, now));
    String valueLine = null;
    MailFacts.Graph graph = null;
    String note = null;
    if (incident != null && charts != null && kind != MessageKind.FLAPPING) {
      IncidentCharts.Graph g = charts.graph(incident, kind == MessageKind.RESOLVED
          ? ChartKind.RESOLVED : ChartKind.FIRING);
      if (g.busy()) {
        if (Duration.between(job.createdAt(), now).compareTo(GRAPH_WAIT) < 0) {
          throw new GraphBusy();
        }
        note = "the graph was still being rendered";
      } else if (g.png() != null) {
        graph = new MailFacts.Graph(g.png(), g.caption());
      } else {
        note = g.note();
      }
      valueLine = g.valueLine();
    }
    return new MailFacts(incident, response, valueLine, graph, note,
        slackLink(slack.isEmpty() ? null : slack.get(0)), incidentUrl(incidentId), null, now);
  }

  private @Nullable String incidentUrl(long incidentId) {
    return baseUrl == null ? null : baseUrl + "/incidents/" + incidentId;
  }

  /**
   * A link that opens the parent message, and so its thread, in the reader's Slack
   * (api.slack.com/reference/deep-linking: {@code app_redirect} with {@code message_ts}).
   */
  private static @Nullable String slackLink(@Nullable SlackMessageRef parent) {
    if (parent == null) {
      return null;
    }
    return "https://slack.com/app_redirect?channel="
        + URLEncoder.encode(parent.channelId(), StandardCharsets.UTF_8) + "&message_ts="
        + URLEncoder.encode(parent.ts(), StandardCharsets.UTF_8);
  }

  /** What the outbox row keeps and the message preview shows: who got which mail. */
  private static String sentJson(OutboxJob job, ComposedMail mail, @Nullable String refused) {
    Map<String, Object> sent = new LinkedHashMap<>();
    sent.put("text", "E-mail to " + job.channel() + ": " + mail.subject());
    sent.put("message_id", mail.messageId());
    if (mail.inReplyTo() != null) {
      sent.put("in_reply_to", mail.inReplyTo());
    }
    sent.put("graph", mail.image() != null);
    if (refused != null) {
      sent.put("refused", refused);
    }
    try {
      return JSON.writeValueAsString(sent);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings is always JSON", e);
    }
  }
}
