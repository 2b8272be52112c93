package dev.alertdesk.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ephemeral replies go only to Slack's {@code https://hooks.slack.com/} unless
 * {@code SLACK_API_URL} is overridden: a signed payload with another {@code response_url} makes
 * Alertdesk call nothing. A loopback server counts what reaches it.
 */
class ResponseUrlResponderIT {
  private HttpServer server;
  private final AtomicInteger received = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      received.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/commands/T1/1/abc";
  }

  @Test
  void withSlacksOwnApiOnlyHooksSlackComIsCalled() {
    ResponseUrlResponder slack = ResponseUrlResponder.forSlackApi("https://slack.com/api/");
    assertThat(slack.ephemeral(url(), "hello")).isFalse();
    assertThat(new ResponseUrlResponder().ephemeral(url(), "hello")).isFalse();
    assertThat(received).hasValue(0);
    assertThat(slack.allows("https://hooks.slack.com/actions/T1/1/abc")).isTrue();
    assertThat(slack.allows("https://hooks.slack.com.evil.example/x")).isFalse();
    assertThat(slack.allows("http://hooks.slack.com/actions/T1/1/abc")).isFalse();
  }

  @Test
  void withAnOverriddenApiUrlTheStandInIsCalled() {
    ResponseUrlResponder test = ResponseUrlResponder.forSlackApi("http://127.0.0.1:1/api/");
    assertThat(test.ephemeral(url(), "hello")).isTrue();
    assertThat(received).hasValue(1);
    assertThat(test.allows("javascript:alert(1)")).isFalse();
  }
}
