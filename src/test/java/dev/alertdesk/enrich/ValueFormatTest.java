package dev.alertdesk.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValueFormatTest {
  @Test
  void plainNumbersUseThreeSignificantDigitsAndSiPrefixes() {
    ValueFormat f = ValueFormat.plain();
    assertThat(f.apply(0.87)).isEqualTo("0.87");
    assertThat(f.apply(0)).isEqualTo("0");
    assertThat(f.apply(12.345)).isEqualTo("12.3");
    assertThat(f.apply(100)).isEqualTo("100");
    assertThat(f.apply(1234)).isEqualTo("1.23k");
    assertThat(f.apply(999_999)).isEqualTo("1M");
    assertThat(f.apply(2.5e9)).isEqualTo("2.5G");
    assertThat(f.apply(-4200)).isEqualTo("-4.2k");
    assertThat(f.apply(0.0005)).isEqualTo("500µ");
    assertThat(f.apply(0.0123)).isEqualTo("0.0123");
    assertThat(f.apply(Double.NaN)).isEqualTo("NaN");
    assertThat(f.apply(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(f.apply(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void unitComesFromTheAnnotationFirst() {
    assertThat(ValueFormat.forQuery("percent", "x").apply(87.54)).isEqualTo("87.5%");
    assertThat(ValueFormat.forQuery("ratio", "x").apply(0.875)).isEqualTo("87.5%");
    assertThat(ValueFormat.forQuery("bytes", "x").apply(1.5 * 1024 * 1024 * 1024))
        .isEqualTo("1.5 GiB");
    assertThat(ValueFormat.forQuery("seconds", "x").apply(0.25)).isEqualTo("250 ms");
    assertThat(ValueFormat.forQuery("seconds", "x").apply(1.5)).isEqualTo("1.5 s");
    assertThat(ValueFormat.forQuery("s", "x").apply(0.000042)).isEqualTo("42 µs");
    assertThat(ValueFormat.forQuery("req/s", "x").apply(1500)).isEqualTo("1.5k req/s");
  }

  @Test
  void unitOtherwiseComesFromTheMetricNameSuffix() {
    assertThat(ValueFormat.forQuery(null, "1 - node_filesystem_avail_ratio{fstype!=\"tmpfs\"}")
        .unit()).isEqualTo(ValueFormat.Unit.RATIO);
    assertThat(ValueFormat.forQuery(null, "cpu_usage_percent").unit())
        .isEqualTo(ValueFormat.Unit.PERCENT);
    assertThat(ValueFormat.forQuery(null, "sum by (pod) (container_memory_working_set_bytes)")
        .unit()).isEqualTo(ValueFormat.Unit.BYTES);
    assertThat(ValueFormat.forQuery(null,
        "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))")
        .unit()).isEqualTo(ValueFormat.Unit.SECONDS);
    assertThat(ValueFormat.forQuery(null, "rate(http_requests_total[5m])").unit())
        .isEqualTo(ValueFormat.Unit.NONE);
    assertThat(ValueFormat.forQuery(null, "vector(1)").unit()).isEqualTo(ValueFormat.Unit.NONE);
  }
}
