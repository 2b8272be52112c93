package dev.alertdesk.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PeriodicJobTest {
  private static final Duration MS = Duration.ofMillis(1);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger logger;

  @BeforeEach
  void captureLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    logger = context.getLogger(PeriodicJob.class);
    logs.setContext(context);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(logs);
  }

  @Test
  void runsTheJobAgainAfterEachDelayOnANamedDaemonThread() {
    List<Thread> threads = new CopyOnWriteArrayList<>();
    try (PeriodicJob job = PeriodicJob.start("test-runs", Duration.ZERO, MS, MS,
        () -> threads.add(Thread.currentThread()))) {
      await().until(() -> threads.size() >= 3);
      assertThat(job.name()).isEqualTo("test-runs");
    }
    assertThat(threads).allSatisfy(t -> {
      assertThat(t.getName()).isEqualTo("alertdesk-test-runs");
      assertThat(t.isDaemon()).isTrue();
    });
  }

  @Test
  void aFailedRunIsRetriedAfterTheRetryDelayAndLoggedWithBackoff() {
    AtomicInteger runs = new AtomicInteger();
    try (PeriodicJob job = PeriodicJob.start("test-failing", Duration.ZERO, Duration.ofDays(1),
        MS, () -> {
          if (runs.incrementAndGet() <= 9) {
            throw new IllegalStateException("database down");
          }
        })) {
      await().until(() -> runs.get() >= 10);
    }

    // Failures 1, 2, 4 and 8 of 9 are logged, then the recovery: not one line per failure.
    List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.subList(0, 4)).allSatisfy(line -> assertThat(line)
        .startsWith("job failed, will retry job=test-failing").endsWith(": database down"));
    assertThat(lines.subList(0, 4)).extracting(line -> line.split(" ")[5])
        .containsExactly("failures=1", "failures=2", "failures=4", "failures=8");
    assertThat(lines.get(4)).isEqualTo("job recovered job=test-failing failures=9");
    // The success after the failures waits the normal delay, a day: the job ran exactly 10 times.
    assertThat(runs).hasValue(10);
  }

  @Test
  void closeLetsTheRunInProgressFinishAndStartsNoOther() throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    PeriodicJob job = PeriodicJob.start("test-close", Duration.ZERO, MS, MS, () -> {
      started.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      finished.incrementAndGet();
    });
    await().until(() -> started.get() == 1);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(job::close);
    await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2))
        .until(() -> !closing.isDone());
    release.countDown();
    closing.get(5, TimeUnit.SECONDS);

    assertThat(finished).hasValue(1);
    await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2))
        .until(() -> started.get() == 1);
  }

  @Test
  void delaysMustBePositive() {
    assertThatThrownBy(() -> PeriodicJob.start("x", Duration.ZERO, Duration.ZERO, MS, () -> { }))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
