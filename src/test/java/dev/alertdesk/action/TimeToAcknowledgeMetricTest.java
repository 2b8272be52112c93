package dev.alertdesk.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code alertdesk_time_to_acknowledge_seconds} as Prometheus scrapes it. */
class TimeToAcknowledgeMetricTest {
  @Test
  void theMaximumStillShowsAnAcknowledgementScrapedMinutesLater() {
    MockClock clock = new MockClock();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
        new PrometheusRegistry(), clock);
    Timer mtta = AcknowledgeHandler.timeToAcknowledge(registry);

    mtta.record(Duration.ofSeconds(60));
    clock.add(Duration.ofMinutes(10));

    assertThat(registry.scrape()).contains("alertdesk_time_to_acknowledge_seconds_count 1")
        .contains("alertdesk_time_to_acknowledge_seconds_sum 60.0")
        .contains("alertdesk_time_to_acknowledge_seconds_max 60.0");
    assertThat(mtta.max(TimeUnit.SECONDS)).isEqualTo(60);
  }
}
