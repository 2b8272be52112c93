package dev.alertdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.config.Settings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the service lets a webhook already in flight finish and commit. */
class GracefulShutdownIT {
  @TempDir Path dir;

  @Test
  void stopWaitsForAWebhookWhoseBodyIsStillArriving() throws Exception {
    Application app = Application.start(Settings.load(Map.of(
        "PORT", "0", "STORAGE_DIR", dir.toString())), Clock.systemUTC());
    byte[] body = ("{\"version\":\"4\",\"receiver\":\"r\",\"status\":\"firing\",\"groupKey\":\"g\","
        + "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Drain\"},"
        + "\"startsAt\":\"2026-11-20T10:00:00Z\",\"fingerprint\":\"00000000000000aa\"}]}")
        .getBytes(StandardCharsets.UTF_8);
    int half = body.length / 2;
    CompletableFuture<Void> stopped;
    String response;
    try (Socket socket = new Socket("127.0.0.1", app.port())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, half);
      out.flush();
      Thread.sleep(300); // let the server start handling the request before we stop it
      stopped = CompletableFuture.runAsync(app::close);
      Thread.sleep(300); // the stop is now waiting on the request in flight
      assertThat(stopped).isNotDone();
      out.write(body, half, body.length - half);
      out.flush();
      InputStream in = socket.getInputStream();
      response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    stopped.get(15, TimeUnit.SECONDS);
    assertThat(response).startsWith("HTTP/1.1 200").contains("\"outcome\":\"opened\"");
  }
}
