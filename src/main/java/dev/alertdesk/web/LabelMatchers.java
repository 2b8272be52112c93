package dev.alertdesk.web;

import dev.alertdesk.alert.Labels;
import dev.alertdesk.alert.Matcher;
import dev.alertdesk.alert.MatcherSyntaxException;
import dev.alertdesk.alert.Matchers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** Turns the {@code matcher} query parameters into a label filter with {@link Matchers}. */
final class LabelMatchers {
  private LabelMatchers() {}

  /**
   * Parses Alertmanager matchers; an alert passes when it satisfies all of them.
   *
   * @param texts each a matcher or a comma-separated list of them, e.g. {@code severity="critical"}
   *     or {@code {team="a", instance=~"api-.*"}}
   * @return the filter, or null for no matchers
   * @throws BadRequest naming the invalid matcher
   */
  static @Nullable Predicate<Labels> parse(List<String> texts) {
    List<Matcher> all = new ArrayList<>();
    for (String text : texts) {
      try {
        all.addAll(Matchers.parse(text).matchers());
      } catch (MatcherSyntaxException e) {
        throw new BadRequest("matcher: " + e.getMessage());
      }
    }
    if (all.isEmpty()) {
      return null;
    }
    Matchers matchers = new Matchers(all);
    return matchers::matches;
  }
}
