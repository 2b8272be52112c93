package dev.alertdesk.email;

import dev.alertdesk.incident.DeliveryTarget;
import dev.alertdesk.incident.MessageKind;
import dev.alertdesk.incident.OutgoingMessage;
import dev.alertdesk.noise.EmailRoute;
import dev.alertdesk.noise.Route;
import dev.alertdesk.noise.TargetPlanner;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Plans the mails of routes with {@code email} at the moments noise control lets through, so a
 * storm or a flapping incident gives one mail, not one per incident or change:
 *
 * <ul>
 *   <li>opened ({@code on: opened}): the mail that starts the incident's thread;</li>
 *   <li>reopened ({@code on: opened}): a {@code [FIRING]} mail in the thread;</li>
 *   <li>resolved ({@code on: resolved}): a {@code [RESOLVED]} mail in the thread;</li>
 *   <li>unacknowledged ({@code on: unacknowledged}): one escalation mail, at the first
 *       reminder only;</li>
 *   <li>storm ({@code on: opened}): one mail for the whole storm, its own thread;</li>
 *   <li>flapping ({@code on: opened} or {@code resolved}): one mail saying that the incident
 *       flaps and that its changes are not mailed while it does.</li>
 * </ul>
 *
 * The recipients are the outbox row's address, comma-separated. Pure and thread-safe.
 */
public final class EmailPlanner implements TargetPlanner {
  @Override
  public List<OutgoingMessage> plan(Moment moment, @Nullable Route route, long incidentId,
      Map<String, Object> details) {
    EmailRoute email = route == null ? null : route.email();
    if (email == null) {
      return List.of();
    }
    String to = String.join(", ", email.to());
    boolean opened = email.on().contains(EmailRoute.On.OPENED);
    boolean resolved = email.on().contains(EmailRoute.On.RESOLVED);
    return switch (moment) {
      case OPENED -> opened ? List.of(mail(to, true, MessageKind.PARENT, "opened", Map.of()))
          : List.of();
      case REOPENED -> opened
          ? List.of(mail(to, false, MessageKind.REOPENED, "reopened", Map.of())) : List.of();
      case RESOLVED -> resolved
          ? List.of(mail(to, false, MessageKind.RESOLVED, "resolved", Map.of())) : List.of();
      case UNACKNOWLEDGED -> email.on().contains(EmailRoute.On.UNACKNOWLEDGED)
          && number(details.get("reminder")) == 1
          ? List.of(mail(to, false, MessageKind.REMINDER, "unacknowledged",
              Map.of("unacknowledged_seconds", number(details.get("unacknowledged_seconds")))))
          : List.of();
      case STORM -> opened ? List.of(mail(to, true, MessageKind.STORM, "storm",
          Map.of("storm_id", number(details.get("storm_id"))))) : List.of();
      case FLAPPING -> opened || resolved ? List.of(mail(to, false, MessageKind.FLAPPING,
          "flapping", Map.of("transitions", number(details.get("transitions"))))) : List.of();
    };
  }

  private static OutgoingMessage mail(String to, boolean first, MessageKind message,
      String reason, Map<String, Object> params) {
    return OutgoingMessage.to(DeliveryTarget.EMAIL, to, first, message, reason, params);
  }

  private static long number(@Nullable Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }
}
