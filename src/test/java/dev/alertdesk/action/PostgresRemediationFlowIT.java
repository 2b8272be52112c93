package dev.alertdesk.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.remediation.ExecutorKind;
import dev.alertdesk.remediation.RemediationRequest;
import dev.alertdesk.remediation.RemediationState;
import dev.alertdesk.slack.RemediationMessageRenderer;
import dev.alertdesk.slack.ResponseUrlResponder;
import dev.alertdesk.slack.SlackInteraction;
import dev.alertdesk.store.Database;
import dev.alertdesk.store.JdbiActionStore;
import dev.alertdesk.store.JdbiRemediationStore;
import dev.alertdesk.testing.SlackRequests;
import dev.alertdesk.testing.StoreFixture;
import dev.alertdesk.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AbstractRemediationFlowIT} on PostgreSQL, plus the same approval clicked at two replicas
 * at once: two dispatchers, each with its own connection pool, on one database.
 */
class PostgresRemediationFlowIT extends AbstractRemediationFlowIT {
  @RegisterExtension
  static final TestDatabases.PostgresExtension POSTGRES = TestDatabases.postgres();

  @Override
  protected DatabaseTarget newDatabase() {
    POSTGRES.database().reset();
    return POSTGRES.database().target();
  }

  @Override
  protected String connectionString() {
    return POSTGRES.database().connectionString();
  }

  @Test
  void theSameApprovalAtTwoReplicasExecutesOnce() throws Exception {
    long id = openIncident();
    requestRestart("UALICE", id);
    RemediationRequest r = only(id);
    try (Database second = Database.open(store.target())) {
      second.migrate();
      JdbiActionStore actionStore2 = new JdbiActionStore(second, store.clock(), true,
          StoreFixture.CHANNEL);
      ActionWriter writer2 = new ActionWriter(actionStore2,
          ResponseUrlResponder.forSlackApi(slack.apiUrl()), () -> { });
      RemediationFlow flow2 = new RemediationFlow(new JdbiRemediationStore(second, store.clock(),
          true), flow.catalogue(), Map.of(ExecutorKind.KUBERNETES, executor), rbac,
          () -> true, writer2, () -> { }, store.clock());
      List<ActionHandler> handlers = new ArrayList<>(RemediationDecisionHandler.all(flow2));
      try (ActionDispatcher replica2 = new ActionDispatcher(actionStore2, writer2, store.clock(),
          handlers, rbac)) {
        // The same click (a Slack retry landing on the other replica) and another approver's.
        String payload = SlackRequests.blockActions("UBOB", "bob",
            RemediationMessageRenderer.APPROVE, id + ":" + r.id(), false, "1700000009.1",
            slack.responseUrl(), PARENT_TS);
        String other = SlackRequests.blockActions("UDAN", "dan",
            RemediationMessageRenderer.APPROVE, id + ":" + r.id(), false, "1700000009.2",
            slack.responseUrl(), PARENT_TS);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          ActionDispatcher d = i % 2 == 0 ? actions : replica2;
          SlackInteraction interaction = SlackInteraction.parse(i < 2 ? payload : other);
          done.add(pool.submit(() -> {
            go.await();
            d.dispatch(interaction, interaction.actions().get(0));
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
      }
    }
    assertThat(executor.executions()).hasSize(1);
    assertThat(store.count("remediation_execution")).isEqualTo(1);
    assertThat(remediations.find(r.id()).orElseThrow().state())
        .isEqualTo(RemediationState.SUCCEEDED);
    assertAuditChainVerifies();
  }
}
