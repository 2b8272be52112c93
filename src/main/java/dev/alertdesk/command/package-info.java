/**
 * The {@code /alertdesk} slash command, whatever carries it (Socket Mode or a signed
 * {@code POST /slack/commands}): {@link dev.alertdesk.command.SlashCommand} (the request),
 * {@link dev.alertdesk.command.CommandParser} (its text, pure), the ephemeral answers
 * ({@link dev.alertdesk.command.CommandReplies}, pure) and {@link dev.alertdesk.command.SlashCommands},
 * which answers {@code list}, {@code show} and {@code help} itself and hands {@code ack},
 * {@code silence} and {@code unsilence} to the same {@link dev.alertdesk.action.ActionDispatcher}
 * as the buttons.
 */
@NullMarked
package dev.alertdesk.command;

import org.jspecify.annotations.NullMarked;
