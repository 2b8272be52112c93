package dev.alertdesk.alert;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How urgent an alert is, classified once from its {@code severity} label by {@link #of}. The
 * renderer (emoji and colour) and the reminders both ask this enum, so a label value means the
 * same everywhere.
 */
public enum Severity {
  /** {@code critical} or {@code page}: someone must act now; gets reminders. */
  CRITICAL,
  /** {@code warning}. */
  WARNING,
  /** {@code info} or {@code none}: for the record. */
  INFO,
  /** No {@code severity} label, or a value not listed above; shown as written. */
  UNKNOWN;

  /**
   * Classifies a {@code severity} label value, ignoring case and surrounding blanks.
   *
   * @param label the label's value, or null when there is none
   * @return the class; {@link #UNKNOWN} for null or an unlisted value, never null
   */
  public static Severity of(@Nullable String label) {
    if (label == null) {
      return UNKNOWN;
    }
    return switch (label.trim().toLowerCase(Locale.ROOT)) {
      case "critical", "page" -> CRITICAL;
      case "warning" -> WARNING;
      case "info", "none" -> INFO;
      default -> UNKNOWN;
    };
  }
}
