package dev.alertdesk.config;

import java.util.Locale;
import java.util.Map;

/**
 * Chooses the Logback configuration before the first logger is created: {@code LOG_JSON=true}
 * selects {@code logback-json.xml} (one JSON object per line, logstash-logback-encoder), else
 * {@code logback.xml}; {@code LOG_LEVEL} sets the root level. When {@code LOG_LEVEL} is unset,
 * {@code RUST_LOG} (the autometrics slack-app's setting) is read instead
 * ({@link #levelOfRustLog}). Invalid values fall back to the defaults here and are reported by
 * {@link Settings#load}.
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
    String configured = env.get("LOG_LEVEL");
    String level = (configured == null || configured.isBlank() ? levelOfRustLog(env.get("RUST_LOG"))
        : configured).trim().toUpperCase(Locale.ROOT);
    if (!level.matches("TRACE|DEBUG|INFO|WARN|ERROR")) {
      level = "INFO";
    }
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", json ? "logback-json.xml" : "logback.xml");
    }
    System.setProperty("alertdesk.log.level", level);
  }

  /**
   * Reads a log level from a Rust {@code tracing} / {@code env_logger} filter such as
   * {@code info}, {@code slack_app=debug,tower_http=warn} or {@code warn,slack_app=trace}: the
   * first bare level (the global default) wins; without one, the most verbose level given to any
   * target. {@code off} reads as {@code error}.
   *
   * @param rustLog the value of {@code RUST_LOG}, or null
   * @return {@code trace}, {@code debug}, {@code info}, {@code warn} or {@code error};
   *     {@code info} when null, blank or without a level
   */
  public static String levelOfRustLog(@org.jspecify.annotations.Nullable String rustLog) {
    if (rustLog == null) {
      return "info";
    }
    java.util.List<String> order = java.util.List.of("trace", "debug", "info", "warn", "error");
    int mostVerbose = -1;
    for (String directive : rustLog.split(",")) {
      String d = directive.strip().toLowerCase(Locale.ROOT);
      d = d.replaceAll("\\[[^\\]]*\\]", "");
      int eq = d.lastIndexOf('=');
      String level = (eq < 0 ? d : d.substring(eq + 1)).strip();
      if (level.equals("off")) {
        level = "error";
      }
      int at = order.indexOf(level);
      if (at < 0) {
        continue;
      }
      if (eq < 0) {
        return level;
      }
      if (mostVerbose < 0 || at < mostVerbose) {
        mostVerbose = at;
      }
    }
    return mostVerbose < 0 ? "info" : order.get(mostVerbose);
  }
}
