package dev.alertdesk.slack;

/**
 * Block Kit size limits that every message {@link SlackMessageComposer} composes respects
 * (docs.slack.dev/reference/block-kit/blocks; DESIGN.md "Slack message model"). The only copy:
 * enrichment hands the composer values and URLs, never blocks.
 */
public final class BlockKitLimits {
  /** Blocks per message (and per attachment). */
  public static final int MAX_BLOCKS = 50;
  /** Characters of a header block's plain text. */
  public static final int MAX_HEADER_CHARS = 150;
  /** Characters of a section block's text. */
  public static final int MAX_SECTION_CHARS = 3000;
  /** Fields per section block. */
  public static final int MAX_FIELDS = 10;
  /** Characters per section field. */
  public static final int MAX_FIELD_CHARS = 2000;
  /** Characters of a button's text. */
  public static final int MAX_BUTTON_TEXT_CHARS = 75;
  /** Characters of a button's value. */
  public static final int MAX_BUTTON_VALUE_CHARS = 2000;
  /** Characters of a button's URL. */
  public static final int MAX_BUTTON_URL_CHARS = 3000;
  /** Characters of an image block's URL. */
  public static final int MAX_IMAGE_URL_CHARS = 3000;
  /** Characters of an image block's alt text. */
  public static final int MAX_IMAGE_ALT_TEXT_CHARS = 2000;
  /** Characters of a message's top-level {@code text}, the notification fallback (chat.postMessage truncates past 40,000; we keep it short). */
  public static final int MAX_FALLBACK_TEXT_CHARS = 3000;

  private BlockKitLimits() {}

  /**
   * Shortens {@code text} to at most {@code max} characters, ending in "…" when cut. Never splits
   * a surrogate pair.
   *
   * @param max the limit, at least 1
   */
  public static String clip(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - 1;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }
}
