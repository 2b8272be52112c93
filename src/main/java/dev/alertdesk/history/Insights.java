package dev.alertdesk.history;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Insights over one period, computed from {@link InsightFacts} by {@link #compute}.
 *
 * <p>MTTA is the mean time from an incident's start (its earliest alert {@code startsAt}) to its
 * first {@code acknowledged} event; MTTR the mean time from its start to its resolution (the
 * latest member {@code endsAt}). Each counts only incidents that started in the period and were
 * acknowledged, respectively resolved.
 *
 * @param from the period's start, inclusive
 * @param to the period's end, exclusive
 * @param incidentCount incidents that started in the period
 * @param noisiest alerts ranked by the chosen {@link Ranking}
 * @param mtta time to acknowledge, in total and per alertname, severity and receiver
 * @param mttr time to resolve, in total and per alertname, severity and receiver
 * @param incidentsPerDay incidents that started on each UTC day of the period, every day present
 * @param suppression the share of notifications that caused no Slack message, and why
 */
public record Insights(
    Instant from,
    Instant to,
    int incidentCount,
    List<NoisyAlert> noisiest,
    TimeTo mtta,
    TimeTo mttr,
    Map<LocalDate, Long> incidentsPerDay,
    Suppression suppression) {

  /** Notification outcomes that changed an incident and so caused Slack work. */
  public static final Set<String> DELIVERING_OUTCOMES =
      Set.of("opened", "updated", "resolved", "reopened");

  /** What makes an alert noisy: the first key of the ranking; ties go to the others, then the name. */
  public enum Ranking {
    /** Webhook notifications, then occurrences, then transitions. */
    NOTIFICATIONS,
    /** Firing periods, then notifications, then transitions. */
    OCCURRENCES,
    /** Incident state changes, then notifications, then occurrences. */
    TRANSITIONS;

    Comparator<NoisyAlert> comparator() {
      Comparator<NoisyAlert> n = Comparator.comparingLong(NoisyAlert::notifications).reversed();
      Comparator<NoisyAlert> o = Comparator.comparingLong(NoisyAlert::occurrences).reversed();
      Comparator<NoisyAlert> t = Comparator.comparingLong(NoisyAlert::transitions).reversed();
      Comparator<NoisyAlert> order = switch (this) {
        case NOTIFICATIONS -> n.thenComparing(o).thenComparing(t);
        case OCCURRENCES -> o.thenComparing(n).thenComparing(t);
        case TRANSITIONS -> t.thenComparing(n).thenComparing(o);
      };
      return order.thenComparing(NoisyAlert::alertname);
    }

    /** Returns the lower-case form used in the API. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The label shown for incidents without a {@code severity} label. */
  public static final String NO_SEVERITY = "(none)";

  /**
   * One alertname's noise.
   *
   * @param alertname the alertname
   * @param notifications webhook notifications for its incidents in the period
   * @param occurrences firing periods that started in the period
   * @param transitions incident state changes in the period
   * @param incidents incidents that started in the period
   */
  public record NoisyAlert(String alertname, long notifications, long occurrences,
      long transitions, long incidents) {}

  /**
   * A mean duration.
   *
   * @param count how many incidents it averages; 0 means none, and then {@code meanSeconds} is
   *     null
   * @param meanSeconds the mean in seconds, or null when {@code count} is 0
   */
  public record Mean(long count, @Nullable Double meanSeconds) {
    static Mean of(List<Duration> durations) {
      if (durations.isEmpty()) {
        return new Mean(0, null);
      }
      double totalMillis = 0;
      for (Duration d : durations) {
        totalMillis += d.toMillis();
      }
      return new Mean(durations.size(), totalMillis / durations.size() / 1000.0);
    }
  }

  /**
   * A time-to metric (MTTA or MTTR) in total and broken down. Each map is sorted by key.
   *
   * @param total over every counted incident
   * @param byAlertname per alertname
   * @param bySeverity per {@code severity} label ({@value #NO_SEVERITY} when absent)
   * @param byReceiver per Alertmanager receiver, i.e. the route or team it came through
   */
  public record TimeTo(Mean total, Map<String, Mean> byAlertname, Map<String, Mean> bySeverity,
      Map<String, Mean> byReceiver) {}

  /**
   * Which notifications caused no Slack message, and why.
   *
   * @param notifications webhook notifications received in the period
   * @param suppressed those whose outcome is not one of {@link #DELIVERING_OUTCOMES}
   * @param share {@code suppressed / notifications}, 0 when there were none
   * @param byReason suppressed notifications per outcome (e.g. {@code duplicate}), plus
   *     suppression events per reason; sorted by count, largest first
   */
  public record Suppression(long notifications, long suppressed, double share,
      Map<String, Long> byReason) {}

  /**
   * Computes the insights, ranking noise by notifications.
   *
   * @param facts what the store knows about the period
   * @param top how many noisiest alerts to keep, 1 or more
   * @return the insights
   */
  public static Insights compute(InsightFacts facts, int top) {
    return compute(facts, top, Ranking.NOTIFICATIONS);
  }

  /**
   * Computes the insights.
   *
   * @param facts what the store knows about the period
   * @param top how many noisiest alerts to keep, 1 or more
   * @param ranking what ranks the noisiest alerts
   * @return the insights
   */
  public static Insights compute(InsightFacts facts, int top, Ranking ranking) {
    List<InsightFacts.IncidentFact> incidents = facts.incidents();
    Map<String, Long> incidentsByName = new HashMap<>();
    for (InsightFacts.IncidentFact i : incidents) {
      incidentsByName.merge(i.alertname(), 1L, Long::sum);
    }
    Set<String> names = new TreeSet<>();
    names.addAll(facts.notificationsByAlertname().keySet());
    names.addAll(facts.occurrencesByAlertname().keySet());
    names.addAll(facts.transitionsByAlertname().keySet());
    names.addAll(incidentsByName.keySet());
    List<NoisyAlert> noisy = new ArrayList<>();
    for (String name : names) {
      noisy.add(new NoisyAlert(name,
          facts.notificationsByAlertname().getOrDefault(name, 0L),
          facts.occurrencesByAlertname().getOrDefault(name, 0L),
          facts.transitionsByAlertname().getOrDefault(name, 0L),
          incidentsByName.getOrDefault(name, 0L)));
    }
    noisy.sort(ranking.comparator());
    List<NoisyAlert> noisiest = List.copyOf(noisy.subList(0, Math.min(Math.max(top, 1), noisy.size())));

    TimeTo mtta = timeTo(incidents, InsightFacts.IncidentFact::acknowledgedAt);
    TimeTo mttr = timeTo(incidents, InsightFacts.IncidentFact::resolvedAt);

    Map<LocalDate, Long> perDay = new LinkedHashMap<>();
    LocalDate first = LocalDate.ofInstant(facts.from(), ZoneOffset.UTC);
    LocalDate last = LocalDate.ofInstant(facts.to().minusMillis(1), ZoneOffset.UTC);
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      perDay.put(d, 0L);
    }
    for (InsightFacts.IncidentFact i : incidents) {
      perDay.computeIfPresent(LocalDate.ofInstant(i.startedAt(), ZoneOffset.UTC), (d, n) -> n + 1);
    }

    long total = 0;
    long suppressed = 0;
    Map<String, Long> reasons = new HashMap<>();
    for (Map.Entry<String, Long> e : facts.notificationsByOutcome().entrySet()) {
      total += e.getValue();
      if (!DELIVERING_OUTCOMES.contains(e.getKey())) {
        suppressed += e.getValue();
        reasons.merge(e.getKey(), e.getValue(), Long::sum);
      }
    }
    facts.suppressionsByReason().forEach((reason, n) -> reasons.merge(reason, n, Long::sum));
    Map<String, Long> byReason = new LinkedHashMap<>();
    reasons.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()
            .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> byReason.put(e.getKey(), e.getValue()));
    double share = total == 0 ? 0.0 : (double) suppressed / total;

    return new Insights(facts.from(), facts.to(), incidents.size(), noisiest, mtta, mttr, perDay,
        new Suppression(total, suppressed, share, byReason));
  }

  private static TimeTo timeTo(List<InsightFacts.IncidentFact> incidents,
      Function<InsightFacts.IncidentFact, @Nullable Instant> end) {
    List<Duration> all = new ArrayList<>();
    Map<String, List<Duration>> byName = new TreeMap<>();
    Map<String, List<Duration>> bySeverity = new TreeMap<>();
    Map<String, List<Duration>> byReceiver = new TreeMap<>();
    for (InsightFacts.IncidentFact i : incidents) {
      Instant at = end.apply(i);
      if (at == null) {
        continue;
      }
      Duration d = Duration.between(i.startedAt(), at);
      if (d.isNegative()) {
        d = Duration.ZERO;
      }
      all.add(d);
      byName.computeIfAbsent(i.alertname(), k -> new ArrayList<>()).add(d);
      bySeverity.computeIfAbsent(i.severity() == null ? NO_SEVERITY : i.severity(),
          k -> new ArrayList<>()).add(d);
      byReceiver.computeIfAbsent(i.receiver(), k -> new ArrayList<>()).add(d);
    }
    return new TimeTo(Mean.of(all), means(byName), means(bySeverity), means(byReceiver));
  }

  private static Map<String, Mean> means(Map<String, List<Duration>> groups) {
    Map<String, Mean> out = new LinkedHashMap<>();
    groups.forEach((k, v) -> out.put(k, Mean.of(v)));
    return out;
  }
}
