package dev.alertdesk.sentry;

import static dev.alertdesk.sentry.SentryFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.alert.Severity;
import dev.alertdesk.config.SentrySettings;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.protocol.SentryId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One occurrence, one event: the fields that do not need the wire. */
class SentryEventMapperTest {
  private static final String ID = "0123456789abcdef0123456789abcdef";

  private static SentryEventMapper mapper(SentrySettings.Fingerprint fingerprint) {
    return new SentryEventMapper(SentryFixtures.settings("https://k@sentry/1", null,
        "https://sentry/api/0/", fingerprint), null);
  }

  @Test
  void onlyHttpGeneratorUrlsBecomeTheRequestUrl() {
    for (String bad : new String[] {"javascript:alert(1)", "file:///etc/passwd", "not a url",
        "//host/path"}) {
      Alert a = SentryFixtures.firing("f1", Labels.of("alertname", "X"), Labels.EMPTY, T0, bad);
      SentryEvent e = mapper(SentrySettings.Fingerprint.ALERT).event(new SentryId(ID),
          SentryFixtures.incident(1, a.labels(), List.of(a)), a, T0, null, T0);
      assertThat(e.getRequest()).as(bad).isNull();
    }
  }

  @Test
  void theMessageFallsBackToTheCommonSummaryThenTheAlertname() {
    Alert a = SentryFixtures.firing("f1", Labels.of("alertname", "X"), Labels.EMPTY, T0, null);
    SentryEvent e = mapper(SentrySettings.Fingerprint.ALERT).event(new SentryId(ID),
        SentryFixtures.incident(1, a.labels(), List.of(a)), a, T0, null, T0);
    assertThat(e.getMessage().getFormatted()).isEqualTo("X");
    assertThat(e.getEnvironment()).as("no env label: the SDK's default applies").isNull();
    assertThat(e.getExtras()).containsEntry("endsAt", null).containsEntry("incident_id", 1L)
        .doesNotContainKey("incident_url");
  }

  @Test
  void levelsFollowTheSeverity() {
    assertThat(SentryEventMapper.level(Severity.CRITICAL)).isEqualTo(SentryLevel.FATAL);
    assertThat(SentryEventMapper.level(Severity.WARNING)).isEqualTo(SentryLevel.WARNING);
    assertThat(SentryEventMapper.level(Severity.INFO)).isEqualTo(SentryLevel.INFO);
    assertThat(SentryEventMapper.level(Severity.UNKNOWN)).isEqualTo(SentryLevel.ERROR);
  }

  @Test
  void theFingerprintIsTheAlertOrTheGroupKey() {
    Alert a = SentryFixtures.firing("f1", Labels.of("alertname", "X"), Labels.EMPTY, T0, null);
    var incident = SentryFixtures.incident(1, a.labels(), List.of(a));
    assertThat(mapper(SentrySettings.Fingerprint.ALERT).fingerprint(incident, a))
        .containsExactly("X", "f1");
    assertThat(mapper(SentrySettings.Fingerprint.GROUP_KEY).fingerprint(incident, a))
        .containsExactly(incident.groupKey());
  }

  @Test
  void anOccurrenceFromTheFutureIsDatedNow() {
    Alert a = SentryFixtures.firing("f1", Labels.of("alertname", "X"), Labels.EMPTY,
        T0.plusSeconds(3600), null);
    SentryEvent e = mapper(SentrySettings.Fingerprint.ALERT).event(new SentryId(ID),
        SentryFixtures.incident(1, a.labels(), List.of(a)), a, a.startsAt(), null, T0);
    assertThat(e.getTimestamp().toInstant()).isEqualTo(T0);
  }
}
