package dev.alertdesk.email;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.config.Durations;
import dev.alertdesk.config.Urls;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.IncidentStatus;
import dev.alertdesk.incident.MessageKind;
import dev.alertdesk.incident.SlackIntent;
import dev.alertdesk.noise.StormMember;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.unbescape.html.HtmlEscape;

/**
 * Composes one mail of an incident's thread from {@link MailFacts}, without I/O. Thread-safe.
 *
 * <p><b>One thread per incident.</b> The mail that starts the incident's conversation (the
 * opened mail; a storm's one mail) has the thread's {@code Message-ID},
 * {@code <incident-ID.KEY@DOMAIN>} ({@code <storm-ID.KEY@DOMAIN>} for a storm); every later mail
 * has {@code <mail-OUTBOXID.KEY@DOMAIN>} and names the thread's id in {@code In-Reply-To} and
 * {@code References}, so mail clients thread them (RFC 5322 section 3.6.4) even when the first
 * mail was not sent to this reader. The subject is the same for every mail of the thread, but
 * for its {@code [FIRING]} or {@code [RESOLVED]} tag: {@code [FIRING] Incident #12: HighLatency
 * (critical)}. {@code KEY} is derived from the sender and {@code BASE_URL}, so two Alertdesk
 * installations sending to one mailbox never share ids; {@code DOMAIN} is the sender's. Every id
 * is stable for its outbox job, so a mail sent again after a crash is recognisably the same mail.
 *
 * <p><b>The body.</b> A text part and an HTML part with the same content: what happened, the
 * summary, the current value, status and acknowledgement, the labels, the alerts (at most
 * {@value #MAX_ALERTS}), links (Slack thread, incident page, runbook, source, Alertmanager; only
 * {@code http(s)} links) and the graph. Every value from an alert is escaped in the HTML, which
 * loads nothing remote: the graph is an inline PNG ({@code cid:}).
 */
public final class EmailComposer {
  /** At most this many alerts are listed. */
  static final int MAX_ALERTS = 20;
  /** At most this many labels are listed. */
  static final int MAX_LABELS = 40;
  /** At most this many storm incidents are listed. */
  static final int MAX_STORM_MEMBERS = 50;
  private static final int MAX_SUBJECT = 200;
  private static final int MAX_VALUE = 500;
  private static final DateTimeFormatter TIME = DateTimeFormatter
      .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final String domain;
  private final String key;

  /**
   * @param fromAddress the sender's address (its domain names every {@code Message-ID}), e.g.
   *     {@code alertdesk@example.com}
   * @param baseUrl {@code BASE_URL}, or null; with the sender, it makes the installation key
   */
  public EmailComposer(String fromAddress, @Nullable String baseUrl) {
    int at = fromAddress.lastIndexOf('@');
    String d = at < 0 ? "alertdesk.invalid" : fromAddress.substring(at + 1);
    this.domain = d.replaceAll("[^A-Za-z0-9.-]", "");
    this.key = installKey(fromAddress + "|" + (baseUrl == null ? "" : baseUrl));
  }

  private static String installKey(String seed) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(seed.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** Returns the thread's {@code Message-ID} of an incident: its first mail's. */
  public String incidentThreadId(long incidentId) {
    return "<incident-" + incidentId + "." + key + "@" + domain + ">";
  }

  /** Returns the {@code Message-ID} of a storm's one mail. */
  public String stormThreadId(long stormId) {
    return "<storm-" + stormId + "." + key + "@" + domain + ">";
  }

  /** Returns the {@code Message-ID} of a later mail in a thread: one per outbox job. */
  public String replyId(long outboxId) {
    return "<mail-" + outboxId + "." + key + "@" + domain + ">";
  }

  /**
   * Composes the mail of one e-mail outbox job.
   *
   * @param job the claimed job ({@link MessageKind#PARENT}, {@link MessageKind#REOPENED},
   *     {@link MessageKind#RESOLVED}, {@link MessageKind#REMINDER}, {@link MessageKind#STORM} or
   *     {@link MessageKind#FLAPPING})
   * @param facts the incident's state now
   * @return the mail, or null when there is nothing left to say (the incident or storm is gone)
   */
  public @Nullable ComposedMail compose(OutboxJob job, MailFacts facts) {
    MessageKind kind = job.intent().message();
    if (kind == MessageKind.STORM) {
      return facts.storm() == null ? null : storm(job, facts);
    }
    Incident incident = facts.incident();
    if (incident == null) {
      return null;
    }
    long id = incident.id() == null ? job.incidentId() : incident.id();
    boolean first = job.kind() == SlackIntent.Kind.PARENT_POST;
    String thread = incidentThreadId(id);
    String messageId = first ? thread : replyId(job.id());
    boolean resolvedMail = kind == MessageKind.RESOLVED
        || (kind == MessageKind.FLAPPING && incident.status() == IncidentStatus.RESOLVED);
    String subject = subject((resolvedMail ? "[RESOLVED] " : "[FIRING] ") + "Incident #" + id
        + ": " + incident.alertname() + (incident.severity() == null ? ""
        : " (" + incident.severity() + ")"));

    Body body = new Body();
    body.heading(headline(kind, job, incident, facts));
    String[] summary = summary(incident);
    if (summary[0] != null) {
      body.field("Summary", summary[0]);
    }
    if (summary[1] != null) {
      body.field("Description", summary[1]);
    }
    if (facts.valueLine() != null) {
      body.paragraph(plain(facts.valueLine()));
    }
    body.field("Status", status(incident, facts.now()));
    body.field("Acknowledged", acknowledged(facts.response()));
    body.labels(labels(incident));
    body.alerts(alerts(incident));
    body.links(links(incident, facts));
    ComposedMail.InlineImage image = null;
    if (facts.graph() != null) {
      image = new ComposedMail.InlineImage("graph-" + id + "." + key + "@" + domain,
          "incident-" + id + ".png", facts.graph().png(), "Graph: " + clip(
              facts.graph().caption(), 300));
      body.image(image);
    } else if (facts.graphNote() != null) {
      body.paragraph("No graph: " + facts.graphNote());
    }
    body.footer("Sent by Alertdesk for incident #" + id + ". Replies to this mail are not read.");
    return new ComposedMail(subject, messageId, first ? null : thread,
        first ? List.of() : List.of(thread), body.text(), body.html(subject), image);
  }

  private ComposedMail storm(OutboxJob job, MailFacts facts) {
    MailFacts.Storm storm = facts.storm();
    String subject = subject("[FIRING] Alert storm in " + storm.state().channel() + ": "
        + storm.tally().incidents() + " incidents");
    Body body = new Body();
    body.heading("Alert storm: " + storm.tally().incidents() + " incidents ("
        + storm.tally().firing() + " firing) since " + TIME.format(storm.state().startedAt())
        + (storm.state().endedAt() == null ? "" : ", ended "
        + TIME.format(storm.state().endedAt())));
    body.paragraph("New incidents arrived faster than noise.storm allows. Alertdesk sends this "
        + "one mail for the storm instead of one per incident; the incident pages and the "
        + "Slack storm message show them as they change.");
    List<String> lines = new ArrayList<>();
    List<StormMember> members = storm.members();
    for (int i = 0; i < Math.min(members.size(), MAX_STORM_MEMBERS); i++) {
      StormMember m = members.get(i);
      lines.add("#" + m.incidentId() + " " + m.alertname() + " " + labelText(m.groupLabels())
          + " (" + m.status().name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
    int more = storm.tally().incidents() - lines.size();
    if (more > 0) {
      lines.add("… and " + more + " more");
    }
    body.list("Incidents", lines);
    List<String[]> links = new ArrayList<>();
    if (facts.incidentUrl() != null) {
      addLink(links, "First incident", facts.incidentUrl());
    }
    addLink(links, "Slack storm message", facts.slackThreadUrl());
    body.links(links);
    body.footer("Sent by Alertdesk for storm " + storm.state().id() + ".");
    String id = stormThreadId(storm.state().id());
    return new ComposedMail(subject, id, null, List.of(), body.text(), body.html(subject), null);
  }

  private static String headline(MessageKind kind, OutboxJob job, Incident incident,
      MailFacts facts) {
    long id = incident.id() == null ? job.incidentId() : incident.id();
    String name = "incident #" + id + " " + incident.alertname();
    return switch (kind) {
      case REOPENED -> "Fired again (reopened): " + name;
      case RESOLVED -> "Resolved: " + name + (incident.resolvedAt() == null ? ""
          : " after " + Durations.humanize(Duration.between(incident.openedAt(),
              incident.resolvedAt())));
      case REMINDER -> "Escalation: critical " + name + " is still unacknowledged after "
          + Durations.humanize(Duration.ofSeconds(job.intent().number(
              "unacknowledged_seconds", 0)))
          + (facts.response().acknowledgement() == null ? ""
          : " (acknowledged meanwhile by " + facts.response().acknowledgement().userName() + ")");
      case FLAPPING -> "Flapping: " + name + " changed between firing and resolved "
          + job.intent().number("transitions", 0) + " times. Its further changes are not "
          + "mailed while it flaps; the incident page shows its current state.";
      default -> "Opened: " + name + (incident.status() == IncidentStatus.RESOLVED
          ? " (it has resolved since)" : "");
    };
  }

  private static String[] summary(Incident incident) {
    Labels annotations = incident.commonAnnotations();
    if (annotations.get("summary") == null && annotations.get("description") == null
        && !incident.members().isEmpty()) {
      annotations = incident.members().get(0).annotations();
    }
    String summary = annotations.get("summary");
    String description = annotations.get("description");
    return new String[] {summary == null ? null : clip(summary, 2000),
        description == null ? null : clip(description, 4000)};
  }

  private static String status(Incident incident, Instant now) {
    return incident.status().name().toLowerCase(java.util.Locale.ROOT) + ", "
        + incident.firingCount() + " of " + incident.members().size() + " alerts firing, open "
        + Durations.humanize(Duration.between(incident.openedAt(),
            incident.resolvedAt() == null ? now : incident.resolvedAt()))
        + ", since " + TIME.format(incident.openedAt());
  }

  private static String acknowledged(IncidentResponse response) {
    IncidentResponse.Acknowledgement ack = response.acknowledgement();
    String text = ack == null ? "no" : "by " + ack.userName() + " at " + TIME.format(ack.at());
    if (response.silence() != null) {
      text += "; silenced by " + response.silence().userName() + " until "
          + TIME.format(response.silence().endsAt());
    }
    return text;
  }

  private static List<String> labels(Incident incident) {
    Labels labels = incident.commonLabels().isEmpty() ? incident.groupLabels()
        : incident.commonLabels();
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(labels.values()).entrySet()) {
      if (out.size() == MAX_LABELS) {
        out.add("… and " + (labels.values().size() - MAX_LABELS) + " more");
        break;
      }
      out.add(clip(e.getKey(), 100) + "=" + clip(e.getValue(), MAX_VALUE));
    }
    return out;
  }

  private static List<String> alerts(Incident incident) {
    Labels common = incident.commonLabels();
    List<String> out = new ArrayList<>();
    List<Alert> members = incident.members();
    for (int i = 0; i < Math.min(members.size(), MAX_ALERTS); i++) {
      Alert a = members.get(i);
      Map<String, String> own = new TreeMap<>();
      a.labels().values().forEach((k, v) -> {
        if (common.get(k) == null) {
          own.put(k, v);
        }
      });
      out.add((a.isFiring() ? "firing" : "resolved") + " since " + TIME.format(a.startsAt())
          + (own.isEmpty() ? "" : " " + clip(labelText(new Labels(own)), MAX_VALUE)));
    }
    if (members.size() > MAX_ALERTS) {
      out.add("… and " + (members.size() - MAX_ALERTS) + " more");
    }
    return out;
  }

  private static String labelText(Labels labels) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(labels.values()).forEach((k, v) -> parts.add(k + "=" + v));
    return clip(String.join(", ", parts), MAX_VALUE);
  }

  private static List<String[]> links(Incident incident, MailFacts facts) {
    List<String[]> links = new ArrayList<>();
    addLink(links, "Slack thread", facts.slackThreadUrl());
    addLink(links, "Incident page", facts.incidentUrl());
    String runbook = annotation(incident, "runbook_url");
    addLink(links, "Runbook", runbook != null ? runbook : annotation(incident, "runbook"));
    addLink(links, "Source", incident.members().isEmpty() ? null
        : incident.members().get(0).generatorUrl());
    addLink(links, "Alertmanager", incident.externalUrl());
    return links;
  }

  private static void addLink(List<String[]> links, String label, @Nullable String url) {
    if (url != null && url.length() <= 2000 && Urls.isHttpLink(url)) {
      links.add(new String[] {label, url});
    }
  }

  private static @Nullable String annotation(Incident incident, String name) {
    String v = incident.commonAnnotations().get(name);
    if (v == null && !incident.members().isEmpty()) {
      v = incident.members().get(0).annotations().get(name);
    }
    return v;
  }

  /** A subject line: no control characters (no header injection), at most 200 characters. */
  static String subject(String s) {
    return clip(oneLine(s), MAX_SUBJECT);
  }

  private static String oneLine(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return out.toString().strip();
  }

  /**
   * Slack mrkdwn of a value line as plain text: entities unescaped, bold marks and emoji codes
   * dropped.
   */
  static String plain(String mrkdwn) {
    return mrkdwn.replaceAll(":[a-z0-9_+-]+: ", "").replaceAll("\\*([^*\n]+)\\*", "$1")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static String esc(String s) {
    return HtmlEscape.escapeHtml4Xml(s);
  }

  /** The text and HTML parts, built side by side. */
  private static final class Body {
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder html = new StringBuilder();

    void heading(String s) {
      text.append(s).append("\n\n");
      html.append("<h2 style=\"font-size:18px;margin:0 0 12px\">").append(esc(s))
          .append("</h2>\n");
    }

    void paragraph(String s) {
      text.append(s).append("\n\n");
      html.append("<p>").append(esc(s)).append("</p>\n");
    }

    void field(String name, String value) {
      text.append(name).append(": ").append(value).append('\n');
      html.append("<p><b>").append(esc(name)).append(":</b> ").append(esc(value))
          .append("</p>\n");
    }

    void list(String title, List<String> items) {
      if (items.isEmpty()) {
        return;
      }
      text.append('\n').append(title).append(":\n");
      html.append("<h3 style=\"font-size:15px\">").append(esc(title)).append("</h3>\n<ul>\n");
      for (String item : items) {
        text.append("  ").append(item).append('\n');
        html.append("<li>").append(esc(item)).append("</li>\n");
      }
      html.append("</ul>\n");
    }

    void labels(List<String> labels) {
      if (labels.isEmpty()) {
        return;
      }
      text.append("\nLabels:\n");
      html.append("<h3 style=\"font-size:15px\">Labels</h3>\n<ul>\n");
      for (String l : labels) {
        text.append("  ").append(l).append('\n');
        html.append("<li><code>").append(esc(l)).append("</code></li>\n");
      }
      html.append("</ul>\n");
    }

    void alerts(List<String> alerts) {
      list("Alerts", alerts);
    }

    void links(List<String[]> links) {
      if (links.isEmpty()) {
        return;
      }
      text.append("\nLinks:\n");
      html.append("<p>");
      for (int i = 0; i < links.size(); i++) {
        String[] l = links.get(i);
        text.append("  ").append(l[0]).append(": ").append(l[1]).append('\n');
        html.append(i == 0 ? "" : " | ").append("<a href=\"").append(esc(l[1])).append("\">")
            .append(esc(l[0])).append("</a>");
      }
      html.append("</p>\n");
    }

    void image(ComposedMail.InlineImage image) {
      text.append("\nThe graph is attached as ").append(image.fileName()).append(".\n");
      html.append("<p><img src=\"cid:").append(esc(image.contentId())).append("\" alt=\"")
          .append(esc(image.alt())).append("\" style=\"max-width:100%\"></p>\n");
    }

    void footer(String s) {
      text.append("\n-- \n").append(s).append('\n');
      html.append("<hr><p style=\"color:#666;font-size:12px\">").append(esc(s))
          .append("</p>\n");
    }

    String text() {
      return text.toString();
    }

    String html(String title) {
      return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + esc(title)
          + "</title></head>\n<body style=\"font-family:sans-serif;font-size:14px\">\n" + html
          + "</body></html>\n";
    }
  }
}
