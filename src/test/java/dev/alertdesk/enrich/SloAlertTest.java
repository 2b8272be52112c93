package dev.alertdesk.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Labels;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading SLO alerts of Sloth (Autometrics) and Pyrra, and the queries and titles made of them. */
class SloAlertTest {
  /** The expression of Autometrics' page alert for latency-99, as its generatorURL carries it. */
  private static final String SLOTH_PAGE_EXPR = "(max without (sloth_window) "
      + "(slo:sli_error:ratio_rate5m{sloth_id=\"autometrics-latency-99\",sloth_service="
      + "\"autometrics\",sloth_slo=\"latency-99\"} > (14.4 * 0.01)) and max without (sloth_window) "
      + "(slo:sli_error:ratio_rate1h{sloth_id=\"autometrics-latency-99\",sloth_service="
      + "\"autometrics\",sloth_slo=\"latency-99\"} > (14.4 * 0.01))) or (max without (sloth_window) "
      + "(slo:sli_error:ratio_rate30m{sloth_id=\"autometrics-latency-99\",sloth_service="
      + "\"autometrics\",sloth_slo=\"latency-99\"} > (6 * 0.01)) and max without (sloth_window) "
      + "(slo:sli_error:ratio_rate6h{sloth_id=\"autometrics-latency-99\",sloth_service="
      + "\"autometrics\",sloth_slo=\"latency-99\"} > (6 * 0.01)))";
  private static final String PYRRA_EXPR = "http_requests:burnrate5m{slo=\"api-errors\"} > "
      + "(14 * (1-0.995)) and http_requests:burnrate1h{slo=\"api-errors\"} > (14 * (1-0.995))";

  private static Alert alert(Map<String, String> labels) {
    return new Alert("0000000000000001", AlertStatus.FIRING, new Labels(labels), Labels.EMPTY,
        Instant.parse("2026-12-04T10:00:00Z"), null, null);
  }

  private static Map<String, String> autometricsLatencyLabels() {
    // The labels of the autometrics slack-app's own test payload (quickmetrics).
    Map<String, String> l = new HashMap<>();
    l.put("alertname", "High Latency SLO - 99%");
    l.put("category", "latency");
    l.put("objective_name", "Animal API SLO for Low Latency (100ms)");
    l.put("objective_percentile", "99");
    l.put("service_name", "autometrics");
    l.put("severity", "page");
    l.put("sloth_id", "autometrics-latency-99");
    l.put("sloth_service", "autometrics");
    l.put("sloth_severity", "page");
    l.put("sloth_slo", "latency-99");
    return l;
  }

  @Test
  void anAutometricsLatencyAlertIsReadWithItsObjectiveAndConditions() {
    SloAlert slo = SloAlert.of(alert(autometricsLatencyLabels()), SLOTH_PAGE_EXPR).orElseThrow();

    assertThat(slo.generator()).isEqualTo(SloAlert.Generator.SLOTH);
    assertThat(slo.kind()).isEqualTo(SloAlert.Kind.LATENCY);
    assertThat(slo.objective()).isEqualTo(0.99);
    assertThat(slo.objectiveText()).isEqualTo("99 %");
    assertThat(slo.budget()).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(slo.service()).isEqualTo("autometrics");
    assertThat(slo.conditions()).containsExactly(
        new SloAlert.BurnCondition("5m", "1h", 14.4), new SloAlert.BurnCondition("30m", "6h", 6));
    assertThat(slo.sliWindow()).isEqualTo("5m");
    assertThat(slo.sliMatchers()).isEqualTo("sloth_id=\"autometrics-latency-99\", "
        + "objective_name=\"Animal API SLO for Low Latency (100ms)\"");
    assertThat(SloGraphs.title(slo, 0.1))
        .isEqualTo("autometrics · Animal API SLO for Low Latency (100ms) · latency p99 "
            + "(objective 99 % within 100 ms)");
  }

  @ParameterizedTest(name = "sloth_slo={0}, objective_percentile={1} → {2}")
  @CsvSource(delimiter = ';', nullValues = "-", value = {
      "success-rate-99_9; -; 0.999",
      "success-rate-99; 99.9; 0.999",
      "success-rate-95; 95; 0.95",
      "latency-99_99; -; 0.9999",
      "success-rate-99_95; -; 0.9995"})
  void theObjectiveComesFromThePercentileLabelElseTheSloName(String slothSlo, String percentile,
      double objective) {
    Map<String, String> labels = new HashMap<>(Map.of("sloth_slo", slothSlo,
        "objective_name", "api"));
    if (percentile != null) {
      labels.put("objective_percentile", percentile);
    }
    SloAlert slo = SloAlert.of(alert(labels), null).orElseThrow();
    assertThat(slo.objective()).isCloseTo(objective, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(slo.quantile()).isEqualTo(String.valueOf(objective));
    assertThat(slo.objectiveText()).isEqualTo(
        new java.math.BigDecimal(String.valueOf(objective)).movePointRight(2)
            .stripTrailingZeros().toPlainString() + " %");
  }

  @Test
  void withoutSloLabelsOrObjectiveThereIsNoSlo() {
    assertThat(SloAlert.of(alert(Map.of("alertname", "HighLatency")), "x > 1")).isEmpty();
    assertThat(SloAlert.of(alert(Map.of("sloth_slo", "availability")), null)).isEmpty();
    assertThat(SloAlert.of(alert(Map.of("slo", "api")), "up == 0")).isEmpty();
  }

  @Test
  void aPyrraAlertIsReadFromItsBurnRateExpression() {
    SloAlert slo = SloAlert.of(alert(Map.of("alertname", "ErrorBudgetBurn", "slo", "api-errors",
        "severity", "critical", "long", "1h", "short", "5m")), PYRRA_EXPR).orElseThrow();

    assertThat(slo.generator()).isEqualTo(SloAlert.Generator.PYRRA);
    assertThat(slo.kind()).isEqualTo(SloAlert.Kind.ERROR_RATIO);
    assertThat(slo.objective()).isEqualTo(0.995);
    assertThat(slo.objectiveText()).isEqualTo("99.5 %");
    assertThat(slo.conditions()).containsExactly(new SloAlert.BurnCondition("5m", "1h", 14));
    assertThat(SloGraphs.errorRatio(slo, slo.sliWindow()))
        .isEqualTo("http_requests:burnrate5m{slo=\"api-errors\"}");
  }

  @Test
  void labelValuesAreQuotedForPromQl() {
    SloAlert slo = SloAlert.of(alert(Map.of("sloth_slo", "success-rate-99",
        "objective_name", "a\"b\\c\nd")), null).orElseThrow();
    assertThat(slo.sliMatchers()).isEqualTo(
        "sloth_slo=\"success-rate-99\", objective_name=\"a\\\"b\\\\c\\nd\"");
  }

  @Test
  void theAutometricsQueriesFollowTheSpec() {
    SloAlert slo = SloAlert.of(alert(Map.of("sloth_id", "autometrics-success-rate-99",
        "sloth_slo", "success-rate-99", "objective_name", "api", "objective_percentile", "99",
        "service_name", "animals")), null).orElseThrow();

    String rate = SloGraphs.successRate(slo, "300s");
    assertThat(rate)
        .contains("{__name__=~\"function_calls(_count)?(_total)?\", result=\"ok\", "
            + "objective_name=\"api\", objective_percentile=\"99\"}[300s]")
        .contains("sum by (function, module, version, commit)")
        .contains("group_left (version, commit)")
        .contains("build_info");
    assertThat(SloGraphs.latency(slo, "300s")).startsWith("histogram_quantile(0.99, ")
        .contains("function_calls_duration(_seconds)?_bucket");
    assertThat(SloGraphs.title(slo, null)).isEqualTo("animals · api · success rate (objective 99 %)");
    assertThat(SloGraphs.rateWindow(30)).isEqualTo("300s");
    assertThat(SloGraphs.rateWindow(120)).isEqualTo("480s");
    assertThat(SloGraphs.percent(-0.6666667)).isEqualTo("-66.7 %");
  }

  @Test
  void theSlothExpressionIsDrawnAsItsFirstWindowNotAsABoolean() {
    AlertQuery q = AlertQuery.split(SLOTH_PAGE_EXPR, AlertQuery.Source.GENERATOR_URL);
    assertThat(q.seriesExpr()).isEqualTo("max(slo:sli_error:ratio_rate5m{sloth_id="
        + "\"autometrics-latency-99\",sloth_service=\"autometrics\",sloth_slo=\"latency-99\"}) "
        + "without (sloth_window)");
    assertThat(q.threshold()).isCloseTo(0.144, org.assertj.core.data.Offset.offset(1e-12));

    AlertQuery pyrra = AlertQuery.split(PYRRA_EXPR, AlertQuery.Source.GENERATOR_URL);
    assertThat(pyrra.seriesExpr()).isEqualTo("http_requests:burnrate5m{slo=\"api-errors\"}");
    assertThat(pyrra.threshold()).isCloseTo(0.07, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(List.of(AlertQuery.split("a > 1 or b > 2", AlertQuery.Source.GENERATOR_URL)
        .seriesExpr())).containsExactly("a");
  }
}
