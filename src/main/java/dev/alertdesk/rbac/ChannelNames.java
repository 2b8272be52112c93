package dev.alertdesk.rbac;

import java.util.Set;

/**
 * The channel names a Slack channel ID is known under, so that a grant may name its channels as
 * {@code #name} or by ID. The service answers from the channels it posted incident messages to
 * (the configured name, as routes and {@code SLACK_CHANNEL} give it, and the ID Slack answered),
 * so no extra Slack scope is needed. Thread-safe.
 */
@FunctionalInterface
public interface ChannelNames {
  /** Knows no names: only grants naming channels by ID apply. */
  ChannelNames NONE = channelId -> Set.of();

  /**
   * @param channelId a Slack channel ID such as {@code C0123456}
   * @return the names it is known under, as configured ({@code #alerts} or {@code alerts}),
   *     possibly empty, at most 20
   * @throws dev.alertdesk.AlertdeskException a storage failure (the caller denies)
   */
  Set<String> namesOf(String channelId);
}
