package dev.alertdesk.alertmanager;

import dev.alertdesk.alert.Matcher;
import java.time.Instant;
import java.util.List;

/**
 * A silence as Alertmanager's API v2 returns it ({@code models.GettableSilence}).
 *
 * @param id the silence ID
 * @param matchers its matchers
 * @param startsAt when it starts muting
 * @param endsAt when it expires
 * @param createdBy who created it
 * @param comment why
 * @param state {@code active}, {@code pending} or {@code expired}
 */
public record Silence(String id, List<Matcher> matchers, Instant startsAt, Instant endsAt,
    String createdBy, String comment, String state) {
  /** Copies the matchers. */
  public Silence {
    matchers = List.copyOf(matchers);
  }
}
