package dev.alertdesk.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * URL rules shared by every output and every outgoing client: which links may be shown
 * ({@code http} and {@code https} only), and how credentials inside a URL
 * ({@code scheme://user:pass@host}) are taken out before the URL is used or shown. Pure; never
 * throws.
 */
public final class Urls {
  /** A URL's user-info part, {@code scheme://user[:pass]@}, anywhere inside a text. */
  private static final Pattern USER_INFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/?#@\\s\"'<>]+@");

  private Urls() {}

  /**
   * Returns true when {@code url} is an absolute {@code http://} or {@code https://} URL with a
   * host (case-insensitive scheme), and so safe as a link target in HTML and Slack:
   * {@code javascript:}, {@code data:}, relative and scheme-relative URLs give false.
   *
   * @param url the candidate, or null (false)
   */
  public static boolean isHttpLink(@Nullable String url) {
    if (url == null || url.isEmpty() || !url.strip().equals(url)) {
      return false;
    }
    for (int i = 0; i < url.length(); i++) {
      if (Character.isISOControl(url.charAt(i))) {
        return false;
      }
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      return false;
    }
    try {
      URI uri = new URI(url);
      return uri.getHost() != null || uri.getRawAuthority() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * Returns {@code text} with the user-info part of every URL in it replaced by {@code ***}:
   * {@code http://am:s3cret@am:9093/} becomes {@code http://***@am:9093/}. Use it on every
   * message that may contain a configured URL (errors, logs, audit rows, Slack replies).
   *
   * @param text any text, or null (returned as {@code ""})
   */
  public static String redact(@Nullable String text) {
    if (text == null) {
      return "";
    }
    return USER_INFO.matcher(text).replaceAll("$1***@");
  }

  /**
   * Returns the decoded user-info of an absolute URL ({@code user:pass}), or null when it has
   * none or does not parse.
   */
  public static @Nullable String userInfo(String url) {
    try {
      return new URI(url).getUserInfo();
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /**
   * Returns {@code url} without its user-info part ({@code http://u:p@h:1/x} gives
   * {@code http://h:1/x}); any other URL is returned unchanged.
   */
  public static String withoutUserInfo(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getRawUserInfo() == null) {
        return url;
      }
      String rest = url.substring(url.indexOf('@', url.indexOf("://") + 3) + 1);
      return uri.getScheme() + "://" + rest;
    } catch (URISyntaxException e) {
      return redact(url);
    }
  }
}
