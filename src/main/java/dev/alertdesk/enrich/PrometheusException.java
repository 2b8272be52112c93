package dev.alertdesk.enrich;

import dev.alertdesk.AlertdeskException;

/**
 * A Prometheus query failed: unreachable, timed out, or answered an error. The message is short,
 * meant for the "metrics unavailable: …" note in Slack, and never holds the Prometheus URL (which
 * may carry credentials).
 */
public final class PrometheusException extends AlertdeskException {
  private static final long serialVersionUID = 1L;

  /** How the query failed, the {@code outcome} of {@code alertdesk_prometheus_queries_total}. */
  public enum Outcome {
    /** No connection could be made. */
    UNREACHABLE,
    /** No answer within the per-request timeout. */
    TIMEOUT,
    /** Prometheus answered an error: a 4xx/5xx status or {@code status: "error"}. */
    ERROR
  }

  private final Outcome outcome;

  /**
   * @param outcome how it failed
   * @param message a short reason, e.g. {@code "Prometheus answered 503: unavailable"}
   */
  public PrometheusException(Outcome outcome, String message) {
    super(message);
    this.outcome = outcome;
  }

  /** Returns how the query failed. */
  public Outcome outcome() {
    return outcome;
  }
}
