package dev.alertdesk.testing;

import dev.alertdesk.history.HistoryRepository;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.slack.SlackMessageComposer;
import dev.alertdesk.store.Database;
import dev.alertdesk.store.JdbiHistoryRepository;
import dev.alertdesk.store.JdbiMessageState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The outbox rows of an incident as the message preview shows them: sent messages as sent, the
 * others composed now from the database's current state by the service's composer.
 */
public final class ComposedMessages {
  private ComposedMessages() {}

  /** The incident's messages, oldest first, with the given noise rules and no action buttons. */
  public static List<HistoryRepository.RenderedMessage> of(Database database, Clock clock,
      NoiseRules rules, long incidentId) {
    return of(database, clock, rules, incidentId, false);
  }

  /**
   * The incident's messages, oldest first.
   *
   * @param interactive true to compose the action buttons, as with {@code SLACK_SIGNING_SECRET}
   */
  public static List<HistoryRepository.RenderedMessage> of(Database database, Clock clock,
      NoiseRules rules, long incidentId, boolean interactive) {
    return new JdbiHistoryRepository(database, Path.of("unused-charts"),
        new SlackMessageComposer(clock, interactive, rules, new JdbiMessageState(database, clock)))
        .messages(incidentId);
  }

  /** The payload of the first message of {@code kind} (e.g. {@code PARENT_UPDATE}). */
  public static String first(Database database, Clock clock, NoiseRules rules, long incidentId,
      String kind) {
    return of(database, clock, rules, incidentId).stream()
        .filter(m -> m.kind().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " message of incident " + incidentId))
        .payloadJson();
  }
}
