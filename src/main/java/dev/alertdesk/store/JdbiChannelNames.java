package dev.alertdesk.store;

import dev.alertdesk.incident.StorageException;
import dev.alertdesk.rbac.ChannelNames;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link ChannelNames} from the incident messages posted: each {@code slack_message} row holds
 * the channel as configured (a route's {@code channel} or {@code SLACK_CHANNEL}, such as
 * {@code #alerts}) and the ID Slack answered for it. At most {@value #MAX_NAMES} names.
 */
public final class JdbiChannelNames implements ChannelNames {
  static final int MAX_NAMES = 20;

  private final Database database;

  /** @param database a migrated database */
  public JdbiChannelNames(Database database) {
    this.database = database;
  }

  /**
   * @throws StorageException when the database fails
   */
  @Override
  public Set<String> namesOf(String channelId) {
    try {
      return new LinkedHashSet<>(database.jdbi().withHandle(h -> h.createQuery(
              "SELECT DISTINCT channel FROM slack_message WHERE channel_id = :id "
              + "ORDER BY channel LIMIT " + MAX_NAMES)
          .bind("id", channelId).mapTo(String.class).list()));
    } catch (JdbiException e) {
      throw new StorageException("could not read the names of channel " + channelId, e);
    }
  }
}
