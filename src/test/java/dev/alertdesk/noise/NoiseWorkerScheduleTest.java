package dev.alertdesk.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The {@link NoiseWorker}'s schedule: passes repeat once started and stop on close. */
class NoiseWorkerScheduleTest {
  private static final NoiseRules RULES = new NoiseRules(List.of(), Duration.ofMinutes(2),
      Duration.ZERO, 0, Duration.ofMinutes(1), 2, List.of("namespace"), Duration.ofMinutes(30));

  /** Counts the passes: each pass reads "now" once. */
  private static final class CountingClock extends Clock {
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      reads.incrementAndGet();
      return Instant.parse("2026-01-01T00:00:00Z");
    }
  }

  @Test
  void passesRepeatOnTheDeadlineThreadOnceStartedAndStopOnClose() throws Exception {
    CountingClock clock = new CountingClock();
    NoiseWorker worker = new NoiseWorker(new NoiseGate(RULES, "#alerts",
        IncidentResponseState.NONE), new InMemoryNoiseLedger(), clock, Duration.ofMillis(5),
        () -> { });
    assertThat(clock.reads).hasValue(0);

    worker.start();
    worker.start(); // idempotent: still one thread
    await().atMost(Duration.ofSeconds(10)).until(() -> clock.reads.get() >= 3);
    assertThat(Thread.getAllStackTraces().keySet()).filteredOn(
        t -> t.getName().equals("alertdesk-noise-deadlines")).hasSize(1);

    worker.close();
    int afterClose = clock.reads.get();
    Thread.sleep(100);
    assertThat(clock.reads).hasValue(afterClose);
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
        t -> t.getName().equals("alertdesk-noise-deadlines"));
  }
}
