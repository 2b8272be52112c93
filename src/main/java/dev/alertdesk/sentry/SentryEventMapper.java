package dev.alertdesk.sentry;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Severity;
import dev.alertdesk.config.SentrySettings;
import dev.alertdesk.incident.Incident;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryId;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps one alert occurrence to one Sentry event (Sentry docs: develop.sentry.dev/sdk/data-model/
 * event-payloads/). Pure: the same occurrence always gives the same event.
 *
 * <ul>
 *   <li>message: the alert's {@code summary} annotation, else the incident's common
 *       {@code summary}, else the alertname;</li>
 *   <li>level: from the {@code severity} label ({@link #level});</li>
 *   <li>fingerprint: {@code [alertname, alert fingerprint]}, or {@code [group key]} by
 *       configuration, so Sentry groups every occurrence of it into one issue;</li>
 *   <li>tags: the labels, within Sentry's tag limits ({@link SentryTags});</li>
 *   <li>extra: {@code annotations}, {@code labels}, {@code startsAt}, {@code endsAt},
 *       {@code incident_id}, {@code incident_url};</li>
 *   <li>request url: {@code generatorURL}, only when it is an http(s) URL;</li>
 *   <li>environment: the value of the configured label, when the alert has it.</li>
 * </ul>
 */
public final class SentryEventMapper {
  /** The logger name every event carries, so Sentry shows where it came from. */
  public static final String LOGGER = "alertdesk";
  /** Longest message and annotation value kept, in characters (Sentry trims longer ones). */
  static final int MAX_TEXT_CHARS = 8192;

  private final SentrySettings settings;
  private final @Nullable String baseUrl;

  /**
   * @param settings the fingerprint mode and environment label
   * @param baseUrl Alertdesk's public URL ({@code BASE_URL}), for the incident link; or null
   */
  public SentryEventMapper(SentrySettings settings, @Nullable String baseUrl) {
    this.settings = settings;
    this.baseUrl = baseUrl;
  }

  /**
   * Builds the event of one occurrence.
   *
   * @param eventId the id pre-assigned when the occurrence was planned; redeliveries reuse it
   * @param incident the incident the alert belongs to, with its id
   * @param alert the alert as last stored (labels, annotations, generator URL)
   * @param startsAt when this occurrence started
   * @param endsAt when it ended, or null while it fires
   * @param now the current time; an occurrence starting later is dated now
   * @return a new event, never null
   */
  public SentryEvent event(SentryId eventId, Incident incident, Alert alert, Instant startsAt,
      @Nullable Instant endsAt, Instant now) {
    SentryEvent event = new SentryEvent(Date.from(startsAt.isAfter(now) ? now : startsAt));
    event.setEventId(eventId);
    Message message = new Message();
    message.setFormatted(cut(summary(incident, alert)));
    event.setMessage(message);
    event.setLevel(level(Severity.of(alert.labels().get("severity"))));
    event.setLogger(LOGGER);
    event.setFingerprints(fingerprint(incident, alert));
    event.setTags(SentryTags.of(alert.labels().values()));
    String environment = alert.labels().get(settings.environmentLabel());
    if (environment != null && !environment.isBlank()) {
      event.setEnvironment(SentryTags.value(environment.strip()));
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    alert.annotations().values().forEach((k, v) -> annotations.put(k, cut(v)));
    extra.put("annotations", annotations);
    extra.put("labels", alert.labels().values());
    extra.put("startsAt", startsAt.toString());
    extra.put("endsAt", endsAt == null ? null : endsAt.toString());
    extra.put("incident_id", incident.id());
    String link = incidentUrl(incident.id());
    if (link != null) {
      extra.put("incident_url", link);
    }
    extra.put("alert_fingerprint", alert.fingerprint());
    event.setExtras(extra);
    String generator = httpUrl(alert.generatorUrl());
    if (generator != null) {
      Request request = new Request();
      request.setUrl(generator);
      event.setRequest(request);
    }
    return event;
  }

  /**
   * The fingerprint Sentry groups by: {@code [alertname, alert fingerprint]}, or the group key.
   *
   * @return two strings, or one for {@link SentrySettings.Fingerprint#GROUP_KEY}
   */
  public List<String> fingerprint(Incident incident, Alert alert) {
    List<String> out = new ArrayList<>();
    if (settings.fingerprint() == SentrySettings.Fingerprint.GROUP_KEY) {
      out.add(incident.groupKey());
    } else {
      out.add(alert.alertname());
      out.add(alert.fingerprint());
    }
    return out;
  }

  /**
   * The Sentry level of a severity: critical (or page) is {@code fatal}, warning
   * {@code warning}, info (or none) {@code info}, any other or none {@code error}.
   */
  public static SentryLevel level(Severity severity) {
    return switch (severity) {
      case CRITICAL -> SentryLevel.FATAL;
      case WARNING -> SentryLevel.WARNING;
      case INFO -> SentryLevel.INFO;
      case UNKNOWN -> SentryLevel.ERROR;
    };
  }

  /** The incident's page, when {@code BASE_URL} is set; else null. */
  public @Nullable String incidentUrl(@Nullable Long incidentId) {
    return baseUrl == null || incidentId == null ? null : baseUrl + "/incidents/" + incidentId;
  }

  private static String summary(Incident incident, Alert alert) {
    String s = alert.annotations().get("summary");
    if (s == null || s.isBlank()) {
      s = incident.commonAnnotations().get("summary");
    }
    if (s == null || s.isBlank()) {
      s = alert.alertname();
    }
    return s.strip();
  }

  /** Returns {@code url} when it is an absolute http(s) URL with a host; else null. */
  static @Nullable String httpUrl(@Nullable String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    try {
      URI uri = URI.create(url.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
          ? url.strip() : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String cut(String text) {
    if (text.length() <= MAX_TEXT_CHARS) {
      return text;
    }
    return text.substring(0, MAX_TEXT_CHARS - 1) + "…";
  }
}
