package dev.alertdesk.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Labels;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertQueryTest {
  private static Alert alert(Labels annotations, String generatorUrl) {
    return new Alert("fp", AlertStatus.FIRING, Labels.of("alertname", "HighErrorRate"),
        annotations, Instant.parse("2026-01-01T00:00:00Z"), null, generatorUrl);
  }

  @Test
  void generatorUrlIsDecodedWithPlusAsSpaceAndPercent2BAsPlus() {
    // As Prometheus 2.42 writes it (Go's url.QueryEscape of the rule's expression).
    String url = "http://prometheus-0.prometheus:9090/graph?g0.expr=rate%28http_requests_total"
        + "%7Bjob%3D%22api%22%7D%5B5m%5D%29+%2B+1+%3E+0.5&g0.tab=1";
    assertThat(AlertQuery.exprFromGeneratorUrl(url))
        .isEqualTo("rate(http_requests_total{job=\"api\"}[5m]) + 1 > 0.5");
  }

  @Test
  void multiLineRuleWithCommentIsRecoveredAndSplit() {
    String url = "http://prom:9090/graph?g0.expr=sum+by%28job%29+%28%0A++rate%28errors_total"
        + "%5B5m%5D%29%0A%29+%23+errors+per+second%0A%2F+sum+by%28job%29+%28rate%28requests_total"
        + "%5B5m%5D%29%29%0A%3E+0.05&g0.tab=1";
    String expr = AlertQuery.exprFromGeneratorUrl(url);
    assertThat(expr).isEqualTo("sum by(job) (\n  rate(errors_total[5m])\n) # errors per second\n"
        + "/ sum by(job) (rate(requests_total[5m]))\n> 0.05");
    AlertQuery q = AlertQuery.of(alert(Labels.EMPTY, url)).orElseThrow();
    assertThat(q.source()).isEqualTo(AlertQuery.Source.GENERATOR_URL);
    assertThat(q.seriesExpr()).isEqualTo("sum by(job) (\n  rate(errors_total[5m])\n) \n"
        + "/ sum by(job) (rate(requests_total[5m]))");
    assertThat(q.threshold()).isEqualTo(0.05);
    assertThat(q.thresholdExpr()).isEqualTo("0.05");
  }

  @Test
  void annotationsWinOverTheGeneratorUrlInOrder() {
    String url = "http://prom:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1";
    assertThat(AlertQuery.of(alert(Labels.of("promql_query", "a > 1", "graph_expr", "b"), url))
        .orElseThrow()).satisfies(q -> {
          assertThat(q.source()).isEqualTo(AlertQuery.Source.PROMQL_QUERY_ANNOTATION);
          assertThat(q.seriesExpr()).isEqualTo("a");
        });
    assertThat(AlertQuery.of(alert(Labels.of("graph_expr", "node_load1", "promql_query", " "), url))
        .orElseThrow()).satisfies(q -> {
          assertThat(q.source()).isEqualTo(AlertQuery.Source.GRAPH_EXPR_ANNOTATION);
          assertThat(q.expr()).isEqualTo("node_load1");
          assertThat(q.thresholdExpr()).isNull();
        });
    AlertQuery fromUrl = AlertQuery.of(alert(Labels.EMPTY, url)).orElseThrow();
    assertThat(fromUrl.seriesExpr()).isEqualTo("up");
    assertThat(fromUrl.threshold()).isEqualTo(0.0);
  }

  @Test
  void noQueryWithoutAnnotationsOrExpressionAndNeverTheAlertname() {
    assertThat(AlertQuery.of(alert(Labels.EMPTY, null))).isEmpty();
    assertThat(AlertQuery.of(alert(Labels.EMPTY, "http://prom:9090/graph?g0.tab=1"))).isEmpty();
    assertThat(AlertQuery.of(alert(Labels.EMPTY, "http://prom:9090/alerts"))).isEmpty();
    assertThat(AlertQuery.of(alert(Labels.EMPTY, "http://prom:9090/graph?g0.expr=%ZZ"))).isEmpty();
    assertThat(AlertQuery.of(alert(Labels.EMPTY, "http://prom:9090/graph?g0.expr=+"))).isEmpty();
  }

  @Test
  void labelMatchersStringsAndGroupingAreNotComparisons() {
    AlertQuery q = AlertQuery.split("sum by (code) (rate(http_requests_total{code!=\"200\", "
        + "path=~\"/a>b\"}[5m])) >= on(code) group_left() 10", AlertQuery.Source.GRAPH_EXPR_ANNOTATION);
    assertThat(q.seriesExpr()).isEqualTo("sum by (code) (rate(http_requests_total{code!=\"200\", "
        + "path=~\"/a>b\"}[5m]))");
    assertThat(q.threshold()).isEqualTo(10.0);
  }

  @Test
  void thresholdSplitHandlesBoolScalarsOnTheLeftAndExpressions() {
    AlertQuery bool = AlertQuery.split("errors > bool 1e3", AlertQuery.Source.GRAPH_EXPR_ANNOTATION);
    assertThat(bool.seriesExpr()).isEqualTo("errors");
    assertThat(bool.threshold()).isEqualTo(1000.0);

    AlertQuery swapped = AlertQuery.split("(0.9 < disk_used_ratio)",
        AlertQuery.Source.GRAPH_EXPR_ANNOTATION);
    assertThat(swapped.seriesExpr()).isEqualTo("disk_used_ratio");
    assertThat(swapped.threshold()).isEqualTo(0.9);

    AlertQuery expr = AlertQuery.split("node_load1 > 2 * count(node_cpu_seconds_total{mode=\"idle\"})",
        AlertQuery.Source.GRAPH_EXPR_ANNOTATION);
    assertThat(expr.seriesExpr()).isEqualTo("node_load1");
    assertThat(expr.thresholdExpr()).isEqualTo("2 * count(node_cpu_seconds_total{mode=\"idle\"})");
    assertThat(expr.threshold()).isNull();

    AlertQuery negative = AlertQuery.split("temperature_celsius < -(10)",
        AlertQuery.Source.GRAPH_EXPR_ANNOTATION);
    assertThat(negative.threshold()).isEqualTo(-10.0);
    assertThat(AlertQuery.split("x > (14.4 * 0.001)", AlertQuery.Source.GRAPH_EXPR_ANNOTATION)
        .threshold()).isCloseTo(0.0144, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(AlertQuery.split("x > 2 * count(up)", AlertQuery.Source.GRAPH_EXPR_ANNOTATION)
        .threshold()).isNull();
    assertThat(AlertQuery.split("x != 0x1F", AlertQuery.Source.GRAPH_EXPR_ANNOTATION).threshold())
        .isEqualTo(31.0);
  }

  @Test
  void setOperatorsKeepTheFirstOperandAndItsComparison() {
    AlertQuery and = AlertQuery.split("rate(errors_total[5m]) > 0.5 and on(job) up == 1",
        AlertQuery.Source.GRAPH_EXPR_ANNOTATION);
    assertThat(and.seriesExpr()).isEqualTo("rate(errors_total[5m])");
    assertThat(and.threshold()).isEqualTo(0.5);

    // Multi-window rules: the first alternative, not the boolean expression.
    AlertQuery or = AlertQuery.split("a > 1 or b > 2", AlertQuery.Source.GRAPH_EXPR_ANNOTATION);
    assertThat(or.seriesExpr()).isEqualTo("a");
    assertThat(or.threshold()).isEqualTo(1.0);
    AlertQuery nested = AlertQuery.split("(sum by (job) (x > 3) and y > 1) or z > 2",
        AlertQuery.Source.GRAPH_EXPR_ANNOTATION);
    assertThat(nested.seriesExpr()).isEqualTo("sum(x) by (job)");
    assertThat(nested.threshold()).isEqualTo(3.0);
    AlertQuery plainOr = AlertQuery.split("up == 0 or absent(up)",
        AlertQuery.Source.GRAPH_EXPR_ANNOTATION);
    assertThat(plainOr.seriesExpr()).isEqualTo("up");

    AlertQuery named = AlertQuery.split("order_errors_total > 3", AlertQuery.Source.GRAPH_EXPR_ANNOTATION);
    assertThat(named.seriesExpr()).isEqualTo("order_errors_total");
    assertThat(named.threshold()).isEqualTo(3.0);
  }

  @Test
  void plainExpressionHasNoThreshold() {
    AlertQuery q = AlertQuery.split("absent(up{job=\"api\"})", AlertQuery.Source.GENERATOR_URL);
    assertThat(q.seriesExpr()).isEqualTo("absent(up{job=\"api\"})");
    assertThat(Optional.ofNullable(q.thresholdExpr())).isEmpty();
  }
}
