package dev.alertdesk.web;

import dev.alertdesk.graph.ChartRepository;
import dev.alertdesk.graph.StoredChart;
import java.util.List;
import java.util.Map;

/**
 * The incident page's Prometheus graphs: the charts the enrichment rendered for an incident,
 * served at {@code /api/charts/{id}.png}. No audit entries (the audit log is read directly).
 */
public final class ChartGraphs implements IncidentExtras {
  private final ChartRepository charts;

  /** @param charts where rendered charts are stored */
  public ChartGraphs(ChartRepository charts) {
    this.charts = charts;
  }

  @Override
  public List<Graph> graphs(long incidentId) {
    return charts.chartsForIncident(incidentId).stream().map(ChartGraphs::graph).toList();
  }

  private static Graph graph(StoredChart c) {
    String when = switch (c.kind()) {
      case FIRING -> "while firing";
      case RESOLVED -> "after resolution";
    };
    return new Graph("Prometheus: " + c.query() + " (" + when + ")",
        "/api/charts/" + c.id() + ".png");
  }

  @Override
  public List<Map<String, Object>> audit(long incidentId) {
    return List.of();
  }
}
