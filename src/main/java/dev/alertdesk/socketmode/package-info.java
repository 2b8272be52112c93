/**
 * Slack Socket Mode (docs.slack.dev/apis/events-api/using-socket-mode): an outbound WebSocket
 * from Alertdesk to Slack, so buttons and {@code /alertdesk} work with no public endpoint.
 * {@link dev.alertdesk.socketmode.SocketModeConnection} opens it with the Slack SDK
 * ({@code apps.connections.open}, then {@code com.slack.api.socket_mode} over Java-WebSocket),
 * keeps it up with backoff and shows its state; {@link dev.alertdesk.socketmode.EnvelopeRouter}
 * acknowledges each envelope and hands its work to the same services as the HTTP endpoints.
 */
@NullMarked
package dev.alertdesk.socketmode;

import org.jspecify.annotations.NullMarked;
