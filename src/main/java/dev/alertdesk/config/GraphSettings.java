package dev.alertdesk.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Settings of Prometheus enrichment and graphs.
 *
 * @param lookback how far before the incident's {@code startsAt} a graph begins
 *     ({@code GRAPH_LOOKBACK}, default 1h, 1m to 7d)
 * @param prometheusTimeout the timeout of each Prometheus request ({@code PROMETHEUS_TIMEOUT},
 *     default 5s, 100ms to 60s)
 * @param imageDelivery how graphs reach Slack ({@code IMAGE_DELIVERY}, default upload)
 * @param timeZone the time zone of graph time axes ({@code GRAPH_TIME_ZONE}, an IANA name such
 *     as {@code Europe/Berlin}; default the system's)
 */
public record GraphSettings(
    Duration lookback, Duration prometheusTimeout, ImageDelivery imageDelivery, ZoneId timeZone) {

  /** The setting names this record reads. */
  static final java.util.List<String> NAMES = java.util.List.of(
      "GRAPH_LOOKBACK", "PROMETHEUS_TIMEOUT", "IMAGE_DELIVERY", "GRAPH_TIME_ZONE");

  /** How graphs reach Slack. */
  public enum ImageDelivery {
    /**
     * Uploaded into the incident's thread with {@code files.getUploadURLExternal} and
     * {@code files.completeUploadExternal}; needs no public URL.
     */
    UPLOAD,
    /**
     * Shown as {@code image} blocks pointing at {@code BASE_URL/api/charts/{id}.png}; Slack must
     * be able to fetch that URL.
     */
    URL
  }

  /** The defaults: 1h lookback, 5 s timeout, upload, the system time zone. */
  public static GraphSettings defaults() {
    return new GraphSettings(Duration.ofHours(1), Duration.ofSeconds(5), ImageDelivery.UPLOAD,
        ZoneId.systemDefault());
  }

  /**
   * Reads the graph settings from the merged setting values.
   *
   * @param v upper-case setting name to value
   * @param baseUrl the validated {@code BASE_URL}, or null
   * @throws ConfigException naming the bad key
   */
  static GraphSettings from(Map<String, String> v, @Nullable String baseUrl) {
    Duration lookback = Durations.parse(v.getOrDefault("GRAPH_LOOKBACK", "1h"), "GRAPH_LOOKBACK");
    if (lookback.compareTo(Duration.ofMinutes(1)) < 0 || lookback.compareTo(Duration.ofDays(7)) > 0) {
      throw new ConfigException("GRAPH_LOOKBACK: must be between 1m and 7d, got "
          + v.get("GRAPH_LOOKBACK"));
    }
    Duration timeout = Durations.parse(v.getOrDefault("PROMETHEUS_TIMEOUT", "5s"),
        "PROMETHEUS_TIMEOUT");
    if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new ConfigException("PROMETHEUS_TIMEOUT: must be between 100ms and 60s, got "
          + v.get("PROMETHEUS_TIMEOUT"));
    }
    String delivery = v.getOrDefault("IMAGE_DELIVERY", "upload").strip().toLowerCase(Locale.ROOT);
    ImageDelivery mode = switch (delivery) {
      case "upload" -> ImageDelivery.UPLOAD;
      case "url" -> ImageDelivery.URL;
      default -> throw new ConfigException("IMAGE_DELIVERY: must be upload or url, got \""
          + v.get("IMAGE_DELIVERY") + "\"");
    };
    if (mode == ImageDelivery.URL && baseUrl == null) {
      throw new ConfigException("IMAGE_DELIVERY: url needs BASE_URL, the public URL Slack fetches "
          + "the images from (BASE_URL/api/charts/{id}.png)");
    }
    ZoneId zone;
    String zoneName = v.get("GRAPH_TIME_ZONE");
    try {
      zone = zoneName == null ? ZoneId.systemDefault() : ZoneId.of(zoneName.strip());
    } catch (DateTimeException e) {
      throw new ConfigException("GRAPH_TIME_ZONE: unknown time zone \"" + zoneName
          + "\" (use an IANA name such as UTC or Europe/Berlin)");
    }
    return new GraphSettings(lookback, timeout, mode, zone);
  }
}
