package dev.alertdesk.config;

import java.util.Locale;
import java.util.Map;

/**
 * Chooses the Logback configuration before the first logger is created: {@code LOG_JSON=true}
 * selects {@code logback-json.xml} (one JSON object per line, logstash-logback-encoder), else
 * {@code logback.xml}; {@code LOG_LEVEL} sets the root level. Invalid values fall back to the
 * defaults here and are reported by {@link Settings#load}.
 */
public final class LogSetup {
  private LogSetup() {}

  /**
   * Sets the {@code logback.configurationFile} and {@code alertdesk.log.level} system properties.
   *
   * @param env the environment
   */
  public static void configure(Map<String, String> env) {
    boolean json = "true".equalsIgnoreCase(env.getOrDefault("LOG_JSON", "false").trim());
    String level = env.getOrDefault("LOG_LEVEL", "info").trim().toUpperCase(Locale.ROOT);
    if (!level.matches("TRACE|DEBUG|INFO|WARN|ERROR")) {
      level = "INFO";
    }
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", json ? "logback-json.xml" : "logback.xml");
    }
    System.setProperty("alertdesk.log.level", level);
  }
}
