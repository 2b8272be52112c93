package dev.alertdesk;

import org.jspecify.annotations.Nullable;

/**
 * The root of Alertdesk's unchecked exceptions, as {@code JdbiException} is Jdbi's. Each package
 * owns its subclasses ({@code config.ConfigException}, {@code incident.StorageException},
 * {@code alertmanager.AlertmanagerException}, {@code enrich.PrometheusException},
 * {@code ingest.InvalidPayloadException}, {@code alert.MatcherSyntaxException},
 * {@code slack.MalformedInteractionException} …), so a caller can catch one package's failures,
 * or all of Alertdesk's, without catching the JDK's. Messages never carry a secret.
 *
 * <p>It lives in the root package, not in a package of its own, because every package may throw
 * it and a package of shared odds and ends is what the house style avoids.
 */
public abstract class AlertdeskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed, without secrets */
  protected AlertdeskException(String message) {
    super(message);
  }

  /**
   * @param message what failed, without secrets
   * @param cause the underlying exception, or null
   */
  protected AlertdeskException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
