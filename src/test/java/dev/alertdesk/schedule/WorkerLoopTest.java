package dev.alertdesk.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerLoopTest {
  private static final Duration LONG_POLL = Duration.ofMinutes(10);

  @Test
  void aWakeUpRunsAPassAtOnceInsteadOfWaitingForThePoll() {
    AtomicInteger passes = new AtomicInteger();
    try (WorkerLoop loop = WorkerLoop.start("test-wake", LONG_POLL, Duration.ofSeconds(5), () -> {
      passes.incrementAndGet();
      return 0;
    })) {
      await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 1);
      loop.wake();
      await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 2);
      assertThat(loop.name()).isEqualTo("test-wake");
      assertThat(loop.stopping()).isFalse();
    }
  }

  @Test
  void passesRunBackToBackWhileTheyFindWork() {
    AtomicInteger work = new AtomicInteger(5);
    AtomicInteger passes = new AtomicInteger();
    try (WorkerLoop loop = WorkerLoop.start("test-work", LONG_POLL, Duration.ofSeconds(5), () -> {
      passes.incrementAndGet();
      return work.get() > 0 ? work.getAndDecrement() : 0;
    })) {
      await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 6);
      assertThat(work.get()).isZero();
    }
  }

  @Test
  void aFailingPassIsRetriedAndTheLoopStopsOnClose() {
    AtomicInteger passes = new AtomicInteger();
    WorkerLoop loop = WorkerLoop.start("test-fail", Duration.ofMillis(10), Duration.ofSeconds(5),
        () -> {
          if (passes.incrementAndGet() < 3) {
            throw new IllegalStateException("database down");
          }
          return 0;
        });
    await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() >= 3);
    loop.close();
    assertThat(loop.stopping()).isTrue();
    int after = passes.get();
    loop.wake();
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
        .until(() -> passes.get() == after);
  }

  @Test
  void aPollIntervalMustBePositive() {
    assertThatThrownBy(() -> WorkerLoop.start("bad", Duration.ZERO, Duration.ofSeconds(1),
        () -> 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
