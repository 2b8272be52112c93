package dev.alertdesk.noise;

import java.util.Locale;

/** How an incident is delivered to one channel. Stored by {@link #wire()} name. */
public enum ChannelMode {
  /** It has its own parent message and thread in the channel. */
  POSTED,
  /** A route with {@code slack: false} matched: history only, never posted. */
  HISTORY_ONLY,
  /** Waiting for {@code notify_after.min_firing} to elapse before the parent is posted. */
  DELAYED,
  /** It resolved before {@code notify_after.min_firing}: never posted. */
  SUPPRESSED,
  /** Listed in the channel's storm message instead of a parent of its own. */
  ROLLED_UP,
  /** Reported in the thread of a related open incident instead of a parent of its own. */
  CORRELATED;

  /** Returns the lower-case stored name. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a stored name. */
  public static ChannelMode fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
