package dev.alertdesk.enrich;

import dev.alertdesk.alert.Alert;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the Prometheus server an alert is queried at: the first configured
 * {@link PrometheusDatasource} that {@link PrometheusDatasource#matches matches} it, else the
 * default ({@code PROMETHEUS_URL}). The host in an alert's {@code generatorURL} is only compared
 * with configured prefixes, never queried: an alert from an unknown origin is queried at the
 * default, so a crafted {@code generatorURL} cannot make Alertdesk call an arbitrary host (SSRF).
 * Thread-safe; each datasource has one {@link PrometheusClient} with its own cache.
 */
public final class PrometheusDatasources {
  private final PrometheusClient defaultClient;
  private final List<PrometheusDatasource> entries;
  private final List<PrometheusClient> clients;

  /**
   * @param defaultClient queries {@code PROMETHEUS_URL}
   * @param entries the {@code prometheus} section, in file order; may be empty
   * @param clock the source of "now" for the clients' caches
   * @param metrics where the clients' counters are registered
   */
  public PrometheusDatasources(PrometheusClient defaultClient, List<PrometheusDatasource> entries,
      Clock clock, MeterRegistry metrics) {
    this.defaultClient = defaultClient;
    this.entries = List.copyOf(entries);
    List<PrometheusClient> built = new ArrayList<>();
    for (PrometheusDatasource d : this.entries) {
      built.add(new PrometheusClient(d, clock, metrics));
    }
    this.clients = List.copyOf(built);
  }

  /** Only the default server. */
  public static PrometheusDatasources single(PrometheusClient defaultClient) {
    return new PrometheusDatasources(defaultClient, List.of(), Clock.systemUTC(),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  /** Returns the client of the first entry matching {@code alert}, else the default's. */
  public PrometheusClient choose(Alert alert) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).matches(alert)) {
        return clients.get(i);
      }
    }
    return defaultClient;
  }

  /** Returns true when entries besides the default exist, so messages name the datasource. */
  public boolean several() {
    return !entries.isEmpty();
  }

  /** Returns the configured entries, in file order (the default not among them). */
  public List<PrometheusDatasource> entries() {
    return entries;
  }
}
