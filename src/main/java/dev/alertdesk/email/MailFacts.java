package dev.alertdesk.email;

import dev.alertdesk.incident.Incident;
import dev.alertdesk.incident.IncidentResponse;
import dev.alertdesk.noise.StormMember;
import dev.alertdesk.noise.StormState;
import dev.alertdesk.noise.StormTally;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one mail is composed from: the incident's state when the mail is sent, read by
 * {@link EmailSender}; {@link EmailComposer} turns it into a mail without I/O.
 *
 * @param incident the incident, or null when it is gone (retention)
 * @param response who acknowledged or silenced it
 * @param valueLine "Current value: 42 (threshold 10)" in Slack mrkdwn, or null
 * @param graph the stored chart, or null when there is none
 * @param graphNote why there is no graph, in plain text, or null
 * @param slackThreadUrl a link that opens the incident's Slack thread, or null
 * @param incidentUrl the incident page ({@code BASE_URL/incidents/ID}), or null without
 *     {@code BASE_URL}
 * @param storm for a storm mail, the storm; else null
 * @param now when the mail is composed
 */
public record MailFacts(
    @Nullable Incident incident,
    IncidentResponse response,
    @Nullable String valueLine,
    @Nullable Graph graph,
    @Nullable String graphNote,
    @Nullable String slackThreadUrl,
    @Nullable String incidentUrl,
    @Nullable Storm storm,
    Instant now) {

  /**
   * A stored chart.
   *
   * @param png the PNG
   * @param caption what it shows (the query or SLO title), plain text
   */
  public record Graph(byte[] png, String caption) {}

  /**
   * A storm as its mail shows it.
   *
   * @param state the storm
   * @param tally how many incidents it rolled up, and how many fire
   * @param members its incidents, oldest first, at most as many as the ledger lists
   */
  public record Storm(StormState state, StormTally tally, List<StormMember> members) {
    /** Copies the list. */
    public Storm {
      members = List.copyOf(members);
    }
  }
}
