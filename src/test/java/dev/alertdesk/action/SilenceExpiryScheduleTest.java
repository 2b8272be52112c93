package dev.alertdesk.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.alertmanager.AlertmanagerClient;
import dev.alertdesk.audit.AuditEntry;
import dev.alertdesk.slack.ResponseUrlResponder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The {@link SilenceExpiry} schedule: runs repeat once started and stop on close. What a run does
 * is covered by {@link SilenceExpiryIT}.
 */
class SilenceExpiryScheduleTest {

  /** Counts the runs: each run asks once for the "until resolved" silences; it holds none. */
  private static final class CountingStore implements ActionStore {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public List<ActionContext> untilResolvedSilences() {
      runs.incrementAndGet();
      return List.of();
    }

    @Override
    public Optional<Long> accept(String actionKey, String payloadJson, Instant now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<PendingInteraction> pending(Instant since) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void finish(long interactionId, Instant now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean hasParentIn(long incidentId, String channelId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<ActionContext> load(long incidentId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<ActionChange> apply(long incidentId,
        Function<ActionContext, ActionChange> step) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void audit(AuditEntry entry) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void runsRepeatOnItsOwnThreadOnceStartedAndStopOnClose() throws Exception {
    CountingStore store = new CountingStore();
    // Nothing is due, so neither Alertmanager (a closed port) nor Slack is called.
    SilenceExpiry expiry = new SilenceExpiry(store, new AlertmanagerClient("http://127.0.0.1:9"),
        new ActionWriter(store, ResponseUrlResponder.forSlackApi("http://127.0.0.1:9"), () -> { }),
        Clock.systemUTC());

    expiry.start(Duration.ofMillis(5));
    expiry.start(Duration.ofMillis(5)); // idempotent: still one thread
    await().atMost(Duration.ofSeconds(10)).until(() -> store.runs.get() >= 3);
    assertThat(Thread.getAllStackTraces().keySet()).filteredOn(
        t -> t.getName().equals("alertdesk-silence-expiry")).hasSize(1);

    expiry.close();
    int afterClose = store.runs.get();
    Thread.sleep(100);
    assertThat(store.runs).hasValue(afterClose);
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
        t -> t.getName().equals("alertdesk-silence-expiry"));
  }
}
