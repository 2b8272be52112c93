package dev.alertdesk.email;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A composed mail before it becomes MIME ({@link SmtpMailer#toMime}).
 *
 * @param subject one line, without control characters, at most 200 characters
 * @param messageId this mail's {@code Message-ID}, with angle brackets; stable for the outbox job
 *     (the first mail of a thread has the thread's id)
 * @param inReplyTo the thread's first {@code Message-ID}, or null for the first mail
 * @param references the {@code References} ids, oldest first; empty for the first mail
 * @param text the text part
 * @param html the HTML part: escaped, no remote resources, the graph as {@code cid:}
 * @param image the inline graph, or null
 */
public record ComposedMail(
    String subject,
    String messageId,
    @Nullable String inReplyTo,
    List<String> references,
    String text,
    String html,
    @Nullable InlineImage image) {

  /** Copies the list. */
  public ComposedMail {
    references = List.copyOf(references);
  }

  /**
   * An image shown inside the HTML part ({@code multipart/related}).
   *
   * @param contentId the {@code Content-ID} without angle brackets, as in {@code cid:...}
   * @param fileName the file name offered when saved
   * @param png the PNG
   * @param alt its alternative text, plain
   */
  public record InlineImage(String contentId, String fileName, byte[] png, String alt) {}
}
