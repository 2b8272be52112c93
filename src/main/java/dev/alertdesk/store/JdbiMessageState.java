package dev.alertdesk.store;

import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.incident.StorageException;
import dev.alertdesk.noise.StormMember;
import dev.alertdesk.noise.StormTally;
import dev.alertdesk.noise.StormState;
import dev.alertdesk.remediation.RemediationRequest;
import dev.alertdesk.slack.MessageState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * {@link MessageState} on the incident database: the state the outbox worker composes a message
 * from, read on one handle per message, without locks (the message shows the state of the moment
 * it is composed). Thread-safe.
 */
public final class JdbiMessageState implements MessageState {
  private final Database database;
  private final Clock clock;

  /**
   * @param database the incident database
   * @param clock "now" for the reads that need one
   */
  public JdbiMessageState(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public <T> T read(Function<Reader, T> work) {
    try {
      return database.jdbi().withHandle(h -> {
        // A ledger used only for reads: it writes nothing (no enqueue, no lock is taken).
        JdbiNoiseLedger ledger = new JdbiNoiseLedger(h, false, clock.instant());
        return work.apply(new Reader() {
          @Override
          public @Nullable Incident incident(long incidentId) {
            return JdbiIncidentRepository.loadIncident(h, incidentId).orElse(null);
          }

          @Override
          public IncidentResponse response(long incidentId, Instant now) {
            return JdbiIncidentResponses.load(h, incidentId, now);
          }

          @Override
          public @Nullable String mention(long incidentId, String channel) {
            return h.createQuery("SELECT mention FROM incident_channel WHERE incident_id = :id "
                    + "AND channel = :channel")
                .bind("id", incidentId).bind("channel", channel)
                .mapTo(String.class).findOne().orElse(null);
          }

          @Override
          public int flappingTransitions(long incidentId, Instant since) {
            return ledger.flappingTransitions(incidentId, since);
          }

          @Override
          public @Nullable StormState storm(long stormId) {
            return ledger.storm(stormId);
          }

          @Override
          public List<StormMember> stormMembers(long stormId) {
            return ledger.stormMembers(stormId);
          }

          @Override
          public StormTally stormTally(long stormId) {
            return ledger.stormTally(stormId);
          }

          @Override
          public List<RemediationRequest> remediations(long incidentId) {
            return JdbiRemediationStore.forIncident(h, incidentId);
          }

          @Override
          public @Nullable RemediationRequest remediation(String requestId) {
            return JdbiRemediationStore.find(h, requestId).orElse(null);
          }
        });
      });
    } catch (JdbiException e) {
      throw new StorageException("could not read the state of a Slack message", e);
    }
  }
}
