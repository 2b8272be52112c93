package dev.alertdesk.rbac;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Counts the denials of another {@link Authorizer} in
 * {@code alertdesk_rbac_denied_total{action}} (the grant name; {@code invalid} for a malformed
 * one, so series stay bounded by the configured actions). Thread-safe.
 */
public final class CountingAuthorizer implements Authorizer {
  private final Authorizer inner;
  private final MeterRegistry metrics;

  /**
   * @param inner decides
   * @param metrics where the counter is registered
   */
  public CountingAuthorizer(Authorizer inner, MeterRegistry metrics) {
    this.inner = inner;
    this.metrics = metrics;
  }

  /** Returns the authorizer that decides. */
  public Authorizer inner() {
    return inner;
  }

  @Override
  public AccessDecision check(String userId, String action, @Nullable String channelId,
      Freshness freshness) {
    AccessDecision d = inner.check(userId, action, channelId, freshness);
    if (!d.allowed()) {
      Counter.builder("alertdesk_rbac_denied")
          .description("Actions refused by RBAC, by grant name")
          .tag("action", ActionNames.metricLabel(action))
          .register(metrics).increment();
    }
    return d;
  }
}
