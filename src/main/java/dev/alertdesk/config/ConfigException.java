package dev.alertdesk.config;

/**
 * A setting is missing, malformed or contradicts another. The message names the key (and, for
 * {@code CONFIG_FILE}, the line), never a secret value.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong, naming the key */
  public ConfigException(String message) {
    super(message);
  }
}
