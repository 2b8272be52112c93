package dev.alertdesk.slack;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds incidents for rendering tests; defaults describe a small, ordinary incident. */
final class TestIncident {
  /** 09:00 UTC; the default incident started then. */
  static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");
  static final String GENERATOR_URL = "http://prometheus.example:9090/graph?g0.expr=latency";
  static final String EXTERNAL_URL = "http://alertmanager.example:9093";

  long id = 42;
  IncidentStatus status = IncidentStatus.FIRING;
  String receiver = "slack-sre";
  Labels groupLabels = Labels.of("alertname", "HighLatency", "namespace", "prod");
  Labels commonLabels = Labels.of("alertname", "HighLatency", "namespace", "prod",
      "service", "api", "severity", "critical");
  Labels commonAnnotations = Labels.of("summary", "p99 latency above 500ms",
      "description", "The API answers slowly.");
  @Nullable String externalUrl = EXTERNAL_URL;
  int truncatedAlerts;
  Instant startedAt = T0;
  @Nullable Instant resolvedAt;
  @Nullable Instant endedAt;
  int reopenCount;
  List<Alert> members = new ArrayList<>(List.of(firing("a"), firing("b")));

  /** A fixed clock {@code minutes} after {@link #T0}. */
  static Clock clock(int minutes) {
    return Clock.fixed(T0.plusSeconds(minutes * 60L), ZoneOffset.UTC);
  }

  static Labels memberLabels(String instance) {
    return Labels.of("alertname", "HighLatency", "namespace", "prod", "service", "api",
        "severity", "critical", "instance", instance + ":8080");
  }

  static Alert firing(String instance) {
    Labels labels = memberLabels(instance);
    return new Alert(labels.fingerprint(), AlertStatus.FIRING, labels,
        Labels.of("summary", "p99 latency above 500ms"), T0, null, GENERATOR_URL);
  }

  static Alert resolved(String instance) {
    Labels labels = memberLabels(instance);
    return new Alert(labels.fingerprint(), AlertStatus.RESOLVED, labels,
        Labels.of("summary", "p99 latency above 500ms"), T0, T0.plusSeconds(20 * 60),
        GENERATOR_URL);
  }

  static List<Alert> firingMembers(int count) {
    List<Alert> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(firing("host-" + i));
    }
    return out;
  }

  /** Marks the incident resolved at {@code minutes} after T0, every member resolved. */
  TestIncident resolvedAfter(int minutes) {
    status = IncidentStatus.RESOLVED;
    endedAt = T0.plusSeconds(minutes * 60L);
    resolvedAt = endedAt.plusSeconds(30);
    List<Alert> done = new ArrayList<>();
    for (Alert a : members) {
      done.add(new Alert(a.fingerprint(), AlertStatus.RESOLVED, a.labels(), a.annotations(),
          a.startsAt(), endedAt, a.generatorUrl()));
    }
    members = done;
    return this;
  }

  /**
   * A pathological incident: {@code count} members whose labels and annotations run to 3,000
   * characters, 200-character alertnames, 60 long group labels, and long common labels.
   */
  static TestIncident huge(int count) {
    String alertname = "A".repeat(199) + "Z";
    String longText = "long & <odd> text \uD83D\uDD25 ".repeat(150).substring(0, 3_000);
    TestIncident t = new TestIncident();
    Map<String, String> group = new LinkedHashMap<>();
    group.put("alertname", alertname);
    for (int i = 0; i < 60; i++) {
      group.put("group_label_" + i, "value-" + "g".repeat(100) + i);
    }
    t.groupLabels = new Labels(group);
    t.commonLabels = Labels.of("alertname", alertname, "severity", longText,
        "namespace", longText, "service", longText);
    t.commonAnnotations = Labels.of("summary", longText, "description", longText,
        "runbook_url", "https://runbooks.example/" + "r".repeat(200));
    t.receiver = longText;
    t.truncatedAlerts = 123_456;
    t.reopenCount = 3;
    List<Alert> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Labels labels = Labels.of("alertname", i % 2 == 0 ? alertname : alertname + i,
          "instance", "host-" + i, "pod", longText + i, "container", longText);
      members.add(new Alert(labels.fingerprint(),
          i % 5 == 0 ? AlertStatus.RESOLVED : AlertStatus.FIRING, labels,
          Labels.of("summary", longText, "description", longText + i), T0,
          i % 5 == 0 ? T0.plusSeconds(600) : null, GENERATOR_URL + "&x=" + "q".repeat(500)));
    }
    t.members = members;
    return t;
  }

  Incident build() {
    return new Incident(null, receiver, "{}:{alertname=\"HighLatency\"}", status, groupLabels,
        commonLabels, commonAnnotations, externalUrl, truncatedAlerts, startedAt,
        startedAt.plusSeconds(30), resolvedAt, endedAt,
        startedAt.plusSeconds(30), reopenCount, members).withId(id);
  }
}
