package dev.alertdesk.remediation;

import dev.alertdesk.alert.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code remediation.actions} catalogue with the limit over all actions. Pure and
 * immutable.
 *
 * @param actions the actions in file order, ids unique
 * @param total the limit over every action and target, or null for none
 */
public record RemediationCatalogue(List<RemediationAction> actions, @Nullable RateLimit total) {
  /** No actions. */
  public static final RemediationCatalogue EMPTY = new RemediationCatalogue(List.of(), null);

  /** Buttons offered on one incident, at most. */
  public static final int MAX_OFFERS = 3;

  /** Copies the list. */
  public RemediationCatalogue {
    actions = List.copyOf(actions);
  }

  /** Returns the action with this id. */
  public Optional<RemediationAction> find(String id) {
    return actions.stream().filter(a -> a.id().equals(id)).findFirst();
  }

  /**
   * The actions an incident with these common labels offers, in file order, at most
   * {@value #MAX_OFFERS}.
   */
  public List<RemediationAction> offersFor(Labels labels) {
    List<RemediationAction> out = new ArrayList<>();
    for (RemediationAction a : actions) {
      if (a.offeredFor(labels) && out.size() < MAX_OFFERS) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * The limits an execution of {@code action} on {@code target} draws a token from, each with
   * its bucket key: per target, per action, total.
   */
  public List<Bucket> buckets(RemediationAction action, RemediationTarget target) {
    List<Bucket> out = new ArrayList<>();
    if (action.perTarget() != null) {
      out.add(new Bucket("target:" + action.id() + ":" + target.namespace() + "/" + target.name(),
          action.perTarget()));
    }
    if (action.perAction() != null) {
      out.add(new Bucket("action:" + action.id(), action.perAction()));
    }
    if (total != null) {
      out.add(new Bucket("total", total));
    }
    return out;
  }

  /**
   * One token bucket.
   *
   * @param key its key in the database
   * @param limit its limit
   */
  public record Bucket(String key, RateLimit limit) {}
}
