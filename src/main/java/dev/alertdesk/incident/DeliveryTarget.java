package dev.alertdesk.incident;

import java.util.Locale;

/**
 * Where an outbox intent ({@link OutgoingMessage}) is delivered. Each target has its own worker
 * that claims only its own rows, so a target that is down or slow never holds back another.
 * Stored by {@link #wire()} in the outbox's {@code target} column, so names never change.
 */
public enum DeliveryTarget {
  /** Slack: the parent message, its thread and graph uploads ({@code delivery.OutboxWorker}). */
  SLACK,
  /** E-mail over SMTP, one thread per incident ({@code email.EmailSender}). */
  EMAIL,
  /** Sentry events (issue 17's Sentry sink). */
  SENTRY;

  /** Returns the lower-case form stored in the database and used as a metric tag. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@link #wire()}.
   *
   * @throws IllegalArgumentException for an unknown value
   */
  public static DeliveryTarget fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
