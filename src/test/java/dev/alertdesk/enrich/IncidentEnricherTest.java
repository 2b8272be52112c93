package dev.alertdesk.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alertdesk.graph.TimeSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncidentEnricherTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TimeSeries one(Map<String, String> labels, double v) {
    return new TimeSeries(labels, new long[] {0}, new double[] {v});
  }

  @Test
  void theAlertsOwnSeriesIsChosenElseTheFirst() {
    List<TimeSeries> result = List.of(
        one(Map.of("__name__", "up", "instance", "a"), 1),
        one(Map.of("__name__", "up", "instance", "b", "job", "node"), 0),
        one(Map.of("__name__", "up", "instance", "b"), 0.5));
    Map<String, String> alert = Map.of("alertname", "Down", "instance", "b", "job", "node");
    assertThat(IncidentEnricher.bestMatch(result, alert).values()).containsExactly(0.0);
    assertThat(IncidentEnricher.bestMatch(result, Map.of("instance", "z")).values())
        .containsExactly(1.0);
  }

  @Test
  void anEqualityRuleSaysWhenItAlertsInsteadOfNamingAThreshold() {
    ValueFormat plain = ValueFormat.plain();
    AlertQuery down = AlertQuery.split("up{job=\"api\"} == 0", AlertQuery.Source.GENERATOR_URL);
    AlertQuery notOne = AlertQuery.split("kube_node_ready != 1", AlertQuery.Source.GENERATOR_URL);
    AlertQuery above = AlertQuery.split("0.9 < errors_ratio", AlertQuery.Source.GENERATOR_URL);

    assertThat(IncidentEnricher.thresholdWords(down, plain)).isEqualTo("alerts when = 0");
    assertThat(IncidentEnricher.thresholdWords(notOne, plain)).isEqualTo("alerts when ≠ 1");
    assertThat(IncidentEnricher.thresholdWords(above, plain)).isEqualTo("threshold 0.9");
    assertThat(above.comparison()).isEqualTo(">");
  }
}
