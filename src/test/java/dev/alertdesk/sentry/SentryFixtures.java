package dev.alertdesk.sentry;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.config.SentrySettings;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Incidents, alerts and settings for the Sentry tests. */
final class SentryFixtures {
  static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  private SentryFixtures() {}

  static Alert firing(String fingerprint, Labels labels, Labels annotations, Instant startsAt,
      @Nullable String generatorUrl) {
    return new Alert(fingerprint, AlertStatus.FIRING, labels, annotations, startsAt, null,
        generatorUrl);
  }

  static Alert resolved(Alert alert, Instant endsAt) {
    return new Alert(alert.fingerprint(), AlertStatus.RESOLVED, alert.labels(),
        alert.annotations(), alert.startsAt(), endsAt, alert.generatorUrl());
  }

  static Incident incident(long id, Labels common, List<Alert> members) {
    boolean firing = members.stream().anyMatch(Alert::isFiring);
    return new Incident(id, "team-x", "{}:{alertname=\"DiskFull\"}",
        firing ? IncidentStatus.FIRING : IncidentStatus.RESOLVED, Labels.EMPTY, common,
        Labels.EMPTY, "http://alertmanager:9093", 0, T0, T0, firing ? null : T0.plusSeconds(60),
        firing ? null : T0.plusSeconds(60), T0, 0, members);
  }

  static SentrySettings settings(String dsn, @Nullable String token, String apiUrl,
      SentrySettings.Fingerprint fingerprint) {
    return new SentrySettings(dsn, token, token == null ? null : "acme", null, apiUrl, "env",
        fingerprint, Duration.ofSeconds(5));
  }
}
