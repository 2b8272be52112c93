package dev.alertdesk.web;

import dev.alertdesk.alert.Labels;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** Turns the {@code matcher} query parameters into a label filter. */
final class LabelMatchers {
  private LabelMatchers() {}

  /**
   * Parses Alertmanager matchers; an alert passes when it satisfies all of them.
   *
   * @param texts one matcher per entry, e.g. {@code severity="critical"}
   * @return the filter, or null for no matchers
   * @throws BadRequest for an invalid matcher
   */
  static @Nullable Predicate<Labels> parse(List<String> texts) {
    if (texts.isEmpty()) {
      return null;
    }
    throw new BadRequest("matcher: label matcher search is not available in this build");
  }
}
