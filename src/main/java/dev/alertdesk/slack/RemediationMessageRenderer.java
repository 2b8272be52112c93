package dev.alertdesk.slack;

import static dev.alertdesk.slack.BlockKitLimits.clip;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.util.json.GsonFactory;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.remediation.RemediationAction;
import dev.alertdesk.remediation.RemediationCatalogue;
import dev.alertdesk.remediation.RemediationRequest;
import dev.alertdesk.remediation.RemediationState;
import dev.alertdesk.remediation.RemediationTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Block Kit of remediation (docs.slack.dev/reference/block-kit): the request buttons on an
 * incident's parent, each with a confirm dialog naming the target; the request message in the
 * thread (action, target, preview, requester, approvals, state, and Approve / Reject / Cancel
 * while it waits), edited in place as its state changes; and the result lines on the parent.
 * Button values are {@code {incident id}:{request id}} ({@link ActionValue}): the request id is
 * opaque and the action stays on the server. Every label value is escaped. Pure.
 */
public final class RemediationMessageRenderer {
  /** {@code action_id} of a "Restart deployment"-style request button on the parent. */
  public static final String REQUEST = "remediation_request";
  /** {@code action_id} of the Approve button on a request. */
  public static final String APPROVE = "remediation_approve";
  /** {@code action_id} of the Reject button on a request. */
  public static final String REJECT = "remediation_reject";
  /** {@code action_id} of the Cancel button on a request. */
  public static final String CANCEL = "remediation_cancel";

  /** Result lines shown on a parent, at most. */
  static final int MAX_PARENT_LINES = 3;
  private static final int MAX_CONFIRM_TEXT_CHARS = 300;
  private static final int MAX_PREVIEW_CHARS = 1500;
  private static final Gson GSON = GsonFactory.createSnakeCase();

  private final RemediationCatalogue catalogue;

  /** @param catalogue the actions offered; {@link RemediationCatalogue#EMPTY} for none */
  public RemediationMessageRenderer(RemediationCatalogue catalogue) {
    this.catalogue = catalogue;
  }

  /**
   * The request buttons for an open incident: one per catalogue action whose {@code when}
   * matches its common labels and whose target can be built from them, at most
   * {@value RemediationCatalogue#MAX_OFFERS}.
   *
   * @param incidentId the incident
   * @param commonLabels its common labels
   */
  List<BlockElement> offers(long incidentId, Labels commonLabels) {
    List<BlockElement> out = new ArrayList<>();
    for (RemediationAction a : catalogue.offersFor(commonLabels)) {
      RemediationTarget target = a.target(commonLabels).target();
      if (target == null) {
        continue;
      }
      String what = "`" + escape(target.namespace() + "/" + target.name()) + "`";
      String approval = a.approval().approvalsNeeded() == 0 ? "It runs at once."
          : "It runs after " + a.approval().count() + " other person"
              + (a.approval().count() == 1 ? "" : "s") + " approve"
              + (a.approval().count() == 1 ? "s" : "") + " (role "
              + escape(String.join(" or ", a.approval().approvers())) + ").";
      out.add(ButtonElement.builder()
          .actionId(REQUEST + "_" + a.id())
          .text(plain(":wrench: " + a.title()))
          .value(ActionValue.option(incidentId, a.id()))
          .confirm(ConfirmationDialogObject.builder()
              .title(plain(clip(a.title() + "?", 100)))
              .text(MarkdownTextObject.builder().text(clip(escape(a.title()) + " " + what + " ("
                  + a.executor().wire() + " " + a.operation() + "). A dry-run preview is posted "
                  + "in the thread first. " + approval, MAX_CONFIRM_TEXT_CHARS)).build())
              .confirm(plain("Request"))
              .deny(plain("Cancel"))
              .build())
          .build());
    }
    return out;
  }

  /**
   * The request message in the incident's thread, in the request's current state.
   *
   * @param r the request
   * @param now the current time
   * @return the payload JSON ({@code text} and {@code blocks})
   */
  public String request(RemediationRequest r, Instant now) {
    Optional<RemediationAction> action = catalogue.find(r.actionId());
    String title = action.map(RemediationAction::title).orElse(r.actionId());
    String how = action.map(a -> a.executor().wire() + " " + a.operation()).orElse("");
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(section(emoji(r.state()) + " *" + escape(title) + "* on `"
        + escape(r.target().namespace() + "/" + r.target().name()) + "`"
        + (how.isEmpty() ? "" : " (" + how + ")") + "\nRequested by <@" + escape(r.requestedById())
        + "> · *" + label(r.state()) + "*"));
    if (r.preview() != null) {
      blocks.add(section("*Dry-run preview*\n```" + clip(r.preview().summary().replace("```", "'''"),
          MAX_PREVIEW_CHARS) + "```"
          + (r.preview().resourceVersion() == null ? "" : "\nresourceVersion `"
              + escape(r.preview().resourceVersion()) + "`"
              + (r.preview().generation() == null ? "" : ", generation "
                  + r.preview().generation()))));
    }
    List<String> facts = new ArrayList<>();
    if (r.approvalsNeeded() > 0) {
      facts.add("Approvals " + r.approvals().size() + "/" + r.approvalsNeeded()
          + (r.approvals().isEmpty() ? "" : ": " + String.join(", ",
              r.approvals().stream().map(a -> "<@" + escape(a.userId()) + ">").toList())));
    }
    if (r.state().open()) {
      facts.add("expires " + IncidentActionBlocks.slackTime(r.expiresAt()));
    }
    if (r.decidedById() != null && (r.state() == RemediationState.REJECTED
        || r.state() == RemediationState.CANCELLED)) {
      facts.add(label(r.state()) + " by <@" + escape(r.decidedById()) + ">");
    }
    if (r.detail() != null && !r.detail().isBlank()) {
      facts.add(escape(clip(r.detail(), 500)));
    }
    if (!facts.isEmpty()) {
      blocks.add(context(String.join(" · ", facts)));
    }
    String value = ActionValue.option(r.incidentId(), r.id());
    List<BlockElement> buttons = new ArrayList<>();
    if (r.state() == RemediationState.PENDING_APPROVAL) {
      buttons.add(button(APPROVE, ":white_check_mark: Approve", value, "primary"));
      buttons.add(button(REJECT, ":no_entry_sign: Reject", value, "danger"));
    }
    if (r.state().open()) {
      buttons.add(button(CANCEL, "Cancel", value, null));
    }
    if (!buttons.isEmpty()) {
      blocks.add(ActionsBlock.builder().blockId("remediation_" + r.id()).elements(buttons).build());
    }
    blocks.add(context("Remediation request `" + escape(r.id()) + "` · incident #"
        + r.incidentId() + (r.previewHash() == null ? ""
            : " · preview sha256 `" + r.previewHash().substring(0, 12) + "`")));
    JsonObject payload = new JsonObject();
    payload.addProperty("text", clip(title + " on " + r.target().namespace() + "/"
        + r.target().name() + ": " + label(r.state()), BlockKitLimits.MAX_FALLBACK_TEXT_CHARS));
    payload.add("blocks", GSON.toJsonTree(blocks));
    return GSON.toJson(payload);
  }

  /**
   * The result lines on the parent, newest first, at most {@value #MAX_PARENT_LINES}: such as
   * "Restart deployment by @alice, approved by @bob, 14:05".
   *
   * @param requests the incident's requests, newest first
   */
  List<String> parentLines(List<RemediationRequest> requests) {
    List<String> out = new ArrayList<>();
    for (RemediationRequest r : requests) {
      if (out.size() >= MAX_PARENT_LINES) {
        break;
      }
      if (r.state() != RemediationState.SUCCEEDED && r.state() != RemediationState.FAILED
          && r.state() != RemediationState.STALE) {
        continue;
      }
      String title = catalogue.find(r.actionId()).map(RemediationAction::title)
          .orElse(r.actionId());
      out.add(emoji(r.state()) + " " + escape(title) + " `" + escape(r.target().namespace()
          + "/" + r.target().name()) + "`" + (r.state() == RemediationState.SUCCEEDED ? ""
              : " " + label(r.state()).toLowerCase(java.util.Locale.ROOT))
          + " by <@" + escape(r.requestedById()) + ">"
          + (r.approvals().isEmpty() ? "" : ", approved by " + String.join(", ",
              r.approvals().stream().map(a -> "<@" + escape(a.userId()) + ">").toList()))
          + ", " + IncidentActionBlocks.slackTime(r.updatedAt()));
    }
    return out;
  }

  /** The words for a state. */
  public static String label(RemediationState s) {
    return switch (s) {
      case REQUESTED -> "Requested";
      case PREVIEWED -> "Previewed";
      case PENDING_APPROVAL -> "Pending approval";
      case APPROVED -> "Approved";
      case EXECUTING -> "Executing";
      case SUCCEEDED -> "Succeeded";
      case FAILED -> "Failed";
      case DENIED -> "Denied";
      case REJECTED -> "Rejected";
      case EXPIRED -> "Expired";
      case CANCELLED -> "Cancelled";
      case BLOCKED -> "Blocked";
      case STALE -> "Stale (target changed, nothing done)";
    };
  }

  private static String emoji(RemediationState s) {
    return switch (s) {
      case SUCCEEDED -> ":white_check_mark:";
      case FAILED, DENIED, BLOCKED -> ":x:";
      case REJECTED, CANCELLED, EXPIRED, STALE -> ":heavy_minus_sign:";
      case EXECUTING, APPROVED -> ":hourglass_flowing_sand:";
      default -> ":wrench:";
    };
  }

  static String escape(String s) {
    return IncidentMessageRenderer.escape(s);
  }

  private static ButtonElement button(String actionId, String text, String value,
      @Nullable String style) {
    return ButtonElement.builder().actionId(actionId).text(plain(text)).value(value).style(style)
        .build();
  }

  private static PlainTextObject plain(String text) {
    return PlainTextObject.builder().text(clip(text, BlockKitLimits.MAX_BUTTON_TEXT_CHARS))
        .emoji(true).build();
  }

  private static SectionBlock section(String mrkdwn) {
    return SectionBlock.builder().text(MarkdownTextObject.builder()
        .text(clip(mrkdwn, BlockKitLimits.MAX_SECTION_CHARS)).build()).build();
  }

  private static ContextBlock context(String mrkdwn) {
    return ContextBlock.builder().elements(List.of(MarkdownTextObject.builder()
        .text(clip(mrkdwn, BlockKitLimits.MAX_SECTION_CHARS)).build())).build();
  }
}
