package dev.alertdesk.store;

import dev.alertdesk.ingest.IngestPipeline;
import dev.alertdesk.ingest.IngestPipelineFactory;
import dev.alertdesk.noise.IncidentResponseState;
import dev.alertdesk.noise.NoiseRules;
import static dev.alertdesk.testing.StoreFixture.CHANNEL;
import static dev.alertdesk.testing.StoreFixture.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.incident.NotificationOutcome;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.testing.StoreFixture;
import dev.alertdesk.testing.TcpProxy;
import dev.alertdesk.testing.TestDatabases;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AbstractIncidentStoreIT} on PostgreSQL: one new database for the class, emptied before
 * each test. The server comes from {@code ALERTDESK_TEST_POSTGRES_URL}. Adds what only a server
 * can do: be unreachable, and go away after start-up.
 */
class PostgresIncidentStoreIT extends AbstractIncidentStoreIT {
  @RegisterExtension
  static final TestDatabases.PostgresExtension POSTGRES = TestDatabases.postgres();

  @Override
  protected DatabaseTarget newDatabase() {
    POSTGRES.database().reset();
    return POSTGRES.database().target();
  }

  @Test
  void anUnreachableServerFailsMigrationAndIsReportedAsStorageUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    DatabaseTarget target = DatabaseTarget.parse(
        "postgres://alertdesk:unused@127.0.0.1:" + closedPort + "/alertdesk");
    try (Database database = Database.open(target)) {
      assertThatThrownBy(database::migrate).isInstanceOf(RuntimeException.class);
      assertThat(database.isMigrated()).isFalse();
      JdbiIncidentRepository repository = new JdbiIncidentRepository(database);
      IngestPipeline pipeline = new IngestPipelineFactory(store.clock(), store.engine(),
          CHANNEL, false, NoiseRules.NONE)
          .pipeline(new JdbiIngestStore(database, true), IncidentResponseState.NONE);
      assertThatThrownBy(() -> repository.list(null, 10, 0)).isInstanceOf(StorageException.class);
      assertThatThrownBy(() -> pipeline.ingest(received(payloadOf("api-1"))))
          .isInstanceOf(StorageException.class);
    }
  }

  @Test
  void aServerThatGoesAwayAfterStartIsStorageUnavailableWritesNothingAndRecovers()
      throws Exception {
    URI server = POSTGRES.database().serverAddress();
    int serverPort = server.getPort() < 0 ? 5432 : server.getPort();
    try (TcpProxy proxy = new TcpProxy(server.getHost(), serverPort)) {
      String viaProxy = POSTGRES.database().connectionString()
          .replace(":" + serverPort + "/", ":" + proxy.port() + "/");
      try (StoreFixture flaky = new StoreFixture(DatabaseTarget.parse(viaProxy), true)) {
        assertThat(flaky.ingest(group().firing("api-1", START)).outcome())
            .isEqualTo(NotificationOutcome.OPENED);

        proxy.cut();
        assertThatThrownBy(() -> flaky.ingest(group().firing("api-2", START)))
            .isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> flaky.repository().list(null, 10, 0))
            .isInstanceOf(StorageException.class);
        assertThat(store.count("notification")).isEqualTo(1);
        assertThat(store.count("incident_alert")).isEqualTo(1);

        proxy.restore();
        await().atMost(Duration.ofSeconds(20))
            .ignoreException(StorageException.class)
            .until(() -> flaky.ingest(group().firing("api-2", START)).outcome(),
                outcome -> outcome == NotificationOutcome.UPDATED);
        assertThat(store.count("incident")).isEqualTo(1);
        assertThat(store.count("incident_alert")).isEqualTo(2);
      }
    }
  }
}
