package dev.alertdesk.incident;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.alert.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One episode of one Alertmanager group, keyed by {@code (receiver, groupKey)}. Immutable: the
 * engine returns changed copies.
 *
 * @param id the stored id shown to users as {@code #id}; null until first stored
 * @param receiver the Alertmanager receiver
 * @param groupKey the Alertmanager group key
 * @param status firing or resolved
 * @param groupLabels the labels the route groups by (latest notification)
 * @param commonLabels the labels all alerts share (latest notification)
 * @param commonAnnotations the annotations all alerts share (latest notification)
 * @param externalUrl Alertmanager's external URL, or null
 * @param truncatedAlerts alerts Alertmanager left out of the latest notification
 * @param startedAt the earliest {@code startsAt} of the alerts that opened it
 * @param openedAt when Alertdesk received the notification that opened it
 * @param resolvedAt when Alertdesk saw the last member resolve; null while firing
 * @param endedAt the latest member {@code endsAt} at resolution; null while firing
 * @param lastChangedAt when any member last changed
 * @param reopenCount how often it reopened within the reopen window
 * @param members every alert seen in this episode, in order of first appearance, in its latest
 *     known state
 */
public record Incident(
    @Nullable Long id,
    String receiver,
    String groupKey,
    IncidentStatus status,
    Labels groupLabels,
    Labels commonLabels,
    Labels commonAnnotations,
    @Nullable String externalUrl,
    int truncatedAlerts,
    Instant startedAt,
    Instant openedAt,
    @Nullable Instant resolvedAt,
    @Nullable Instant endedAt,
    Instant lastChangedAt,
    int reopenCount,
    List<Alert> members) {

  /** Copies the member list. */
  public Incident {
    members = List.copyOf(members);
  }

  /** Returns a copy with the given stored id. */
  public Incident withId(long newId) {
    return new Incident(newId, receiver, groupKey, status, groupLabels, commonLabels,
        commonAnnotations, externalUrl, truncatedAlerts, startedAt, openedAt, resolvedAt, endedAt,
        lastChangedAt, reopenCount, members);
  }

  /**
   * Returns the alertname: from the group labels, else the common labels, else the first member,
   * else {@code "(no alertname)"}.
   */
  public String alertname() {
    String name = groupLabels.get("alertname");
    if (name == null) {
      name = commonLabels.get("alertname");
    }
    if (name == null && !members.isEmpty()) {
      name = members.get(0).labels().get("alertname");
    }
    return name == null ? "(no alertname)" : name;
  }

  /** Returns the {@code severity} common label, or null when the alerts disagree or lack one. */
  public @Nullable String severity() {
    return commonLabels.get("severity");
  }

  /** Returns the {@link #severity} label classified by {@link Severity#of}; never null. */
  public Severity severityClass() {
    return Severity.of(severity());
  }

  /** Returns how many members fire. */
  public int firingCount() {
    return (int) members.stream().filter(a -> a.status() == AlertStatus.FIRING).count();
  }

  /** Returns how many members are resolved. */
  public int resolvedCount() {
    return members.size() - firingCount();
  }

  /** Returns the member with this fingerprint, if any. */
  public Optional<Alert> member(String fingerprint) {
    return members.stream().filter(a -> a.fingerprint().equals(fingerprint)).findFirst();
  }

  /**
   * Returns how long the incident lasted: from {@link #startedAt} to {@link #endedAt} once
   * resolved, else to {@code now}. Never negative.
   */
  public Duration duration(Instant now) {
    Instant end = endedAt != null ? endedAt : now;
    Duration d = Duration.between(startedAt, end);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
