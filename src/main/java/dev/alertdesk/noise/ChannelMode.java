package dev.alertdesk.noise;

import java.util.Locale;

/**
 * The kind of a {@link ChannelState}, one per record of that sealed type. Stored by
 * {@link #wire()} name in {@code incident_channel.mode}.
 */
public enum ChannelMode {
  /** {@link ChannelState.Posted}: its own parent message and thread in the channel. */
  POSTED,
  /** {@link ChannelState.HistoryOnly}: a route with {@code slack: false} matched. */
  HISTORY_ONLY,
  /** {@link ChannelState.Delayed}: waiting for {@code notify_after.min_firing}. */
  DELAYED,
  /** {@link ChannelState.Suppressed}: resolved before {@code notify_after.min_firing}. */
  SUPPRESSED,
  /** {@link ChannelState.RolledUp}: listed in the channel's storm message. */
  ROLLED_UP,
  /** {@link ChannelState.Correlated}: reported in the thread of a related open incident. */
  CORRELATED;

  /** Returns the lower-case stored name, e.g. {@code rolled_up}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a stored name.
   *
   * @throws IllegalArgumentException when {@code wire} names no mode
   */
  public static ChannelMode fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
