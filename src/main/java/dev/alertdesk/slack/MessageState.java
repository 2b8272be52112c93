package dev.alertdesk.slack;

import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.noise.ChannelState;
import dev.alertdesk.noise.NoiseLedger;
import dev.alertdesk.noise.StormMember;
import dev.alertdesk.noise.StormTally;
import dev.alertdesk.noise.StormState;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The current state {@link SlackMessageComposer} reads when it composes a message: the
 * database in the service ({@code store.JdbiMessageState}), the in-memory ledger in a dry run
 * ({@link #of(NoiseLedger)}).
 */
public interface MessageState {
  /**
   * Runs {@code work} with a reader of the current state (one database handle in the service).
   *
   * @throws dev.alertdesk.incident.StorageException when the database fails
   */
  <T> T read(Function<Reader, T> work);

  /** Reads of the state one message needs; every list returned is bounded by its source. */
  interface Reader {
    /** The incident with its members, or null when it is gone (retention). */
    @Nullable Incident incident(long incidentId);

    /** Who acknowledged the incident, its silence and snoozes, as of {@code now}. */
    IncidentResponse response(long incidentId, Instant now);

    /** The mention of the route that sent the incident to {@code channel}, or null. */
    @Nullable String mention(long incidentId, String channel);

    /** The most transitions of any flapping member since {@code since}; 0 when none flaps. */
    int flappingTransitions(long incidentId, Instant since);

    /** The storm, or null when unknown. */
    @Nullable StormState storm(long stormId);

    /**
     * The storm's incidents in their current state, oldest first; at most {@link
     * dev.alertdesk.noise.NoiseLedger#MAX_STORM_MEMBERS}.
     */
    List<StormMember> stormMembers(long stormId);

    /** How many incidents the storm rolled up, and how many of them fire. */
    StormTally stormTally(long stormId);

    /**
     * The incident's remediation requests, newest first, at most 100; empty where there is no
     * remediation store (a dry run).
     */
    default List<dev.alertdesk.remediation.RemediationRequest> remediations(long incidentId) {
      return List.of();
    }

    /** The remediation request with this id, or null when unknown. */
    default dev.alertdesk.remediation.@Nullable RemediationRequest remediation(String requestId) {
      return null;
    }
  }

  /** The state held by a noise ledger, for a dry run over the in-memory ledger. */
  static MessageState of(NoiseLedger ledger) {
    Reader reader = readerOf(ledger);
    return new MessageState() {
      @Override
      public <T> T read(Function<Reader, T> work) {
        return work.apply(reader);
      }
    };
  }

  /** A reader over a noise ledger bound to an open transaction or in memory. */
  static Reader readerOf(NoiseLedger ledger) {
    return new Reader() {
      @Override
      public @Nullable Incident incident(long incidentId) {
        return ledger.lockIncident(incidentId);
      }

      @Override
      public IncidentResponse response(long incidentId, Instant now) {
        return ledger.response(incidentId, now);
      }

      @Override
      public @Nullable String mention(long incidentId, String channel) {
        for (ChannelState s : ledger.channels(incidentId)) {
          if (s.channel().equals(channel)) {
            return s.mention();
          }
        }
        return null;
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
    };
  }
}
